"""The proactive-disclosure register (主动公开): each agency's settings, its items, their review
trail, attachments, accepted personal-data hits, and the bigram index public search runs on."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.proactive.catalogue import AREAS, KINDS
from gongkai.proactive.demo import DEMO_RULE
from gongkai.web.agencies.models import Agency, Role
from gongkai.web.requests.models import Request

KIND_CHOICES = [(k.key, k.label) for k in KINDS]
# The default review chain: 初审 → 复审 → 终审, each step held by a role of the agencies app.
DEFAULT_CHAIN = (
    ("初审", Role.HANDLE.value),
    ("复审", Role.APPROVE_ANSWER.value),
    ("终审", Role.APPROVE_EXTENSION.value),
)


def default_chain() -> list[list[str]]:
    return [list(step) for step in DEFAULT_CHAIN]


def default_catalogue() -> dict[str, Any]:
    return {"covered": [a.key for a in AREAS]}


class RegisterSettings(models.Model):
    """An agency's register: its catalogue selection, 索引号 rule, review chain and the facts the
    public 政府信息公开指南 is written from. An agency without settings has no register; its table
    二 stays entered by hand."""

    agency = models.OneToOneField(
        Agency, models.CASCADE, related_name="register_settings", verbose_name=_("机关")
    )
    catalogue = models.JSONField(_("公开目录"), default=default_catalogue)
    index_rule = models.CharField(_("索引号规则"), max_length=200, default=DEMO_RULE.template)
    org_code = models.CharField(_("机构代码"), max_length=64, default="000000000000000000")
    review_chain = models.JSONField(_("审核流程"), default=default_chain)
    table_two = models.BooleanField(_("年度报告表二由登记簿统计"), default=True)
    # The guide (政府信息公开指南).
    office = models.CharField(_("政府信息公开工作机构"), max_length=200, blank=True)
    address = models.CharField(_("办公地址"), max_length=300, blank=True)
    hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=64, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=16, blank=True)
    reading_points = models.TextField(_("公开查阅点"), blank=True)

    class Meta:
        verbose_name = _("主动公开设置")
        verbose_name_plural = _("主动公开设置")

    def __str__(self) -> str:
        return str(self.agency)


class ItemState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("退回修改")
    PUBLISHED = "published", _("已公开")
    WITHDRAWN = "withdrawn", _("已撤回")


PUBLIC_STATES = (ItemState.PUBLISHED, ItemState.WITHDRAWN)
EDITABLE_STATES = (ItemState.DRAFT, ItemState.RETURNED)


def new_key() -> str:
    return secrets.token_hex(16)


class Item(models.Model):
    """One register item; nothing of it is public before the last review step approves it."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="register_items", verbose_name=_("机关"))
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文"), blank=True)
    kind = models.CharField(_("信息类别"), max_length=32, choices=KIND_CHOICES, default="other")
    area = models.CharField(_("目录领域"), max_length=64, blank=True)
    matter1 = models.CharField(_("一级事项"), max_length=200, blank=True)
    matter2 = models.CharField(_("二级事项"), max_length=200, blank=True)
    channels = models.JSONField(_("公开渠道"), default=list)
    index_number = models.CharField(_("索引号"), max_length=200, blank=True, db_index=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    publisher = models.CharField(_("发布机构"), max_length=200, blank=True)
    formed = models.DateField(_("信息形成或变更日期"))
    issued = models.DateField(_("印发日期"), null=True, blank=True)
    effective = models.DateField(_("施行日期"), null=True, blank=True)
    expires = models.DateField(_("有效期至"), null=True, blank=True)
    repealed = models.DateField(_("废止日期"), null=True, blank=True)
    decisions = models.PositiveIntegerField(_("处理决定数量"), null=True, blank=True)
    fee_yuan = models.DecimalField(
        _("收费金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    state = models.CharField(_("状态"), max_length=16, choices=ItemState.choices, default=ItemState.DRAFT)
    step = models.PositiveSmallIntegerField(_("当前审核步骤"), default=0)
    published = models.DateField(_("公开日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, db_index=True)
    withdrawn = models.DateField(_("撤回日期"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回理由"), blank=True)
    source_request = models.ForeignKey(
        Request,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="register_items",
        verbose_name=_("来源申请（依申请转主动公开）"),
    )
    review_key = models.CharField(max_length=32, default=new_key, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("主动公开事项")
        verbose_name_plural = _("主动公开事项")
        indexes = (
            models.Index(fields=("agency", "state", "area", "-published"), name="item_public_area"),
            models.Index(fields=("state", "-published_at"), name="item_public_recent"),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES


def attachment_path(instance: ItemAttachment, filename: str) -> str:
    return f"register/{instance.item.agency_id}/{instance.item_id}/{filename}"


class ItemAttachment(models.Model):
    """An attachment as it will be published: stored only after its metadata was removed."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="attachments", verbose_name=_("事项"))
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    removed = models.JSONField(_("已清除的元数据"), default=list)
    text = models.TextField(_("文字内容"), blank=True)  # what the personal-data scan reads
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("提交审核")
    APPROVE = "approve", _("审核通过")
    RETURN = "return", _("退回修改")
    PUBLISH = "publish", _("公开")
    WITHDRAW = "withdraw", _("撤回")


class ReviewEvent(models.Model):
    """One step of an item's review trail (the audit log holds the values; this is the readable trail)."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="review_events", verbose_name=_("事项"))
    action = models.CharField(_("操作"), max_length=16, choices=ReviewAction.choices)
    step_name = models.CharField(_("审核步骤"), max_length=32, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("操作人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ("at", "id")


class AcceptedHit(models.Model):
    """A personal-data hit a reviewer accepted with a reason, kept by its keyed fingerprint."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="accepted_hits", verbose_name=_("事项"))
    fingerprint = models.CharField(max_length=32)
    reason = models.TextField(_("理由"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("确认人")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("item", "fingerprint"), name="accepted_hit_unique"),)


class SearchGram(models.Model):
    """The public search index: each overlapping two-character piece of a published item's title and
    text, written by the service that publishes (see `search`)."""

    gram = models.CharField(max_length=2)
    item = models.ForeignKey(Item, models.CASCADE, related_name="+")

    class Meta:
        constraints = (models.UniqueConstraint(fields=("gram", "item"), name="search_gram_item"),)


class PublicListing(models.Model):
    """What one agency's public pages are drawn from besides the items themselves: its published
    items counted per catalogue area, and a version that changes whenever any of those pages may.

    Kept by the services that publish, withdraw and change the settings (`listing`), so the
    catalogue page reads one row instead of counting an agency's items, and every server process
    can keep rendered pages under the version: a withdrawal changes it, and the next request on
    any process renders afresh.
    """

    agency = models.OneToOneField(
        Agency, models.CASCADE, primary_key=True, related_name="public_listing", verbose_name=_("机关")
    )
    version = models.BigIntegerField(_("版本"), default=0)
    counts = models.JSONField(_("各领域已公开数"), default=dict)  # area key ("" outside) -> items

    class Meta:
        verbose_name = _("公开目录统计")
        verbose_name_plural = _("公开目录统计")

    def __str__(self) -> str:
        return f"{self.agency_id}@{self.version}"
