"""The researchers' dataset: one row per agency-year with every cell, and one row per finding.

Columns are derived from the format declarations (the union of both formats' cells, 2021's
first), so a 2019 report leaves the 2021-only cells empty instead of shifting columns. Each row
also carries the indicators and, when last year's report was found, the R15 similarity of parts
一 and 五. The writers (CSV, XLSX, Parquet) live in the command line; this module only decides
what the rows are.
"""

from __future__ import annotations

from typing import Any

from .checks import Finding
from .checks.history import similarity
from .checks.whose import whose
from .formats import FORMAT_2019, FORMAT_2021, Kind
from .indicators import INDICATORS, Measure
from .report import TABLE_KEYS, Report

META = ("file", "sha256", "agency", "year", "format", "proactive_format", "previous_file")


def _cells() -> tuple[tuple[str, Kind], ...]:
    seen: dict[str, Kind] = {}
    for fmt in (FORMAT_2021, FORMAT_2019):
        for table in fmt.tables:
            for ref in table.cells():
                seen.setdefault(str(ref), table.kinds[ref])
    return tuple(seen.items())


CELLS = _cells()
CELL_PARTS = tuple(tuple(key.split(".")) for key, _ in CELLS)
INDICATOR_COLUMNS = tuple(f"indicator.{i.id}" for i in INDICATORS if not i.desk_only)
COMPARISON_COLUMNS = ("similarity.一", "similarity.五", "errors", "warnings", "notices")
HEADER = (*META, *(key for key, _ in CELLS), *INDICATOR_COLUMNS, *COMPARISON_COLUMNS)
TEXT_COLUMNS = frozenset(
    {"file", "sha256", "agency", "format", "proactive_format", "previous_file"}
    | {key for key, kind in CELLS if kind in (Kind.MONEY, Kind.TEXT)}
)
FLOAT_COLUMNS = frozenset((*INDICATOR_COLUMNS, "similarity.一", "similarity.五"))

FINDING_HEADER = (
    "file",
    "agency",
    "year",
    "rule",
    "severity",
    "whose",
    "table",
    "cells",
    "message",
    "message_en",
    "fingerprint",
)
FINDING_HEADER_ZH = (
    "文件",
    "机关",
    "年度",
    "规则",
    "级别",
    "归属",
    "表",
    "单元格",
    "说明",
    "英文说明",
    "指纹",
)


DESCRIPTIONS = {
    "file": "文件",
    "sha256": "文件 SHA-256",
    "agency": "机关",
    "year": "年度",
    "format": "报告格式（2019 试行 / 2021）",
    "proactive_format": "表二格式（与报告格式不同时）",
    "previous_file": "比较所用的上年度报告文件",
    "similarity.一": "第一部分与上年相似度（R15 口径）",
    "similarity.五": "第五部分与上年相似度（R15 口径）",
    "errors": "错误数",
    "warnings": "警告数",
    "notices": "提示数",
    **{f"indicator.{i.id}": f"{i.name_zh}（%）：{i.definition_zh}" for i in INDICATORS},
}


def meanings() -> list[tuple[str, str]]:
    """Each column of `HEADER` and what it is, in Chinese: meta fields, each cell by its table/row/column."""
    tables = [table for fmt in (FORMAT_2019, FORMAT_2021) for table in fmt.tables]
    names = {str(ref): table.cell_zh(ref) for table in tables for ref in table.cells()}
    return [(column, names.get(column, DESCRIPTIONS.get(column, column))) for column in HEADER]


def row(
    report: Report,
    file: str,
    sha256: str,
    findings: list[Finding],
    measures: dict[str, Measure],
    previous: Report | None = None,
    previous_file: str = "",
) -> list[Any]:
    """One agency-year, in `HEADER` order."""
    grids = {key: report.grid(key) for key in TABLE_KEYS}
    parts: list[float | None] = [None, None]
    if previous is not None:
        for index, number in enumerate(("一", "五")):
            now, before = report.sections.get(number), previous.sections.get(number)
            if now and before:
                parts[index] = round(similarity(now, before).similarity, 4)
    severities = [f.severity.value for f in findings]
    return [
        file,
        sha256,
        report.agency,
        report.year,
        report.format,
        report.proactive_format,
        previous_file,
        *(grids[table].get(row, {}).get(column) for table, row, column in CELL_PARTS),
        *(measures[c.removeprefix("indicator.")].percent for c in INDICATOR_COLUMNS),
        *parts,
        *(severities.count(s) for s in ("error", "warning", "notice")),
    ]


def finding_rows(report: Report, file: str, findings: list[Finding]) -> list[list[Any]]:
    """One row per finding, in `FINDING_HEADER` order, saying whose it is and its fingerprint."""
    return [
        [
            file,
            report.agency,
            report.year,
            f.rule,
            f.severity.zh,
            whose(f, report).zh,
            f.table,
            " ".join(f.cells),
            f.message_zh,
            f.message_en,
            f.fingerprint,
        ]
        for f in findings
    ]
