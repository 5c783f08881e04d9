"""What an office needs around the requests every day: reminders in the desk, and sign-off chains.

A `Notification` tells one person about one request (due soon, overdue, 催办, a transfer, a draft
to sign); the daily reminder run and the services that create them key each one, so running the
reminders twice on a day, or a retried 催办, notifies once. A `SignoffChain` lists the roles that
must sign an answer at an agency, in order; an `AnswerDraft` is the 承办's proposed answer walking
that chain.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.web.agencies.models import Agency, Role

from .requests import OUTCOME_CHOICES, Request


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已超期")
    URGED = "urged", _("催办")
    TRANSFERRED = "transferred", _("转办")
    SIGNOFF = "signoff", _("待签批")
    RETURNED = "returned", _("签批退回")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    request = models.ForeignKey(Request, models.CASCADE, related_name="notifications", verbose_name=_("申请"))
    kind = models.CharField(_("类型"), max_length=32, choices=NotificationKind.choices)
    message = models.CharField(_("内容"), max_length=300)
    key = models.CharField(max_length=120, unique=True, editable=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        indexes = (models.Index(fields=("user", "read_at", "created_at"), name="notification_inbox"),)

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} #{self.request_id}"


# The roles a sign-off step may name: reviewing (审核) and signing as head (负责人).
SIGNOFF_ROLES = (Role.APPROVE_ANSWER, Role.APPROVE_EXTENSION)
MAX_STEPS = 3


class SignoffChain(models.Model):
    """The steps an answer passes at one agency after the 承办 drafts it; one step is allowed."""

    agency = models.OneToOneField(
        Agency, models.CASCADE, related_name="signoff_chain", verbose_name=_("机关")
    )
    steps = models.JSONField(_("签批步骤"), default=list)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("签批流程")
        verbose_name_plural = _("签批流程")

    def __str__(self) -> str:
        return f"{self.agency}: {' → '.join(self.steps)}"


class DraftStatus(models.TextChoices):
    PENDING = "pending", _("签批中")
    RETURNED = "returned", _("已退回")
    SIGNED = "signed", _("已签发")


class AnswerDraft(models.Model):
    """The 承办's proposed answer: the table-三 outcome, its basis and the 答复书's number and text."""

    request = models.ForeignKey(Request, models.CASCADE, related_name="drafts", verbose_name=_("申请"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("拟稿人")
    )
    outcome = models.CharField(_("办理结果"), max_length=64, choices=OUTCOME_CHOICES)
    legal_basis = models.TextField(_("法律依据"))
    letter_number = models.CharField(_("答复书文号"), max_length=100, blank=True)
    letter_text = models.TextField(_("答复书正文"), blank=True)
    steps = models.JSONField(_("签批步骤"), default=list)  # the chain as it was when drafted
    step = models.PositiveSmallIntegerField(_("当前步骤"), default=0)
    status = models.CharField(
        _("状态"), max_length=16, choices=DraftStatus.choices, default=DraftStatus.PENDING
    )
    created_at = models.DateTimeField(_("拟稿时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("答复草稿")
        verbose_name_plural = _("答复草稿")
        constraints = (
            models.UniqueConstraint(
                fields=("request",),
                condition=models.Q(status="pending"),
                name="answer_draft_one_pending",
            ),
        )

    def __str__(self) -> str:
        return f"#{self.request_id} {self.get_status_display()}"

    @property
    def progress(self) -> list[tuple[str, str]]:
        """Each step's role label and "done", "current" or "" for the request page."""
        labels = dict(Role.choices)
        return [
            (str(labels.get(role, role)), "done" if i < self.step else "current" if i == self.step else "")
            for i, role in enumerate(self.steps)
        ]

    @property
    def current_role(self) -> str | None:
        return str(self.steps[self.step]) if self.status == DraftStatus.PENDING else None
