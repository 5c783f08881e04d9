"""DOCX: real merged cells where the official table merges, values in place, 公文 page setup."""

from __future__ import annotations

import io

import docx
from docx.shared import Mm

from gongkai.report import Report
from gongkai.writing import write

from .strategies import distinct_report as sample


def tables(report: Report) -> list[docx.table.Table]:
    return list(docx.Document(io.BytesIO(write(report, "docx"))).tables)


def test_requests_table_merges_and_values() -> None:
    report = sample("2021")
    table = tables(report)[1]
    cells, n = table._cells, len(table.columns)
    assert n == 10 and len(table.rows) == 28
    note = cells[0]
    assert note.text.startswith("（本列数据的勾稽关系为")
    assert all(cells[r * n + c]._tc is note._tc for r in range(3) for c in range(3))
    assert cells[3 * n]._tc is not note._tc
    assert all(cells[c]._tc is cells[3]._tc for c in range(3, 10)) and cells[3].text == "申请人情况"
    secret = 7  # three header rows, 一, 二, （一）, （二）
    assert cells[secret * n + 2].text == "1.属于国家秘密"
    assert cells[secret * n + 1].text == "（三）不予公开"
    assert all(cells[r * n + 1]._tc is cells[secret * n + 1]._tc for r in range(secret, secret + 8))
    assert all(cells[r * n]._tc is cells[5 * n]._tc for r in range(5, 27))
    assert cells[5 * n].text == "三、本年度办理结果"
    grid = report.requests["withheld_state_secret"]
    assert [cells[secret * n + 3 + i].text for i in range(7)] == [str(v) for v in grid.values()]
    last = [cells[27 * n + c] for c in range(n)]
    assert last[0].text == "四、结转下年度继续办理" and last[0]._tc is last[2]._tc
    assert last[9].text == str(report.requests["carried_forward"]["total"])


def test_proactive_and_appeals_tables() -> None:
    report = sample("2021")
    proactive, _, appeals = tables(report)
    cells = proactive._cells
    fee_row = next(r for r in range(len(proactive.rows)) if cells[r * 4].text == "行政事业性收费")
    assert [c.text for c in cells[fee_row * 4 : fee_row * 4 + 4]] == [
        "行政事业性收费",
        "1.2500",
        "1.2500",
        "1.2500",
    ]
    assert cells[fee_row * 4 + 1]._tc is cells[fee_row * 4 + 3]._tc
    values = [c.text for c in appeals.rows[3].cells]
    assert values == [str(v) for row in report.appeals.values() for v in row.values()]


def test_2019_other_row_spans_two_label_columns_and_none_is_empty() -> None:
    report = sample("2019")
    report.requests["other"]["research"] = None
    table = tables(report)[1]
    cells, n = table._cells, 10
    row = next(r for r in range(len(table.rows)) if cells[r * n + 1].text == "（六）其他处理")
    assert cells[row * n + 1]._tc is cells[row * n + 2]._tc
    assert cells[row * n + 5].text == ""
    procurement = tables(report)[0]
    texts = [c.text for c in procurement._cells]
    assert "251000元" in texts and "政府集中采购" in texts


def test_page_setup_and_fonts() -> None:
    document = docx.Document(io.BytesIO(write(sample("2021"), "docx")))
    section = document.sections[0]
    measured = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
    measured += (section.left_margin, section.right_margin)
    for length, mm in zip(measured, (210, 297, 37, 35, 28, 26), strict=True):
        assert length is not None and abs(length - Mm(mm)) < Mm(0.1)
    title = document.paragraphs[0]
    assert title.text == "北关区曙光路街道办事处2023年政府信息公开工作年度报告"
    fonts = title.runs[0]._r.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "方正小标宋简体"
    )
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "一、总体情况" and len(headings) == 6


def test_identical_reports_give_identical_bytes() -> None:
    assert write(sample("2021"), "docx") == write(sample("2021"), "docx")
