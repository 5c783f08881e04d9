"""A signature block under a spreadsheet's table (填报人, 审核人, 填报日期, a date) is no table row."""

from __future__ import annotations

import datetime
import io

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook, load_workbook

from gongkai.extraction import extract
from gongkai.reading import load_bytes
from gongkai.reading.xlsx import read_xlsx
from gongkai.report import Report
from gongkai.writing import WRITERS

from .strategies import reports

TRAILERS: dict[str, list[list[object]]] = {
    "signature row": [["填报人：张三", None, "审核人：李四", None, "填报日期：2024年1月10日"]],
    "date cell": [[datetime.datetime(2024, 1, 10)]],
    "date text": [["2024年1月10日"]],
    "several rows": [
        [],
        ["填报单位：示例区教育局"],
        ["单位负责人：", "王五", "填表人：", "张三"],
        ["联系电话：0371-12345678"],
        ["制表日期：", "2024-01-10"],
    ],
    "unsigned labels": [["审核人", None, "填报人"], ["2024.1.10"]],
}


def with_trailer(data: bytes, rows: list[list[object]], single_sheet: bool = False) -> bytes:
    """The writer's workbook with `rows` appended under every table (or all tables on one sheet)."""
    workbook = load_workbook(io.BytesIO(data))
    sheets = [ws for ws in workbook.worksheets if ws.title != "数据"]
    if single_sheet:
        merged = Workbook()
        target = merged.active
        assert target is not None
        for sheet in sheets:
            for row in sheet.iter_rows(values_only=True):
                target.append(list(row))
        for row in rows:
            target.append(row)
        workbook = merged
    else:
        for sheet in sheets:
            for row in rows:
                sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assert_read_as_written(report: Report, data: bytes) -> None:
    read = extract(load_bytes(data, "r.xlsx"))
    assert read.canonical() == report.canonical()
    assert not [n for n in read.notes if n.code in ("undecidable", "inferred", "bad-value")]


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("name", sorted(TRAILERS))
def test_trailer_under_each_sheet_is_not_read_into_the_last_row(fmt: str, name: str) -> None:
    report = Report.blank(fmt, zero=True)
    report.agency, report.year = "示例区示例街道办事处", 2023 if fmt == "2021" else 2020
    data = with_trailer(WRITERS["xlsx"].write(report), TRAILERS[name])
    assert_read_as_written(report, data)


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_trailer_under_tables_on_one_sheet(fmt: str) -> None:
    report = Report.blank(fmt, zero=True)
    report.agency, report.year = "示例区示例街道办事处", 2023 if fmt == "2021" else 2020
    data = with_trailer(WRITERS["xlsx"].write(report), TRAILERS["several rows"], single_sheet=True)
    assert_read_as_written(report, data)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_any_report_with_a_signed_trailer_reads_back(report: Report) -> None:
    assert_read_as_written(report, with_trailer(WRITERS["xlsx"].write(report), TRAILERS["signature row"]))


def test_the_trailer_text_is_kept_ahead_of_the_tables() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["行政复议", "结果维持"])
    sheet.append([1, 2])
    sheet.append(["填报人：张三", "填报日期：2024年1月10日"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    lines = [[cell.text for cell in line] for line in read_xlsx(buffer.getvalue(), "t.xlsx").lines]
    assert lines == [["填报人：张三", "填报日期：2024年1月10日"], ["行政复议", "结果维持"], ["1", "2"]]


def test_a_table_row_is_never_taken_for_a_trailer() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["四、结转下年度继续办理", 0, 0])
    sheet.append(["总计", 3, 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    lines = [[cell.text for cell in line] for line in read_xlsx(buffer.getvalue(), "t.xlsx").lines]
    assert lines == [["四、结转下年度继续办理", "0", "0"], ["总计", "3", "3"]]
