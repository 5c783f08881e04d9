"""The six parts of a report in order, with a neutral draft where no narrative is known.

Parts 二–四 are the tables under their headings. Parts 一, 五 and 六 come from
`report.sections` when the report carries them (a read report, or text the user wrote);
otherwise they are drafted from the numbers alone, marked as drafts, so that a report
produced from raw statistics is complete yet asserts nothing the tables do not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..formats import Kind
from ..report import Report, Value
from .layout import value_text

NUMBERS = "一二三四五六"
TABLE_PARTS = {"二": "proactive", "三": "requests", "四": "appeals"}
DRAFT_MARK = "【草稿：本部分根据统计数据自动生成，请核实、补充后再发布。】"
UNIT = re.compile(r"[（(]单位[：:]\s*([^，,）)]+)[^）)]*[）)]")


@dataclass(frozen=True)
class Part:
    number: str  # "一".."六"
    heading: str  # "一、总体情况"
    paragraphs: tuple[str, ...] = ()
    table: str = ""  # table key for parts 二–四
    unit_note: str = ""  # e.g. "单位：件", printed above the table
    draft: bool = False  # the paragraphs are a generated draft


def title(report: Report) -> str:
    agency = report.agency or "（机关名称）"
    year = "（年度）" if report.year is None else str(report.year)
    return f"{agency}{year}年政府信息公开工作年度报告"


def parts(report: Report) -> list[Part]:
    result = []
    for number, variants in zip(NUMBERS, report.fmt.sections, strict=False):
        heading = variants[0]
        key = TABLE_PARTS.get(number, "")
        if key:
            result.append(Part(number, heading, table=key, unit_note=unit_note(report, key)))
            continue
        text = report.sections.get(number, "").strip()
        if text:
            paragraphs = tuple(p.strip() for p in text.splitlines() if p.strip())
            if paragraphs and paragraphs[0] == heading:
                paragraphs = paragraphs[1:]
            result.append(Part(number, heading, paragraphs))
        else:
            result.append(Part(number, heading, (DRAFT_MARK, *DRAFTS[number](report)), draft=True))
    return result


def unit_note(report: Report, key: str) -> str:
    """Tables of counts only carry "单位：件"; others state their units in the column labels."""
    table = report.table(key)
    kinds = {c.kind for row in table.rows for c in table.columns_of(row)}
    return "单位：件" if kinds == {Kind.COUNT} else ""


def _amount(label: str, value: Value) -> str:
    """ "本年收费金额（单位：万元）" and "0" read as "本年收费金额0万元"."""
    unit = UNIT.search(label)
    if unit:
        return f"{UNIT.sub('', label)}{value_text(value)}{unit.group(1)}"
    return f"{label}{value_text(value)}"


def _total(report: Report, table: str, row: str) -> int | None:
    value = report.grid(table).get(row, {}).get("total")
    return value if isinstance(value, int) else None


def _draft_general(report: Report) -> list[str]:
    paragraphs = []
    proactive = report.table("proactive")
    grid = report.grid("proactive")
    items = []
    for row in proactive.rows:
        values = [
            _amount(c.label, grid.get(row.key, {}).get(c.key))
            for c in proactive.columns_of(row)
            if grid.get(row.key, {}).get(c.key) not in (None, "")
        ]
        if values:
            items.append(f"{row.label}（{'，'.join(values)}）")
    if items:
        paragraphs.append("（一）主动公开方面。本年度主动公开政府信息情况：" + "；".join(items) + "。")
    counts = [_total(report, "requests", key) for key in TOTALS]
    if all(v is not None for v in counts):
        received, carried, handled, forward = counts
        paragraphs.append(
            f"（二）依申请公开方面。本年度共收到政府信息公开申请{received}件，上年结转{carried}件，"
            f"办结{handled}件，结转下年度继续办理{forward}件。"
        )
    appeals = [_total(report, "appeals", row.key) for row in report.table("appeals").rows]
    if appeals and all(v is not None for v in appeals):
        first, *rest = appeals
        paragraphs.append(
            f"本年度因政府信息公开工作被申请行政复议{first}件，"
            f"提起行政诉讼{sum(v for v in rest if v is not None)}件。"
        )
    paragraphs.append("（待填写：政府信息管理、平台建设、监督保障等方面的情况。）")
    return paragraphs


TOTALS = ("received", "carried_over", "handled_total", "carried_forward")


def _draft_problems(report: Report) -> list[str]:
    return ["（待填写：本年度政府信息公开工作存在的主要问题、上年度问题的整改情况及下一步改进措施。）"]


def _draft_other(report: Report) -> list[str]:
    paragraphs = []
    table = report.table("proactive")
    grid = report.grid("proactive")
    for row in table.rows:
        for column in table.columns_of(row):
            value = grid.get(row.key, {}).get(column.key)
            if column.kind is Kind.MONEY and value not in (None, ""):
                amount = _amount(column.label, value)
                paragraphs.append(f"本年度{row.label}情况：{amount}（见第二部分表格）。")
    paragraphs.append("（待填写：信息处理费的收取情况及其他需要报告的事项。）")
    return paragraphs


DRAFTS = {"一": _draft_general, "五": _draft_problems, "六": _draft_other}
