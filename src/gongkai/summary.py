"""The summary page of a batch: counts, totals per year, findings by rule, indicators and rankings.

`Summary` is filled one agency-year at a time (a batch of thousands keeps counters, one running
roll-up per year and format, and a few numbers per agency), and `html` turns it into one
self-contained page. Charts are SVG drawn on the server by pygal; pygal's inline configuration
script is removed, so the page runs no script and loads nothing from elsewhere.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .checks import BY_ID, Severity
from .dataset import FINDING_HEADER
from .formats import CellRef
from .indicators import INDICATORS, Measure, Standing, measure_all
from .report import Report, Value
from .rollup import FormatKey, RollUpError, RunningSum, format_key, format_zh, reconcile

HEADLINE = (
    ("requests", "received", "本年新收申请"),
    ("requests", "carried_over", "上年结转"),
    ("requests", "handled_total", "办理结果总计"),
    ("requests", "disclosed", "予以公开"),
    ("requests", "carried_forward", "结转下年度"),
    ("appeals", "reconsideration", "行政复议"),
    ("appeals", "litigation_direct", "未经复议直接起诉"),
    ("appeals", "litigation_after_reconsideration", "复议后起诉"),
)
RANKED = 10  # agencies shown at each end of a ranking
RULE, SEVERITY, WHOSE = (FINDING_HEADER.index(k) for k in ("rule", "severity", "whose"))
SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


@dataclass
class Summary:
    files: int = 0
    skipped: int = 0  # unchanged since the last run: not read again
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file, reason in Chinese)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, the file kept instead)
    by_year: Counter[int | None] = field(default_factory=Counter)
    with_errors: Counter[int | None] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    whose: Counter[str] = field(default_factory=Counter)
    totals: dict[tuple[int | None, FormatKey], RunningSum] = field(default_factory=dict)
    # The latest year's ranking of each indicator, kept as it is built (`Standing`: the two ends
    # and a float per agency): a batch over many years and agencies keeps no agency's measures.
    standings: dict[int | None, dict[str, Standing]] = field(default_factory=dict)
    region: str | None = None  # the agency whose own report the members' sum is checked against
    own: dict[int | None, Report] = field(default_factory=dict)  # the region's own report by year

    def add(
        self,
        report: Report,
        findings: list[list[Any]],
        extra: Mapping[str, Value] | None = None,
        *,
        measures: Mapping[str, Measure] | None = None,
    ) -> None:
        """One agency-year: its tables, its findings as `dataset.finding_rows` wrote them, and any
        figures the desk adds from its records (`indicators.figures_of`). `measures` are the
        report's `measure_all(report, extra)` when the caller has them already (a batch's dataset
        row needs them too)."""
        self.by_year[report.year] += 1
        if any(f[SEVERITY] == Severity.ERROR.zh for f in findings):
            self.with_errors[report.year] += 1
        self.rules.update(f[RULE] for f in findings)
        self.whose.update(f[WHOSE] for f in findings)
        latest = max((year or 0 for year in self.standings), default=None)
        if latest is None or (report.year or 0) >= latest:
            if latest is not None and (report.year or 0) > latest:
                self.standings.clear()
            name = report.agency or report.source or "（未识别机关）"
            standings = self.standings.setdefault(report.year, {})
            if measures is None:
                measures = measure_all(report, extra)
            for indicator, measure in measures.items():
                if indicator not in standings:
                    standings[indicator] = Standing(RANKED)
                standings[indicator].add(name, measure)
        if self.region is not None and report.agency == self.region:
            self.own[report.year] = report  # checked against the sum, not part of it
            return
        key = (report.year, format_key(report))
        running = self.totals.setdefault(key, RunningSum(f"{report.year}年度合计", names=False))
        running.add(report)  # one year and one format by the key: never refused

    def read(self) -> int:
        return sum(self.by_year.values())


def html(summary: Summary, title: str = "年度报告批量检查汇总") -> str:
    parts = [
        f"<h1>{_e(title)}</h1>",
        _overview(summary),
        _totals(summary),
        _chart(_years_chart(summary)),
        _findings(summary),
        _indicators(summary),
        _failures(summary),
    ]
    return PAGE.format(title=_e(title), body="\n".join(p for p in parts if p))


PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; }}
th, td {{ border: 1px solid #999; padding: 0.2em 0.6em; text-align: left; }}
td.n {{ text-align: right; }}
.chart svg {{ max-width: 860px; height: auto; }}
.note {{ color: #555; font-size: 0.9em; }}
</style></head>
<body>
{body}
</body></html>
"""


def _e(value: object) -> str:
    return html_lib.escape("" if value is None else str(value))


