"""HTML reader: encodings, reading order, block lines, and the rowspan/colspan grid."""

from __future__ import annotations

import pytest

from gongkai.reading import Cell, Loc, ReadError
from gongkai.reading.html import read_html

ORG = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE_3 = f"""<table border="1">
<tr><td rowspan="3" colspan="3">{NOTE}</td><td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr>{"".join(f"<td>{label}</td>" for label in ORG)}</tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>
<td>821</td><td>35</td><td>&nbsp;</td><td></td><td>2</td><td>1</td><td>859</td></tr>
<tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>
<td>258</td><td>12</td><td></td><td></td><td>1</td><td>1</td><td>272</td></tr>
<tr><td rowspan="1">（三）不予公开</td><td>1.属于国家秘密</td>
<td>14</td><td></td><td></td><td></td><td></td><td></td><td>14</td></tr>
</table>"""
PAGE = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>不应出现</title><style>p {{ color: red }}</style><script>var x = "不应出现";</script></head>
<body><h1>2023年某某街道办事处政府信息公开工作年度报告</h1>
<p>三、收到和处理政府信息公开申请情况</p>
{TABLE_3}
<div>四、政府信息公开<b>行政复议</b>、行政诉讼情况</div>
</body></html>"""


def texts(lines: list[list[Cell]]) -> list[list[str]]:
    return [[cell.text for cell in line] for line in lines]


def test_gbk_page_with_table_three_header_expands_into_a_grid() -> None:
    doc = read_html(PAGE.encode("gbk"), "report.html")
    assert doc.kind == "html"
    assert doc.encoding == "gb18030"
    assert texts(doc.lines) == [
        ["2023年某某街道办事处政府信息公开工作年度报告"],
        ["三、收到和处理政府信息公开申请情况"],
        [NOTE, "", "", "申请人情况", "", "", "", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", *ORG, ""],
        ["一、本年新收政府信息公开申请数量", "", "", "821", "35", "", "", "2", "1", "859"],
        ["三、本年度办理结果", "（一）予以公开", "", "258", "12", "", "", "1", "1", "272"],
        ["", "（三）不予公开", "1.属于国家秘密", "14", "", "", "", "", "", "14"],
        ["四、政府信息公开行政复议、行政诉讼情况"],
    ]


def test_locations_number_tables_rows_and_grid_columns() -> None:
    doc = read_html(PAGE.encode("gbk"), "report.html")
    title, _, first_row, *_ = doc.lines
    assert title[0].loc == Loc(line=4)
    assert [cell.loc for cell in first_row[:4]] == [Loc(table=1, row=1, col=c) for c in range(1, 5)]
    assert doc.lines[7][9].loc == Loc(table=1, row=6, col=10)
    assert doc.lines[8][0].loc.table is None


def test_tables_are_numbered_in_document_order() -> None:
    table = "<table><tr><td>{}</td><td>{}</td></tr></table>"
    page = "<p>一</p>" + table.format("a", 1) + "<p>二</p>" + table.format("b", 2)
    lines = read_html(page.encode(), "x").lines
    assert texts(lines) == [["一"], ["a", "1"], ["二"], ["b", "2"]]
    assert (lines[1][1].loc.table, lines[3][1].loc.table) == (1, 2)


def test_blocks_split_lines_inline_elements_do_not() -> None:
    page = "<body>开头<p>第一段<span>接着</span><br>换行后</p><ul><li>甲</li><li>乙</li></ul>尾巴</body>"
    assert texts(read_html(page.encode(), "x").lines) == [
        ["开头"],
        ["第一段接着"],
        ["换行后"],
        ["甲"],
        ["乙"],
        ["尾巴"],
    ]


def test_whitespace_collapses_and_source_line_breaks_between_chinese_vanish() -> None:
    page = (
        "<p>本年新收\n      政府信息公开申请</p><p>  a \n b&nbsp;&nbsp;c </p>"
        "<table><tr><td>x</td><td>&nbsp;</td></tr></table>"
    )
    assert texts(read_html(page.encode(), "x").lines) == [["本年新收政府信息公开申请"], ["a b c"], ["x", ""]]


def test_cell_with_paragraphs_and_breaks_is_one_cell() -> None:
    page = "<table><tr><td><p>（二）部分公开</p><p>（区分处理的）</p></td><td>3<br>件</td></tr></table>"
    assert texts(read_html(page.encode(), "x").lines) == [["（二）部分公开 （区分处理的）", "3 件"]]


def test_layout_tables_are_read_as_flowing_text() -> None:
    page = """<table><tr><td><h2>年度报告</h2><p>正文</p>
    <table><tr><th>信息内容</th><th>本年新制作数量</th></tr><tr><td>规章</td><td>13</td></tr></table>
    </td></tr></table><table><tr><td>一列的排版表格</td></tr></table>"""
    lines = read_html(page.encode(), "x").lines
    assert texts(lines) == [
        ["年度报告"],
        ["正文"],
        ["信息内容", "本年新制作数量"],
        ["规章", "13"],
        ["一列的排版表格"],
    ]
    assert lines[3][1].loc == Loc(table=1, row=2, col=2)
    assert lines[4][0].loc.table is None


def test_malformed_markup_still_gives_a_rectangular_grid() -> None:
    page = b"<p>a<table><tr><td>x<td colspan=abc>y<tr><td rowspan=99 colspan=2>z<td>w</table><p>b"
    assert texts(read_html(page, "x").lines) == [["a"], ["x", "y", ""], ["z", "", "w"], ["b"]]


def test_rows_covered_entirely_by_rowspans_keep_their_place() -> None:
    page = "<table><tr><td rowspan=2>a</td><td rowspan=2>1</td></tr><tr></tr><tr><td>b<td>2</table>"
    lines = read_html(page.encode(), "x").lines
    assert texts(lines) == [["a", "1"], ["", ""], ["b", "2"]]
    assert lines[2][0].loc == Loc(table=1, row=3, col=1)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ('<meta charset="utf-8"><p>政府信息公开</p>'.encode("gbk"), "gb18030"),  # declared wrongly
        ('<meta charset="big5"><p>政府資訊公開</p>'.encode("big5"), "big5"),
        ('<?xml version="1.0" encoding="gb2312"?><html><p>政府信息公开</p></html>'.encode("gbk"), "gb18030"),
        ("\ufeff<html><p>政府信息公开</p></html>".encode("utf-16-le"), "utf-16"),
        ("<p>政府信息公开</p>".encode(), "utf-8"),
    ],
)
def test_encodings(data: bytes, encoding: str) -> None:
    doc = read_html(data, "x")
    assert doc.encoding == encoding
    assert doc.lines[0][0].text in ("政府信息公开", "政府資訊公開")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"  \n",
        b"<html><head><title>only a title</title></head><body>&nbsp;</body></html>",
        b"<script>x</script>",
    ],
)
def test_no_text_is_an_empty_file(data: bytes) -> None:
    with pytest.raises(ReadError) as error:
        read_html(data, "x")
    assert error.value.zh == "文件内容为空"


def test_binary_data_is_refused() -> None:
    with pytest.raises(ReadError):
        read_html(bytes(range(256)) * 4, "x")
