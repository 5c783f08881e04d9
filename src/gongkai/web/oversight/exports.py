"""A region's year for download, through the core's own writers: the researchers' dataset (one row
per agency-year with every cell, CSV/XLSX/Parquet, `gongkai.dataset` through `batch_cli.Sink`, every
string made inert by `gongkai.writing.inert`), the findings as XLSX, and each agency's tables in the
official layout (XLSX, one per agency, in a ZIP)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gongkai import dataset
from gongkai.batch_cli import Sink
from gongkai.indicators import measure_all
from gongkai.report import Report
from gongkai.web.agencies.models import Agency
from gongkai.writing import write
from gongkai.writing.xlsx_sheet import write_sheet

from . import selectors
from .services import finding_objects

FILES = {
    "csv": ("dataset.csv", "text/csv; charset=utf-8", "数据.csv"),
    "xlsx": (
        "dataset.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "数据.xlsx",
    ),
    "parquet": ("dataset.parquet", "application/vnd.apache.parquet", "数据.parquet"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REVIEW_HEADER = ("审核结论", "审核意见", "审核人")


def findings_book(region: Agency, year: int) -> bytes:
    """Every agency's findings as `dataset.finding_rows` writes them, each with the reviewer's
    decision on it (kept by fingerprint), its comment and who decided, so a dismissal travels too."""
    out = io.BytesIO()
    write_sheet(out, "检查发现", _reviewed_findings(region, year))
    return out.getvalue()


def _reviewed_findings(region: Agency, year: int) -> Iterator[list[Any]]:
    yield [*dataset.FINDING_HEADER_ZH, *REVIEW_HEADER]
    fingerprint = dataset.FINDING_HEADER.index("fingerprint")
    for sub, data in selectors.reports_of(region, year):
        version = sub.current
        assert version is not None
        decided = selectors.decisions(sub)
        report = Report.from_json(data)
        file = version.file_name or f"{sub.agency.name}（{version.get_source_display()}）"
        for row in dataset.finding_rows(report, file, finding_objects(version)):
            decision = decided.get(row[fingerprint])
            review = (
                [decision.get_decision_display(), decision.comment, decision.decided_by.get_username()]
                if decision is not None
                else ["", "", ""]
            )
            yield [*row, *review]


def tables(region: Agency, year: int) -> bytes:
    """Each agency's report in the official layout (XLSX through the core's writer), in one ZIP."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for sub, data in selectors.reports_of(region, year):
            name = "".join(ch for ch in sub.agency.name if ch not in '\\/:*?"<>|')[:100] or str(sub.agency_id)
            archive.writestr(f"{name}-{sub.agency_id}.xlsx", write(Report.from_json(data), "xlsx"))
    return out.getvalue()


def make(region: Agency, year: int, fmt: str) -> tuple[bytes, str, str] | None:
    """The file's bytes, media type and name suffix; None for an unknown format."""
    if fmt == "tables":
        return tables(region, year), "application/zip", "各机关报告表格.zip"
    if fmt == "findings":
        return findings_book(region, year), XLSX, "检查发现.xlsx"
    if fmt not in FILES:
        return None
    name, media_type, suffix = FILES[fmt]
    with tempfile.TemporaryDirectory(prefix="gongkai-export-") as out:
        sink = Sink(Path(out))
        for sub, data in selectors.reports_of(region, year):
            version = sub.current
            assert version is not None
            report = Report.from_json(data)
            findings = finding_objects(version)
            file = version.file_name or f"{sub.agency.name}（{version.get_source_display()}）"
            row = dataset.row(report, file, version.sha256, findings, measure_all(report))
            sink.add(row, dataset.finding_rows(report, file, findings))
        sink.close()
        path = Path(out) / name
        if not path.exists():  # Parquet needs the optional pyarrow
            return None
        return path.read_bytes(), media_type, suffix