def _table(header: tuple[str, ...] | list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(_td(v) for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _td(value: object) -> str:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return f'<td class="n">{_e(value)}</td>' if number else f"<td>{_e(value)}</td>"


def _overview(s: Summary) -> str:
    rows = [
        ["文件", s.files],
        ["读取成功的报告（机关-年度）", s.read()],
        ["其中本次未变、未重新读取的文件", s.skipped],
        ["无法读取的文件", len(s.failures)],
        ["同一机关同一年度的重复文件（未计入）", len(s.duplicates)],
        ["发现错误的报告", sum(s.with_errors.values())],
    ]
    return "<h2>概况</h2>" + _table(["项目", "数量"], rows)


def _totals(s: Summary) -> str:
    """Per year and format, the headline figures summed over every member's report, and with
    `--region`, every cell where the region's own report disagrees with that sum."""
    if not s.totals:
        return ""
    rows, checks = [], []
    for (year, key), running in sorted(s.totals.items(), key=lambda item: (item[0][0] or 0, str(item[0][1]))):
        total = running.result()
        values = [total.report.get(CellRef(table, row, "total")) for table, row, _ in HEADLINE]
        rows.append([f"{year}年度（{format_zh(key)}）", running.count, *values, len(total.gaps)])
        if s.region is not None:
            checks.append(_reconciled(s, year, total.report))
    header = ["年度", "报告数", *(label for _, _, label in HEADLINE), "有缺失的单元格"]
    whose = f"除{_e(s.region)}外" if s.region is not None else ""
    note = (
        f'<p class="note">{whose}各机关表格逐格相加；任一机关未能读取的单元格不计合计（显示为空），'
        "其数目见最后一列。</p>"
    )
    reconciled = f"<h2>与{_e(s.region)}本级报告核对</h2>" + "".join(checks) if checks else ""
    return "<h2>合计（逐格汇总）</h2>" + _table(header, rows) + note + reconciled


def _reconciled(s: Summary, year: int | None, summed: Report) -> str:
    own = s.own.get(year)
    title = f"<h3>{_e(year)}年度（{format_zh(format_key(summed))}）</h3>"
    if own is None:
        return title + f"<p>未找到{_e(s.region)}{_e(year)}年度的报告，无法核对。</p>"
    try:
        differences = reconcile(summed, own)
    except RollUpError as error:
        return title + f"<p>{_e(error.zh)}</p>"
    if not differences:
        return title + "<p>本级报告与下级合计逐格一致（未能读取的单元格除外）。</p>"
    return title + _table(
        ["单元格", "下级合计", "本级报告", "说明"],
        [[str(d.ref), d.summed, d.printed, d.message_zh] for d in differences],
    )


def _findings(s: Summary) -> str:
    if not s.rules:
        return "<h2>检查发现</h2><p>未发现问题。</p>"
    rows = [[rule, BY_ID[rule].title_zh if rule in BY_ID else "", n] for rule, n in s.rules.most_common()]
    whose_rows = [[k, n] for k, n in s.whose.most_common()]
    return (
        "<h2>检查发现</h2>"
        + _chart(_rules_chart(s))
        + _table(["规则", "名称", "发现数"], rows)
        + "<h3>归属</h3>"
        + _table(["归属", "发现数"], whose_rows)
    )


def _indicators(s: Summary) -> str:
    if not s.standings:
        return ""
    year = max(s.standings, key=lambda y: y or 0)
    standings = s.standings[year]
    out = [f"<h2>指标（{_e(year)}年度）</h2>", _chart(_indicator_chart(standings, year))]
    for indicator in INDICATORS:
        standing = standings.get(indicator.id)
        if standing is None:
            continue
        out.append(
            f"<h3>{_e(indicator.name_zh)}</h3><p class='note'>定义：{_e(indicator.definition_zh)}；"
            f"分母少于 {indicator.minimum} 的不计算、不排名（本年度 {standing.missing} 家）。</p>"
        )
        out.append(
            _table(
                ["名次", "机关", "指标（%）", "分子", "分母"],
                [
                    [r.position, r.name, r.measure.percent, r.measure.numerator, r.measure.denominator]
                    for r in standing.ends()
                ],
            )
        )
    return "\n".join(out)


def _failures(s: Summary) -> str:
    rows = [[path, reason] for path, reason in s.failures]
    rows += [[path, f"与 {kept} 为同一机关同一年度，未计入"] for path, kept in s.duplicates]
    return "<h2>未计入的文件</h2>" + _table(["文件", "原因"], rows) if rows else ""


def _chart(svg: str) -> str:
    return f'<div class="chart">{SCRIPT.sub("", svg)}</div>'


def _style() -> Any:
    import pygal.style

    return pygal.style.Style(
        font_family='"Noto Sans CJK SC", sans-serif', background="white", plot_background="white"
    )


def _config(chart: Any, title: str) -> Any:
    chart.config.js = []
    chart.config.disable_xml_declaration = True
    chart.config.style = _style()
    chart.title = title
    return chart


def _years_chart(s: Summary) -> str:
    import pygal

    years = sorted(s.by_year, key=lambda y: y or 0)
    chart = _config(pygal.Bar(height=360), "各年度报告数")
    chart.x_labels = [str(y) for y in years]
    chart.add("读取成功", [s.by_year[y] for y in years])
    chart.add("其中发现错误", [s.with_errors[y] for y in years])
    return str(chart.render(is_unicode=True))


def _rules_chart(s: Summary) -> str:
    import pygal

    common = s.rules.most_common(20)
    chart = _config(pygal.HorizontalBar(height=120 + 24 * len(common), show_legend=False), "各规则发现数")
    chart.x_labels = [rule for rule, _ in common]
    chart.add("发现数", [n for _, n in common])
    return str(chart.render(is_unicode=True))


def _indicator_chart(standings: Mapping[str, Standing], year: int | None) -> str:
    """The spread of each indicator over the agencies that have a value (box: quartiles, whiskers)."""
    import pygal

    chart = _config(pygal.Box(height=420, box_mode="tukey"), f"{year}年度各机关指标分布（%）")
    for indicator in INDICATORS:
        standing = standings.get(indicator.id)
        if standing is not None and standing.values:
            chart.add(indicator.name_zh, standing.percents())
    return str(chart.render(is_unicode=True))
