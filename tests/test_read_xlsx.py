"""XLSX reader: merged ranges, numbers as printed, sheets, and damaged files."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from gongkai.reading import Cell, Loc, ReadError
from gongkai.reading.xlsx import read_xlsx


def texts(lines: list[list[Cell]]) -> list[list[str]]:
    return [[cell.text for cell in line] for line in lines]


def save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_three() -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "表三"
    sheet.merge_cells("A1:C3")
    sheet["A1"] = "（本列数据的勾稽关系）"
    sheet.merge_cells("D1:J1")
    sheet["D1"] = "申请人情况"
    sheet.merge_cells("D2:D3")
    sheet["D2"] = "自然人"
    sheet.merge_cells("E2:I2")
    sheet["E2"] = "法人或其他组织"
    for column, label in zip(
        "EFGHI", ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"], strict=True
    ):
        sheet[f"{column}3"] = label
    sheet.merge_cells("A4:C4")
    sheet["A4"] = "一、本年新收\n政府信息公开申请数量"
    sheet.append([])
    sheet.append(["二、上年结转", None, None, 18.0, 0])
    return workbook


def test_merged_ranges_leave_covered_cells_empty() -> None:
    doc = read_xlsx(save(table_three()), "report.xlsx")
    assert doc.kind == "xlsx"
    assert texts(doc.lines) == [
        ["（本列数据的勾稽关系）", "", "", "申请人情况", "", "", "", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", ""],
        ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
        ["一、本年新收 政府信息公开申请数量", "", "", "", "", "", "", "", "", ""],
        ["二、上年结转", "", "", "18", "0", "", "", "", "", ""],  # the blank row 5 is left out
    ]


def test_locations_are_sheet_rows_and_columns() -> None:
    lines = read_xlsx(save(table_three()), "report.xlsx").lines
    assert lines[0][0].loc == Loc(sheet="表三", row=1, col=1)
    assert lines[4][3].loc == Loc(sheet="表三", row=6, col=4)


@pytest.mark.parametrize(
    ("value", "number_format", "printed"),
    [
        (12, "General", "12"),
        (12.0, "General", "12"),
        (0.0, "0.00", "0"),
        (1.25, "General", "1.25"),
        (0.1 + 0.2, "General", "0.3"),
        (2.5, "0.00", "2.50"),
        (251000.456, "#,##0.0", "251000.5"),
        (0.125, "0.0%", "12.5%"),
        (-3, "General", "-3"),
        (True, "General", "TRUE"),
        ("  自然人 \n ", "General", "自然人"),
    ],
)
def test_values_print_as_the_cell_shows_them(value: object, number_format: str, printed: str) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "标签"
    sheet["B1"] = value
    sheet["B1"].number_format = number_format
    assert texts(read_xlsx(save(workbook), "x").lines) == [["标签", printed]]


def test_every_worksheet_in_order() -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "主动公开"
    first["A1"] = "规章"
    workbook.create_sheet("空表")
    workbook.create_sheet("依申请")["B2"] = "申请"
    lines = read_xlsx(save(workbook), "x").lines
    assert texts(lines) == [["规章"], ["", "申请"]]
    assert lines[1][1].loc == Loc(sheet="依申请", row=2, col=2)


def test_formatting_far_away_does_not_stretch_the_grid() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "规章"
    sheet["B1"] = 13
    sheet.cell(row=200_000, column=500).number_format = "0.00"
    lines = read_xlsx(save(workbook), "x").lines
    assert texts(lines) == [["规章", "13"]]
    assert len(lines[0]) == 2  # the far-away formatted cell added no columns or rows


@pytest.mark.parametrize(
    "data",
    [
        save(table_three())[:2000],
        b"PK\x03\x04 garbage",
        b"not a zip at all",
    ],
)
def test_damaged_files_raise_read_error(data: bytes) -> None:
    with pytest.raises(ReadError) as error:
        read_xlsx(data, "x")
    assert "XLSX" in error.value.zh
    assert "XLSX" in error.value.en


def test_workbook_without_values_is_empty() -> None:
    with pytest.raises(ReadError) as error:
        read_xlsx(save(Workbook()), "x")
    assert error.value.zh == "文件内容为空"
