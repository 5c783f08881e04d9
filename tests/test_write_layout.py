"""The shared layout: official merges derived from the declarations, for every format."""

from __future__ import annotations

from collections import Counter

import pytest

from gongkai.formats import FORMATS, Column, Row, Table
from gongkai.writing.layout import Span, TableLayout, table_layout

ALL_TABLES = [(f.key, t) for f in FORMATS.values() for t in f.tables]


def anchored(layout: TableLayout, text: str) -> Span:
    return next(s for s in layout.spans() if s.text == text)


@pytest.mark.parametrize(("fmt", "table"), ALL_TABLES, ids=[f"{f}-{t.key}" for f, t in ALL_TABLES])
def test_every_position_is_covered_exactly_once(fmt: str, table: Table) -> None:
    layout = table_layout(table)
    covered = Counter(
        (r, c)
        for s in layout.spans()
        for r in range(s.row, s.row + s.rowspan)
        for c in range(s.col, s.col + s.colspan)
    )
    assert set(covered) == {(r, c) for r in range(layout.n_rows) for c in range(layout.n_cols)}
    assert set(covered.values()) == {1}
    refs = [s.ref for s in layout.spans() if s.ref is not None]
    assert refs == table.cells()  # every declared cell once, in declaration order


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_requests_header_and_label_merges(fmt: str) -> None:
    layout = table_layout(FORMATS[fmt].table("requests"))
    note = layout.rows[0][0]
    assert note.text.startswith("（本列数据的勾稽关系为") and (note.rowspan, note.colspan) == (3, 3)
    assert (anchored(layout, "申请人情况").col, anchored(layout, "申请人情况").colspan) == (3, 7)
    org = anchored(layout, "法人或其他组织")
    assert (org.row, org.col, org.colspan) == (1, 4, 5)
    assert (anchored(layout, "自然人").rowspan, anchored(layout, "总计").rowspan) == (2, 2)
    assert [s.text for s in layout.rows[2]] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert anchored(layout, "一、本年新收政府信息公开申请数量").colspan == 3
    assert anchored(layout, "四、结转下年度继续办理").colspan == 3
    outcomes = anchored(layout, "三、本年度办理结果")
    assert (outcomes.row, outcomes.col) == (5, 0)
    assert outcomes.rowspan == (22 if fmt == "2021" else 20)
    withheld = anchored(layout, "（三）不予公开")
    assert (withheld.col, withheld.rowspan) == (1, 8)
    secret = anchored(layout, "1.属于国家秘密")
    assert (secret.row, secret.col, secret.colspan) == (withheld.row, 2, 1)
    assert anchored(layout, "（七）总计").colspan == 2
    other = anchored(layout, "（六）其他处理")
    assert (other.rowspan, other.colspan) == ((3, 1) if fmt == "2021" else (1, 2))


def test_proactive_2021_sections() -> None:
    layout = table_layout(FORMATS["2021"].table("proactive"))
    texts = [[s.text for s in row if s.ref is None] for row in layout.rows]
    assert texts[0] == ["第二十条第（一）项"] and layout.rows[0][0].colspan == 4
    assert texts[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    fees = next(row for row in layout.rows if row[0].text == "行政事业性收费")
    assert fees[1].ref is not None and fees[1].ref.column == "amount_10k_yuan" and fees[1].colspan == 3


def test_appeals_bands() -> None:
    layout = table_layout(FORMATS["2021"].table("appeals"))
    first = [(s.text, s.rowspan, s.colspan) for s in layout.rows[0]]
    assert first == [("行政复议", 2, 5), ("行政诉讼", 1, 10)]
    assert [(s.text, s.colspan) for s in layout.rows[1]] == [("未经复议直接起诉", 5), ("复议后起诉", 5)]
    assert len(layout.rows[2]) == 15 and len(layout.rows[3]) == 15
    assert layout.header_rows == 3 and layout.n_cols == 15


def test_a_new_declaration_needs_no_layout_change() -> None:
    a, b = Column("a", "甲数"), Column("b", "乙数")
    table = Table(
        key="proactive",
        number="二",
        title="二、试验",
        title_variants=(),
        rows=(
            Row("x", "某甲", columns=(a, b), caption="第一节"),
            Row("y", "某乙", columns=(a,), caption="第二节"),
        ),
        header_labels=("项目",),
    )
    layout = table_layout(table)
    assert [[s.text for s in row] for row in layout.rows] == [
        ["第一节"],
        ["项目", "甲数", "乙数"],
        ["某甲", "", ""],
        ["第二节"],
        ["项目", "甲数"],
        ["某乙", ""],
    ]
    assert layout.rows[5][1].colspan == 2
