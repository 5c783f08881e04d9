"""Requests (依申请公开), their events and attachments.

Process state (where the request is in the workflow) is kept apart from the outcome (the
table-三 row it ends in): a withdrawn request is state `withdrawn` with outcome `other_other`,
an archived one keeps its outcome. Due dates are not stored; `gongkai.web.requests.clock`
derives them from the events with `gongkai.clock.derive`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.formats import FORMAT_2021
from gongkai.web.agencies.models import Agency

from .. import codes

REQUESTS_TABLE = FORMAT_2021.table("requests")


def _outcome_label(group: str, label: str) -> str:
    return f"{group}{label}" if group else label


# The closed outcome list: exactly the leaf rows of table 三 (2021 format), so the report is a query.
OUTCOME_CHOICES = [(r.key, _outcome_label(r.group, r.label)) for r in REQUESTS_TABLE.rows if r.leaf]
OUTCOMES = frozenset(key for key, _label in OUTCOME_CHOICES)


class ApplicantKind(models.TextChoices):
    """The applicant columns of table 三."""

    NATURAL_PERSON = "natural_person", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_INTEREST = "public_interest", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER_ORG = "other_org", _("其他组织")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    TRAVEL_PERMIT = "travel_permit", _("港澳台居民通行证或居住证")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    OTHER = "other", _("其他证件")


class Channel(models.TextChoices):
    """How the request arrived. The receipt date (Art. 31) each implies is in `RECEIPT_RULE`."""

    IN_PERSON = "in_person", _("当面提交")
    REGISTERED_POST = "registered_post", _("邮寄（挂号等需签收）")
    ORDINARY_LETTER = "ordinary_letter", _("邮寄（平信）")
    ONLINE = "online", _("互联网渠道")
    FAX = "fax", _("传真")
    OTHER = "other", _("其他")


RECEIPT_RULE = {
    Channel.IN_PERSON: _("以申请人提交之日为收到之日"),
    Channel.REGISTERED_POST: _("以行政机关签收之日为收到之日"),
    Channel.ORDINARY_LETTER: _("以政府信息公开工作机构与申请人确认之日为收到之日"),
    Channel.ONLINE: _("以双方确认之日为收到之日"),
    Channel.FAX: _("以双方确认之日为收到之日"),
    Channel.OTHER: _("以政府信息公开工作机构实际收到之日为收到之日"),
}


class Delivery(models.TextChoices):
    """The requested form of delivery (Art. 29(3), Art. 40)."""

    PAPER = "paper", _("纸质文本")
    ELECTRONIC = "electronic", _("电子文本")
    VIEWING = "viewing", _("当场查阅")
    COPY = "copy", _("摘抄或复制")
    OTHER = "other", _("其他形式")


class State(models.TextChoices):
    REGISTERED = "registered", _("已登记，办理中")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("等待补正")
    IN_CONSULTATION = "in_consultation", _("征求意见中")
    EXTENDED = "extended", _("已延期")
    AWAITING_FEE = "awaiting_fee", _("等待缴费")
    ANSWERED = "answered", _("已答复")
    # Art. 30: no supplement by the deadline; the request is deemed abandoned, not answered
    # (table 三 (六)1 counts it by its outcome).
    NO_SUPPLEMENT = "no_supplement", _("逾期未补正，视为放弃申请")
    WITHDRAWN = "withdrawn", _("已撤回")
    ARCHIVED = "archived", _("已归档")


CLOSED_STATES = frozenset({State.ANSWERED, State.NO_SUPPLEMENT, State.WITHDRAWN, State.ARCHIVED})
# Closed requests that may be archived.
ARCHIVABLE_STATES = frozenset({State.ANSWERED, State.NO_SUPPLEMENT, State.WITHDRAWN})
OPEN_STATES = frozenset(State) - CLOSED_STATES


def new_tracking_code() -> str:
    """100 random bits in an alphabet without look-alikes (`codes`): applicants follow their request
    with it, so it must not be guessable, and they type it from paper."""
    return codes.new_code()


class Request(models.Model):
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="requests", verbose_name=_("受理机关"))

    applicant_kind = models.CharField(_("申请人类型"), max_length=32, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人姓名或名称"), max_length=200)
    id_type = models.CharField(_("证件类型"), max_length=32, choices=IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=64)
    phone = models.CharField(_("联系电话"), max_length=64, blank=True)
    address = models.CharField(_("通信地址"), max_length=300, blank=True)
    email = models.CharField(_("电子邮箱"), max_length=200, blank=True)
    # For an organisation (Art. 29: 法人或者其他组织): who represents it and whom to contact.
    legal_representative = models.CharField(_("法定代表人或负责人"), max_length=100, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=100, blank=True)

    channel = models.CharField(_("申请方式"), max_length=32, choices=Channel.choices)
    received_on = models.DateField(_("收到申请日期"), help_text=_("依《条例》第三十一条确定的收到申请之日"))
    content = models.TextField(_("所需政府信息的内容描述"))
    delivery = models.CharField(_("获取信息的方式"), max_length=32, choices=Delivery.choices)

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_requests",
        verbose_name=_("承办人"),
    )
    tracking_code = models.CharField(_("查询码"), max_length=32, unique=True, default=new_tracking_code)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)

    state = models.CharField(_("办理状态"), max_length=32, choices=State.choices, default=State.REGISTERED)
    outcome = models.CharField(_("办理结果"), max_length=64, choices=OUTCOME_CHOICES, null=True, blank=True)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # A fresh random value on any write to this request's events, by database triggers (migration
    # 0002_events_stamp), whoever writes; never by Django (see `save`). Lists keep a request's clock under it.
    events_stamp = models.BigIntegerField(_("办理事项版本"), default=0, editable=False)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        indexes = (
            # Covers the annual report's one GROUP BY pass (see selectors.counts), and
            # gives each agency's requests in list order (see selectors.list_page).
            models.Index(
                fields=("agency", "received_on", "id", "closed_on", "applicant_kind", "outcome"),
                name="request_agency_received_id",
            ),
            models.Index(fields=("agency", "closed_on"), name="request_agency_closed"),
            models.Index(fields=("agency", "state"), name="request_agency_state"),
            # The staff list over a wide scope walks this newest first (see selectors.scoped).
            models.Index(fields=("received_on", "id", "agency"), name="request_received"),
            # Open requests received by a date, for the due-soon and overdue lists.
            models.Index(fields=("state", "received_on", "agency"), name="request_state_received"),
        )
        constraints = (
            models.UniqueConstraint(
                fields=("idempotency_key",),
                condition=models.Q(idempotency_key__isnull=False),
                name="request_idempotency_key",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True, outcome__isnull=True)
                | models.Q(closed_on__isnull=False, outcome__isnull=False),
                name="request_outcome_with_closed_on",
            ),
        )

    def __str__(self) -> str:
        return f"{self.agency} {self.received_on} #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, leaving `events_stamp` to the triggers: a copy read before an event was written
        must not write the old stamp back."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "events_stamp"
            ]
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def tracking_code_grouped(self) -> str:
        """The tracking code as printed and linked: five groups of four."""
        return codes.grouped(self.tracking_code)


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("登记")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("告知补正")
    SUPPLEMENT_RECEIVED = "supplement_received", _("收到补正")
    CONSULTATION_STARTED = "consultation_started", _("征求意见")
    CONSULTATION_ENDED = "consultation_ended", _("征求意见结束")
    EXTENSION_APPROVED = "extension_approved", _("批准延期")
    REASONS_REQUESTED = "reasons_requested", _("要求说明理由")
    LATER_DEADLINE_SET = "later_deadline_set", _("确定延迟答复的合理期限")
    FEE_NOTICE_ISSUED = "fee_notice_issued", _("发出收费通知")
    FEE_PAID = "fee_paid", _("缴纳信息处理费")
    ANSWERED = "answered", _("答复")
    WITHDRAWN = "withdrawn", _("撤回申请")
    ARCHIVED = "archived", _("归档")
    LETTER_ISSUED = "letter_issued", _("出具文书")
    NOTE = "note", _("备注")
    URGED = "urged", _("催办")
    TRANSFERRED = "transferred", _("转办")
    SENT_BACK = "sent_back", _("退回")
    DRAFTED = "drafted", _("提交答复草稿")
    SIGNED = "signed", _("签批同意")
    SIGNOFF_RETURNED = "signoff_returned", _("签批退回")


class RequestEvent(models.Model):
    """Something that happened to a request on a legal date; the clock is replayed from these."""

    request = models.ForeignKey(Request, models.CASCADE, related_name="events", verbose_name=_("申请"))
    kind = models.CharField(_("事项"), max_length=32, choices=EventKind.choices)
    date = models.DateField(_("日期"))
    data = models.JSONField(_("详情"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("经办人")
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理事项")
        verbose_name_plural = _("办理事项")
        ordering = ("date", "id")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.request.agency_id}/{instance.request_id}/{filename}"


class Attachment(models.Model):
    request = models.ForeignKey(Request, models.CASCADE, related_name="attachments", verbose_name=_("申请"))
    file = models.FileField(_("文件"), upload_to=attachment_path)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.file.name or ""
