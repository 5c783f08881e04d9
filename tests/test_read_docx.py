"""DOCX reader: body order, gridSpan/vMerge grid, runs, wrappers, and damaged files."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from gongkai.reading import Cell, Loc, ReadError
from gongkai.reading.docx import read_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
ORG = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def texts(lines: list[list[Cell]]) -> list[list[str]]:
    return [[cell.text for cell in line] for line in lines]


def raw_docx(body: str) -> bytes:
    """A package holding only word/document.xml: all the reader looks at."""
    xml = f"<w:document xmlns:w='{W}' xmlns:mc='{MC}'><w:body>{body}</w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def table_three_docx() -> bytes:
    document = docx.Document()
    document.add_heading("2023年某某街道办事处政府信息公开工作年度报告", level=1)
    intro = document.add_paragraph("三、收到和处理")
    intro.add_run("政府信息公开申请情况").bold = True
    table = document.add_table(rows=5, cols=10)
    table.cell(0, 0).merge(table.cell(2, 2)).text = "（本列数据的勾稽关系）"
    table.cell(0, 3).merge(table.cell(0, 9)).text = "申请人情况"
    table.cell(1, 3).merge(table.cell(2, 3)).text = "自然人"
    table.cell(1, 4).merge(table.cell(1, 8)).text = "法人或其他组织"
    table.cell(1, 9).merge(table.cell(2, 9)).text = "总计"
    for offset, label in enumerate(ORG):
        table.cell(2, 4 + offset).text = label
    table.cell(3, 0).merge(table.cell(3, 2)).text = "一、本年新收政府信息公开申请数量"
    for offset, value in enumerate(["821", "35", "", "", "2", "1", "859"]):
        table.cell(3, 3 + offset).text = value
    table.cell(4, 0).merge(table.cell(4, 2)).text = "二、上年结转政府信息公开申请数量"
    table.cell(4, 3).text = "18"
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_merged_cells_expand_into_a_grid_in_reading_order() -> None:
    doc = read_docx(table_three_docx(), "report.docx")
    assert doc.kind == "docx"
    assert texts(doc.lines) == [
        ["2023年某某街道办事处政府信息公开工作年度报告"],
        ["三、收到和处理政府信息公开申请情况"],
        ["（本列数据的勾稽关系）", "", "", "申请人情况", "", "", "", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", *ORG, ""],
        ["一、本年新收政府信息公开申请数量", "", "", "821", "35", "", "", "2", "1", "859"],
        ["二、上年结转政府信息公开申请数量", "", "", "18", "", "", "", "", "", ""],
        ["四、政府信息公开行政复议、行政诉讼情况"],
    ]


def test_locations() -> None:
    lines = read_docx(table_three_docx(), "report.docx").lines
    assert lines[0][0].loc == Loc()
    assert lines[2][0].loc == Loc(table=1, row=1, col=1)
    assert lines[5][9].loc == Loc(table=1, row=4, col=10)


def test_grid_before_and_vmerge_restart_continue() -> None:
    def tc(text: str, props: str = "") -> str:
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{p(text)}</w:tc>"

    restart, cont, span = "<w:vMerge w:val='restart'/>", "<w:vMerge/>", "<w:gridSpan w:val='2'/>"
    body = (
        f"<w:tbl><w:tr>{tc('办理结果', restart)}{tc('（一）予以公开')}{tc('5')}</w:tr>"
        f"<w:tr>{tc('看不见', cont)}{tc('（二）部分公开')}{tc('3')}</w:tr>"
        f"<w:tr><w:trPr><w:gridBefore w:val='1'/></w:trPr>{tc('（三）', span)}</w:tr></w:tbl>{p('后文')}"
    )
    assert texts(read_docx(raw_docx(body), "x").lines) == [
        ["办理结果", "（一）予以公开", "5"],
        ["", "（二）部分公开", "3"],
        ["", "（三）", ""],
        ["后文"],
    ]


def test_runs_tabs_breaks_and_deleted_text() -> None:
    body = (
        "<w:p><w:r><w:t>信息</w:t><w:tab/><w:t xml:space='preserve'>内容  </w:t></w:r>"
        "<w:r><w:delText>删掉的</w:delText><w:br/><w:t>下一行</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>一格</w:t><w:br/><w:t>两行</w:t></w:r></w:p><w:p/>"
        "<w:p><w:r><w:t>第二段</w:t></w:r></w:p></w:tc><w:tc>" + p("1") + "</w:tc></w:tr></w:tbl>"
    )
    assert texts(read_docx(raw_docx(body), "x").lines) == [
        ["信息 内容"],
        ["下一行"],
        ["一格 两行 第二段", "1"],
    ]


def test_content_controls_and_text_boxes_are_read_once() -> None:
    box = f"<w:txbxContent>{p('文本框')}</w:txbxContent>"
    body = (
        f"<w:sdt><w:sdtContent>{p('控件里的段落')}</w:sdtContent></w:sdt>"
        "<w:p><w:r><w:t>锚定段落</w:t></w:r><w:r><mc:AlternateContent>"
        f"<mc:Choice Requires='wps'><w:drawing>{box}</w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    assert texts(read_docx(raw_docx(body), "x").lines) == [["控件里的段落"], ["锚定段落"], ["文本框"]]


def test_layout_table_around_a_data_table_is_flowed() -> None:
    inner = f"<w:tbl><w:tr><w:tc>{p('规章')}</w:tc><w:tc>{p('13')}</w:tc></w:tr></w:tbl>"
    body = f"<w:tbl><w:tr><w:tc>{p('标题')}{inner}{p('尾')}</w:tc></w:tr></w:tbl>"
    lines = read_docx(raw_docx(body), "x").lines
    assert texts(lines) == [["标题"], ["规章", "13"], ["尾"]]
    assert lines[1][1].loc == Loc(table=1, row=1, col=2)


def test_strict_ooxml_namespace() -> None:
    data = raw_docx(p("严格格式")).replace(W.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main")
    assert texts(read_docx(data, "x").lines) == [["严格格式"]]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (table_three_docx()[:3000], "损坏"),
        (b"PK\x03\x04 not really a zip", "损坏"),
        (raw_docx("<w:p><w:r><w:t>未闭合").replace(b"</w:body></w:document>", b""), "XML"),
        (raw_docx(p("   ")), "文件内容为空"),
    ],
)
def test_damaged_files_raise_read_error(data: bytes, reason: str) -> None:
    with pytest.raises(ReadError) as error:
        read_docx(data, "x")
    assert reason in error.value.zh
    assert error.value.en


def test_package_without_body() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ReadError, match=r"word/document\.xml"):
        read_docx(buffer.getvalue(), "x")
