"""Reads of the annual reports for other apps: the published (frozen) reports the public may see."""

from __future__ import annotations

from django.db.models import QuerySet

from gongkai.report import Report
from gongkai.web.agencies.models import Agency

from .models import AnnualReport, ReportStatus


def published_reports(agency: Agency) -> QuerySet[AnnualReport]:
    """The agency's own published reports (roll-ups are the supervising agency's), newest first."""
    return AnnualReport.objects.filter(agency=agency, rollup=False, status=ReportStatus.PUBLISHED).order_by(
        "-year"
    )


def published_report(agency: Agency, year: int) -> Report | None:
    saved = published_reports(agency).filter(year=year).first()
    return Report.from_json(saved.data) if saved is not None else None
