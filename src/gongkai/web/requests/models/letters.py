"""Per-agency letter templates; the letters themselves are built elsewhere."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.web.agencies.models import Agency


class LetterKind(models.TextChoices):
    RECEIPT = "receipt", _("登记回执")
    SUPPLEMENT = "supplement", _("补正告知书")
    EXTENSION = "extension", _("延期答复告知书")
    CONSULTATION = "consultation", _("第三方意见征询函")
    FEE = "fee", _("收费通知书")
    REASONS = "reasons", _("说明理由告知书")
    LATER_DEADLINE = "later_deadline", _("延迟答复告知书")
    ANSWER = "answer", _("答复书")


class LetterTemplate(models.Model):
    """A DOCX template or a text body for one kind of letter (答复书 per outcome via `outcome`)."""

    agency = models.ForeignKey(
        Agency, models.CASCADE, related_name="letter_templates", verbose_name=_("机关")
    )
    kind = models.CharField(_("文书类型"), max_length=32, choices=LetterKind.choices)
    outcome = models.CharField(_("适用的办理结果"), max_length=64, blank=True)
    docx = models.FileField(_("DOCX 模板"), upload_to="letter_templates/", blank=True)
    body = models.TextField(_("正文"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = (
            models.UniqueConstraint(fields=("agency", "kind", "outcome"), name="letter_template_unique"),
        )

    def __str__(self) -> str:
        return f"{self.agency} {self.get_kind_display()}"
