"""XLSX: one sheet per table with the official merged ranges, and the long "数据" sheet."""

from __future__ import annotations

import io

import openpyxl
import pytest

from gongkai.formats import Kind
from gongkai.report import Report
from gongkai.writing import write


def sample(fmt: str) -> Report:
    report = Report.blank(fmt, zero=True)
    report.agency, report.year = "某某局", 2020
    for i, (ref, _) in enumerate(report.cells()):
        row = report.table(ref.table).row(ref.row)
        kind = next(c.kind for c in report.table(ref.table).columns_of(row) if c.key == ref.column)
        report.set(ref, {Kind.MONEY: "0.0000", Kind.TEXT: "251000元"}.get(kind, 100 + i))
    return report


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_sheets_merges_and_values(fmt: str) -> None:
    report = sample(fmt)
    wb = openpyxl.load_workbook(io.BytesIO(write(report, "xlsx")))
    assert wb.sheetnames == [t.title for t in report.tables()] + ["数据"]
    ws = wb["三、收到和处理政府信息公开申请情况"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # row 1 is the title; the table starts on row 2
    assert {"A2:C4", "D2:J2", "E3:I3", "D3:D4", "J3:J4"} <= merged
    assert ws["A2"].value.startswith("（本列数据的勾稽关系为")
    rows = 22 if fmt == "2021" else 20
    assert f"A7:A{7 + rows - 1}" in merged and ws["A7"].value == "三、本年度办理结果"
    assert ws["B9"].value == "（三）不予公开" and "B9:B16" in merged
    assert ws["C9"].value == "1.属于国家秘密"
    assert [ws.cell(9, c).value for c in range(4, 11)] == list(
        report.requests["withheld_state_secret"].values()
    )
    appeals = wb["四、政府信息公开行政复议、行政诉讼情况"]
    assert {"A2:E3", "F2:O2", "F3:J3", "K3:O3"} <= {str(r) for r in appeals.merged_cells.ranges}
    assert [c.value for c in appeals[5]] == [v for row in report.appeals.values() for v in row.values()]


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_long_sheet_has_one_row_per_declared_cell(fmt: str) -> None:
    report = sample(fmt)
    report.requests["received"]["total"] = None
    ws = openpyxl.load_workbook(io.BytesIO(write(report, "xlsx")))["数据"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("表", "行键", "行标签", "列键", "列标签", "值")
    declared = [ref for table in report.tables() for ref in table.cells()]
    assert len(rows) - 1 == len(declared)
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [(c.table, c.row, c.column) for c in declared]
    by_ref = {(r[0], r[1], r[3]): r[5] for r in rows[1:]}
    assert by_ref[("requests", "received", "total")] is None
    if fmt == "2021":
        assert by_ref[("proactive", "fees", "amount_10k_yuan")] == "0.0000"  # money keeps its digits
