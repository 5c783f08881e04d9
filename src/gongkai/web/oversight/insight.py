"""The core's roll-up, indicators and comparison over a region's stored versions: the web only
gathers the reports; `gongkai.summary`, `gongkai.rollup`, `gongkai.indicators` and `gongkai.compare`
do the sums, reconciliation, rankings and charts."""

from __future__ import annotations

from typing import Any

from gongkai import summary as summaries
from gongkai.compare import compare
from gongkai.dataset import finding_rows
from gongkai.report import Report
from gongkai.web.agencies.models import Agency

from . import selectors
from .models import Submission
from .services import finding_objects, previous_report


def summary_page(region: Agency, year: int) -> str:
    """The batch summary page of the core for the region's year: totals summed from the agencies
    below it and reconciled with the region's own report, findings by rule, indicators ranked, SVG
    charts (no script)."""
    summary = summaries.Summary(region=region.name)
    for sub, data in selectors.reports_of(region, year):
        report = Report.from_json(data)
        report.agency = sub.agency.name
        assert sub.current is not None
        summary.files += 1
        summary.add(report, finding_rows(report, sub.current.file_name, finding_objects(sub.current)))
    own = selectors.own_report(region, year)
    if own is not None:
        report = Report.from_json(own)
        report.agency = region.name
        summary.files += 1
        summary.add(report, [])
    return summaries.html(summary, f"{region.name}{year}年度报告汇总、核对与指标")


def comparison(sub: Submission) -> dict[str, Any]:
    """The current version against the agency's report on the year before (None when there is none)."""
    if sub.current is None:
        return {"comparison": None}
    previous = previous_report(sub.agency, sub.year)
    if previous is None:
        return {"comparison": None}
    return {"comparison": compare(Report.from_json(sub.current.data), previous)}
