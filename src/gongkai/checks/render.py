"""Findings for people (text, HTML) and for programs (JSON).

The HTML page draws the three tables with the writers' official layout
(`gongkai.writing.layout`, `gongkai.writing.html.table_html`), so a reviewer sees the
cells where the printed report has them, with every cell of a failing identity marked.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from ..report import TABLE_KEYS, Report
from .model import Finding, Severity

GROUPS = {
    "": "报告整体",
    "proactive": "表二 主动公开",
    "requests": "表三 依申请公开",
    "appeals": "表四 复议诉讼",
}


def counts(findings: list[Finding]) -> dict[str, int]:
    counted = Counter(f.severity.value for f in findings)
    return {s.value: counted.get(s.value, 0) for s in Severity}


def summary_zh(findings: list[Finding]) -> str:
    c = counts(findings)
    return f"错误 {c['error']} 项，警告 {c['warning']} 项，提示 {c['notice']} 项"


def heading(report: Report, path: str) -> str:
    fmt = report.format + (f"（表二 {report.proactive_format}）" if report.proactive_format else "")
    return f"{report.agency or '（未识别机关）'} {report.year or '（未识别年度）'}年度  格式 {fmt}  {path}"


def text(report: Report, findings: list[Finding], path: str) -> str:
    """Grouped by table, errors first: what a reviewer reads top to bottom."""
    out = [f"== {heading(report, path)}"]
    for key, name in GROUPS.items():
        group = [f for f in findings if f.table == key]
        if group:
            out.append(f"  {name}")
            out += [f"    [{f.severity.zh}] {f.rule} {f.message_zh}" for f in group]
    out.append(f"  {summary_zh(findings)}")
    return "\n".join(out) + "\n"


def to_json(report: Report, findings: list[Finding], path: str) -> dict[str, Any]:
    return {
        "path": path,
        "agency": report.agency,
        "year": report.year,
        "format": report.format,
        "proactive_format": report.proactive_format,
        "counts": counts(findings),
        "findings": [f.to_json() for f in findings],
    }


STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#111}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}
.pair{display:flex;gap:1.5em;align-items:flex-start}
.pair>div:first-child{flex:3;overflow-x:auto}.pair>ul{flex:2;margin:0;padding-left:1.2em}
table{border-collapse:collapse;font-size:.85em}caption{font-weight:bold;padding:.3em}
th,td{border:1px solid #555;padding:2px 4px;text-align:center}
td.error{background:#f8c4c4;outline:2px solid #b00}td.warning{background:#fbe7b0}td.notice{background:#dde8f6}
li.error{color:#900}li.warning{color:#7a4a00}li.notice{color:#345}
.summary{font-weight:bold}
"""


def _marked(table_html: str, findings: list[Finding]) -> str:
    """The table with each cell a finding names given the class of its worst severity."""
    worst: dict[str, Severity] = {}
    order = list(Severity)
    for finding in findings:
        for cell in finding.cells:
            if cell not in worst or order.index(finding.severity) < order.index(worst[cell]):
                worst[cell] = finding.severity
    for cell, severity in worst.items():
        table_html = table_html.replace(f'data-cell="{cell}"', f'data-cell="{cell}" class="{severity.value}"')
    return table_html


def _items(findings: list[Finding]) -> str:
    if not findings:
        return "<ul><li>未发现问题</li></ul>"
    rows = (
        f'<li class="{f.severity.value}">［{f.severity.zh}］{escape(f.rule)} {escape(f.message_zh)}</li>'
        for f in findings
    )
    return "<ul>" + "".join(rows) + "</ul>"


def html(report: Report, findings: list[Finding], path: str) -> str:
    """One self-contained page: no scripts, no external resources."""
    from ..writing.html import table_html
    from ..writing.layout import table_layout

    title = f"检查结果：{heading(report, path)}"
    out = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="summary">{summary_zh(findings)}</p>',
        "<h2>报告整体</h2>",
        _items([f for f in findings if not f.table]),
    ]
    for key in TABLE_KEYS:
        table = report.table(key)
        mine = [f for f in findings if f.table == key]
        drawn = table_html(table_layout(table), report, f"表{table.number}　{table.title.split('、', 1)[-1]}")
        out += [
            f"<h2>{escape(GROUPS[key])}</h2>",
            f'<div class="pair"><div>{_marked(drawn, mine)}</div>{_items(mine)}</div>',
        ]
    out.append("</body></html>\n")
    return "\n".join(out)
