"""Turning a rule's `Example` into a report and a context.

Every example starts from the same base: a report whose tables are all 0 and whose six
parts say what the format asks for, so that it passes every rule. An example then changes
only what it is about, which keeps each one short enough to read in docs/rules.md.
"""

from __future__ import annotations

from ..formats import CellRef
from ..report import Report
from .model import Context, Example

BASE_SECTIONS = {
    "一": (
        "本报告统计期限为{year}年1月1日至{year}年12月31日。本年度持续做好主动公开，依申请公开依法办理，"
        "政府信息管理规范有序，平台建设不断加强，监督保障、考核评议机制健全。"
    ),
    "二": "",
    "三": "",
    "四": "",
    "五": "存在的主要问题：公开内容还不够全面。改进措施：下一步将加强培训，细化公开目录。",
    "六": "本年度未收取信息处理费。",
}


def build(example: Example) -> tuple[Report, Context]:
    report = Report.blank(example.format, example.proactive_format, zero=True)
    report.agency = example.agency or None
    report.year = example.year
    for key, value in example.cells.items():
        table, row, column = key.split(".")
        report.set(CellRef(table, row, column), value)
    sections: dict[str, str | None] = {n: text.format(year=example.year) for n, text in BASE_SECTIONS.items()}
    sections.update(example.sections)
    report.sections = {n: text for n, text in sections.items() if text is not None}
    report.figures = list(example.figures)
    report.notes = list(example.notes)
    report.provenance = {key: dict(entry) for key, entry in example.provenance.items()}
    previous = build(example.previous)[0] if example.previous else None
    return report, Context(previous=previous, text=example.text, published=example.published)


def describe(example: Example) -> list[str]:
    """The example in words and data, one line each, for the documentation."""
    lines = [example.summary]
    lines.append(f"机关“{example.agency or '（无）'}”，{example.year}年度，格式 {example.format}")
    if example.proactive_format:
        lines.append(f"表二格式 {example.proactive_format}")
    lines += [f"`{key}` = `{value!r}`" for key, value in example.cells.items()]
    lines += [
        f"第{n}部分：{'（删去）' if text is None else f'“{text}”'}" for n, text in example.sections.items()
    ]
    lines += [
        f"叙述数字 `{f.kind}` = {f.value}（“{f.sentence}”{f'，范围“{f.scope}”' if f.scope else ''}）"
        for f in example.figures
    ]
    lines += [f"读取备注 `{n.code}` `{n.cell}`" for n in example.notes]
    lines += [f"来源 `{key}` = `{dict(entry)}`" for key, entry in example.provenance.items()]
    if example.text is not None:
        lines.append(f"全文：“{example.text}”")
    if example.published:
        lines.append(f"发布日期 {example.published.isoformat()}")
    if example.previous:
        lines.append("上年度报告：" + "；".join(describe(example.previous)))
    return lines
