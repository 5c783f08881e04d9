"""Administrative reconsideration and litigation about requests: the source of table 四."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .requests import Request


class AppealKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
    LITIGATION_AFTER_RECONSIDERATION = "litigation_after_reconsideration", _("行政诉讼（复议后起诉）")


class AppealResult(models.TextChoices):
    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")


class Appeal(models.Model):
    """One appeal; `result` is null while it is undecided (尚未审结)."""

    request = models.ForeignKey(Request, models.PROTECT, related_name="appeals", verbose_name=_("申请"))
    kind = models.CharField(_("类型"), max_length=40, choices=AppealKind.choices)
    filed_on = models.DateField(_("提起日期"))
    result = models.CharField(_("结果"), max_length=16, choices=AppealResult.choices, null=True, blank=True)
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("行政复议、行政诉讼")
        verbose_name_plural = _("行政复议、行政诉讼")
        indexes = (models.Index(fields=("filed_on",), name="appeal_filed"),)
        constraints = (
            models.CheckConstraint(
                condition=models.Q(result__isnull=True, decided_on__isnull=True)
                | models.Q(result__isnull=False, decided_on__isnull=False),
                name="appeal_result_with_decided_on",
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on}"
