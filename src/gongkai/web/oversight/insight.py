"""The core's roll-up, indicators and comparison over a region's stored versions: the web only
gathers the reports, and the desk's own figures of the on-time rate; `gongkai.summary`,
`gongkai.rollup`, `gongkai.indicators` and `gongkai.compare` do the sums, reconciliation, rankings
and charts."""

from __future__ import annotations

from typing import Any

from gongkai import summary as summaries
from gongkai.compare import Comparison, compare
from gongkai.dataset import finding_rows
from gongkai.formats import CellRef
from gongkai.report import Report, Value
from gongkai.web.agencies.models import Agency
from gongkai.web.requests.models import Request
from gongkai.web.requests.selectors import timeliness

from . import selectors
from .models import Submission
from .services import finding_objects, previous_report


def desk_figures(agency_ids: list[int], year: int) -> dict[int, dict[str, Value]]:
    """The figures of the on-time rate (`indicators`: desk.closed, desk.closed_on_time) for the
    agencies whose requests this desk handles, from their records; other agencies have none, so the
    rate is neither computed nor ranked for them."""
    using = Request.objects.filter(agency_id__in=agency_ids).values_list("agency_id", flat=True).distinct()
    figures: dict[int, dict[str, Value]] = {}
    for agency_id in using:
        found = timeliness([agency_id], year)
        figures[agency_id] = {"desk.closed": found.answered, "desk.closed_on_time": found.on_time}
    return figures


def summary_page(region: Agency, year: int) -> str:
    """The batch summary page of the core for the region's year: totals summed from the agencies
    below it and reconciled with the region's own report, findings by rule, indicators ranked, SVG
    charts (no script)."""
    summary = summaries.Summary(region=region.name)
    reports = selectors.reports_of(region, year)
    desk = desk_figures([sub.agency_id for sub, _ in reports], year)
    for sub, data in reports:
        report = Report.from_json(data)
        report.agency = sub.agency.name
        assert sub.current is not None
        summary.files += 1
        findings = finding_rows(report, sub.current.file_name, finding_objects(sub.current))
        summary.add(report, findings, desk.get(sub.agency_id))
    own = selectors.own_report(region, year)
    if own is not None:
        report = Report.from_json(own)
        report.agency = region.name
        summary.files += 1
        summary.add(report, [])
    return summaries.html(summary, f"{region.name}{year}年度报告汇总、核对与指标")


def comparison(sub: Submission) -> dict[str, Any]:
    """The current version against the agency's report on the year before (None when there is
    none), with every cell named as a person names it and its change."""
    if sub.current is None:
        return {"comparison": None}
    previous = previous_report(sub.agency, sub.year)
    if previous is None:
        return {"comparison": None}
    compared = compare(Report.from_json(sub.current.data), previous)
    cells = [
        {
            "name": _cell_name(compared, c.ref),
            "before": c.before,
            "now": c.now,
            "change": c.change,
            "changed": c.now != c.before,
        }
        for c in compared.cells
    ]
    return {"comparison": compared, "cells": cells, "changed": [c for c in cells if c["changed"]]}


def _cell_name(compared: Comparison, ref: CellRef) -> str:
    """表三“…”行“…”列, from this year's format, or last year's for a cell only it has."""
    for report in (compared.current, compared.previous):
        table = report.table(ref.table)
        if ref in table.kinds:
            return table.cell_zh(ref)
    return str(ref)
