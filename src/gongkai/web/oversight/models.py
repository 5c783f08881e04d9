"""Reports filed upward: one `Submission` per (agency, year), every version kept, review decisions
kept by finding fingerprint, files awaiting confirmation, and the deadline per agency level."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.web.agencies.models import Agency, Level


class Status(models.TextChoices):
    DRAFT = "draft", _("未报送")
    SUBMITTED = "submitted", _("已报送待审")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已接收")


class Submission(models.Model):
    """One agency's report on one year as filed upward; the counts are the current version's, so the
    region overview reads one row per agency and never the report JSON."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="submissions", verbose_name=_("机关"))
    year = models.PositiveIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    current = models.ForeignKey(
        "ReportVersion", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("当前版本")
    )
    submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    comment = models.TextField(_("审核意见"), blank=True)
    errors = models.PositiveIntegerField(_("错误"), default=0)
    warnings = models.PositiveIntegerField(_("警告"), default=0)
    notices = models.PositiveIntegerField(_("提示"), default=0)

    class Meta:
        verbose_name = _("报送")
        verbose_name_plural = _("报送")
        constraints = (models.UniqueConstraint(fields=("agency", "year"), name="submission_agency_year"),)
        indexes = (models.Index(fields=("year", "agency"), name="submission_year_agency"),)

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"


class Source(models.TextChoices):
    DESK = "desk", _("办理记录生成")
    FORM = "form", _("在线填报")
    FILE = "file", _("上传文件")
    COLLECTED = "collected", _("批量收集")
    CORRECTED = "corrected", _("更正单元格")


class ReportVersion(models.Model):
    """One version of a submission: the canonical JSON, its findings, and the source file it was read from."""

    submission = models.ForeignKey(
        Submission, models.CASCADE, related_name="versions", verbose_name=_("报送")
    )
    number = models.PositiveIntegerField(_("版本号"))
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    content = models.BinaryField(_("源文件"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    data = models.JSONField(_("报告数据"))
    findings = models.JSONField(_("检查结果"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, verbose_name=_("提交人")
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("报告版本")
        verbose_name_plural = _("报告版本")
        ordering = ("submission", "number")
        constraints = (
            models.UniqueConstraint(fields=("submission", "number"), name="version_submission_number"),
        )

    def __str__(self) -> str:
        return f"{self.submission} v{self.number}"

    @property
    def agency(self) -> Agency:
        return self.submission.agency


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", _("确认问题")
    DISMISSED = "dismissed", _("不予采纳")


class FindingDecision(models.Model):
    """A reviewer's word on a finding, kept by its fingerprint: it holds for every later version
    and every re-run of the checks that still finds the same thing."""

    submission = models.ForeignKey(
        Submission, models.CASCADE, related_name="decisions", verbose_name=_("报送")
    )
    fingerprint = models.CharField(_("指纹"), max_length=500)
    decision = models.CharField(_("结论"), max_length=16, choices=Decision.choices)
    comment = models.TextField(_("意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name=_("审核人"))
    decided_at = models.DateTimeField(_("时间"), auto_now=True)

    class Meta:
        verbose_name = _("问题审核")
        verbose_name_plural = _("问题审核")
        constraints = (
            models.UniqueConstraint(fields=("submission", "fingerprint"), name="decision_fingerprint"),
        )

    def __str__(self) -> str:
        return f"{self.submission} {self.fingerprint} {self.decision}"

    @property
    def agency(self) -> Agency:
        return self.submission.agency


class Upload(models.Model):
    """A collected file read and checked, waiting for the supervisor to confirm its agency and year."""

    region = models.ForeignKey(Agency, models.CASCADE, related_name="uploads", verbose_name=_("地区"))
    year = models.PositiveIntegerField(_("年度"))
    file_name = models.CharField(_("文件名"), max_length=255)
    content = models.BinaryField(_("源文件"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    data = models.JSONField(_("报告数据"))
    proposed = models.ForeignKey(
        Agency, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("建议机关")
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # The day the report reached the supervisor (by mail, on paper, on the agency's site): the
    # filing day lateness is counted from once the file is confirmed, not the day it was uploaded.
    received_on = models.DateField(_("收到日期"), default=timezone.localdate)

    class Meta:
        verbose_name = _("待确认文件")
        verbose_name_plural = _("待确认文件")
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.file_name

    @property
    def agency(self) -> Agency:
        return self.region


class Deadline(models.Model):
    """A region's deadline for one agency level below it, overriding the default (Art. 49: 31
    January; townships and street offices are set locally, default 31 January too). The nearest
    region above an agency that sets one decides."""

    region = models.ForeignKey(Agency, models.CASCADE, related_name="deadlines", verbose_name=_("地区"))
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    month = models.PositiveSmallIntegerField(_("月"))
    day = models.PositiveSmallIntegerField(_("日"))

    class Meta:
        verbose_name = _("报送期限")
        verbose_name_plural = _("报送期限")
        constraints = (models.UniqueConstraint(fields=("region", "level"), name="deadline_region_level"),)

    def __str__(self) -> str:
        return f"{self.region} {self.get_level_display()} {self.month}-{self.day}"
