"""Annual reports (draft, then frozen when published) and the entered table-二 figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.web.agencies.models import Agency


class ProactiveFigures(models.Model):
    """Table 二 as entered, keyed like the canonical report's `proactive` grid, until a register exists."""

    agency = models.ForeignKey(
        Agency, models.CASCADE, related_name="proactive_figures", verbose_name=_("机关")
    )
    year = models.PositiveIntegerField(_("年度"))
    data = models.JSONField(_("数据"), default=dict)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("主动公开数据")
        verbose_name_plural = _("主动公开数据")
        constraints = (models.UniqueConstraint(fields=("agency", "year"), name="proactive_agency_year"),)

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class AnnualReport(models.Model):
    """A report as saved by people: canonical report JSON (`gongkai.report/1`) with narrative sections."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="annual_reports", verbose_name=_("机关"))
    year = models.PositiveIntegerField(_("年度"))
    rollup = models.BooleanField(_("汇总报告"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    data = models.JSONField(_("报告数据"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name=_("发布人")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        constraints = (
            models.UniqueConstraint(fields=("agency", "year", "rollup"), name="report_agency_year_rollup"),
        )

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED
