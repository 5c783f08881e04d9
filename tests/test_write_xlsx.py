"""XLSX: one sheet per table with the official merged ranges, and the long "数据" sheet."""

from __future__ import annotations

import io

import openpyxl
import pytest

from gongkai.report import Report
from gongkai.writing import write

from .strategies import distinct_report


def sample(fmt: str) -> Report:
    return distinct_report(fmt, "某某局", 2020, "0.0000")


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_sheets_merges_and_values(fmt: str) -> None:
    report = sample(fmt)
    wb = openpyxl.load_workbook(io.BytesIO(write(report, "xlsx")))
    assert wb.sheetnames == [t.title for t in report.tables()] + ["数据"]
    assert wb.worksheets[0]["A1"].value == "某某局2020年政府信息公开工作年度报告"
    ws = wb["三、收到和处理政府信息公开申请情况"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # rows 1 and 2 are the report title and the part heading; the table starts on row 3
    assert {"A3:C5", "D3:J3", "E4:I4", "D4:D5", "J4:J5"} <= merged
    assert ws["A3"].value.startswith("（本列数据的勾稽关系为")
    rows = 22 if fmt == "2021" else 20
    assert f"A8:A{8 + rows - 1}" in merged and ws["A8"].value == "三、本年度办理结果"
    assert ws["B10"].value == "（三）不予公开" and "B10:B17" in merged
    assert ws["C10"].value == "1.属于国家秘密"
    assert [ws.cell(10, c).value for c in range(4, 11)] == list(
        report.requests["withheld_state_secret"].values()
    )
    appeals = wb["四、政府信息公开行政复议、行政诉讼情况"]
    assert {"A3:E4", "F3:O3", "F4:J4", "K4:O4"} <= {str(r) for r in appeals.merged_cells.ranges}
    assert [c.value for c in appeals[6]] == [v for row in report.appeals.values() for v in row.values()]


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
