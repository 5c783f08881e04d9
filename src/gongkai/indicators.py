"""Indicators of disclosure work, each declared once as data, and rankings over them.

An indicator is a ratio of sums of named figures: report cells by canonical key
("requests.disclosed.total"), or figures the desk adds from its records ("desk.closed_on_time").
Below its minimum sample (the denominator) a ratio says more about chance than about the
agency, so the value is None with the reason, and such an agency is left out of rankings.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right, insort
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from .formats import CellRef
from .formats.common import OUTCOME_ROWS
from .report import Report, Value

WITHHELD = tuple(f"requests.{row.key}.total" for row in OUTCOME_ROWS if row.key.startswith("withheld_"))
APPEAL_ROWS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
DECIDED = ("upheld", "corrected", "other")


@dataclass(frozen=True)
class Indicator:
    id: str
    name_zh: str
    definition_zh: str
    numerator: tuple[str, ...]  # figures summed above the line
    denominator: tuple[str, ...]  # figures summed below it
    minimum: int  # smallest denominator for which the ratio is shown
    desk_only: bool = False  # needs figures only the desk's records have

    def measure(self, figures: Mapping[str, Value]) -> Measure:
        """The ratio for one agency-year, or None with the reason."""
        above, below = _total(figures, self.numerator), _total(figures, self.denominator)
        if above is None or below is None:
            missing = [k for k in (*self.numerator, *self.denominator) if not _is_count(figures.get(k))]
            return Measure(self, None, None, None, f"缺少数据：{'、'.join(missing)}")
        if below < self.minimum:
            return Measure(self, None, above, below, f"样本不足：分母 {below}，少于 {self.minimum}")
        return Measure(self, Fraction(above, below), above, below, "")


@dataclass(frozen=True, slots=True)  # slots: a batch keeps one per agency and indicator
class Measure:
    indicator: Indicator
    value: Fraction | None
    numerator: int | None
    denominator: int | None
    reason: str  # why the value is None; empty when there is one

    @property
    def percent(self) -> float | None:
        return None if self.value is None else round(float(self.value) * 100, 2)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "substantive_disclosure",
        "实质公开率",
        "（予以公开＋部分公开）÷ 本年办理结果总计（表三（一）＋（二）÷（七）“总计”列）",
        ("requests.disclosed.total", "requests.partly_disclosed.total"),
        ("requests.handled_total.total",),
        10,
    ),
    Indicator(
        "withheld",
        "不予公开率",
        "不予公开 1–8 项之和 ÷ 本年办理结果总计（表三（三）÷（七）“总计”列）",
        WITHHELD,
        ("requests.handled_total.total",),
        10,
    ),
    Indicator(
        "not_held",
        "不掌握率",
        "本机关不掌握相关政府信息 ÷ 本年办理结果总计（表三（四）1 ÷（七）“总计”列）",
        ("requests.unavailable_not_held.total",),
        ("requests.handled_total.total",),
        10,
    ),
    Indicator(
        "reconsideration_corrected",
        "复议纠错率",
        "行政复议结果纠正 ÷ 行政复议已审结（维持＋纠正＋其他结果）（表四）",
        ("appeals.reconsideration.corrected",),
        tuple(f"appeals.reconsideration.{c}" for c in DECIDED),
        5,
    ),
    Indicator(
        "corrected",
        "综合纠错率",
        "行政复议与行政诉讼结果纠正之和 ÷ 复议与诉讼已审结之和（表四，维持＋纠正＋其他结果）",
        tuple(f"appeals.{row}.corrected" for row in APPEAL_ROWS),
        tuple(f"appeals.{row}.{c}" for row in APPEAL_ROWS for c in DECIDED),
        5,
    ),
    Indicator(
        "carried_forward",
        "结转率",
        "结转下年度继续办理 ÷（本年新收＋上年结转）（表三 四 ÷（一＋二）“总计”列）",
        ("requests.carried_forward.total",),
        ("requests.received.total", "requests.carried_over.total"),
        10,
    ),
    Indicator(
        "on_time",
        "按时答复率",
        "法定期限（含依法延长）内答复的申请 ÷ 本年办结的申请（依受理台账，仅限使用本系统的机关）",
        ("desk.closed_on_time",),
        ("desk.closed",),
        10,
        desk_only=True,
    ),
)
BY_ID = {indicator.id: indicator for indicator in INDICATORS}
REPORT_KEYS = tuple(
    sorted({k for i in INDICATORS if not i.desk_only for k in (*i.numerator, *i.denominator)})
)


def figures_of(report: Report, extra: Mapping[str, Value] | None = None) -> dict[str, Value]:
    """The figures the indicators name: report cells by canonical key, and any the desk adds."""
    figures: dict[str, Value] = {key: report.get(CellRef(*key.split("."))) for key in REPORT_KEYS}
    figures.update(extra or {})
    return figures


def measure_all(report: Report, extra: Mapping[str, Value] | None = None) -> dict[str, Measure]:
    """Every indicator the figures allow; desk-only ones only when the desk supplied their figures."""
    figures = figures_of(report, extra)
    return {
        i.id: i.measure(figures)
        for i in INDICATORS
        if not i.desk_only or all(key in figures for key in (*i.numerator, *i.denominator))
    }


@dataclass(frozen=True)
class Ranked:
    position: int  # 1-based; ties share a position and the next position is skipped (1, 2, 2, 4)
    name: str
    measure: Measure


def rank(measures: Iterable[tuple[str, Measure]], highest_first: bool = True) -> list[Ranked]:
    """Agencies ordered by one indicator; those without a value (too few cases) are left out."""
    sign = -1 if highest_first else 1
    shown = sorted(
        ((sign * m.value, name, m) for name, m in measures if m.value is not None), key=lambda t: t[:2]
    )
    ranked: list[Ranked] = []
    for index, (_, name, measure) in enumerate(shown):
        tie = ranked and ranked[-1].measure.value == measure.value
        ranked.append(Ranked(ranked[-1].position if tie else index + 1, name, measure))
    return ranked


class Standing:
    """One indicator's ranking built one agency at a time, holding only its two ends.

    A batch over thousands of agencies keeps the `keep` highest and lowest (as `rank` orders
    them: by value, then name) and every value as one float, from which the positions and the
    spread are worked out: its memory does not grow with each agency's measures.
    """

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.top: list[tuple[Fraction, str, int, Measure]] = []  # by (-value, name), the first `keep`
        self.bottom: list[tuple[Fraction, str, int, Measure]] = []  # the last `keep`
        self.values = array("d")  # every value, for positions and the spread
        self.missing = 0  # agencies without a value (too few cases)

    def add(self, name: str, measure: Measure) -> None:
        if measure.value is None:
            self.missing += 1
            return
        entry = (-measure.value, name, len(self.values), measure)
        self.values.append(float(measure.value))
        if len(self.top) < self.keep or entry[:3] < self.top[-1][:3]:
            insort(self.top, entry, key=lambda e: e[:3])
            del self.top[self.keep :]
        if len(self.bottom) < self.keep or entry[:3] > self.bottom[0][:3]:
            insort(self.bottom, entry, key=lambda e: e[:3])
            del self.bottom[: -self.keep]

    def ends(self) -> list[Ranked]:
        """`rank`'s list when it has at most twice `keep` agencies, else its first and last `keep`."""
        ordered = sorted(self.values)
        entries = self.top + self.bottom
        if len(ordered) <= 2 * self.keep:  # the two ends overlap: each agency once
            entries = sorted({entry[2]: entry for entry in entries}.values(), key=lambda e: e[:3])
        return [
            Ranked(1 + len(ordered) - bisect_right(ordered, float(measure.value or 0)), name, measure)
            for _, name, _, measure in entries
        ]

    def percents(self) -> list[float]:
        return [round(value * 100, 2) for value in self.values]


def _is_count(value: Value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _total(figures: Mapping[str, Value], keys: tuple[str, ...]) -> int | None:
    values = [figures.get(key) for key in keys]
    if not all(_is_count(v) for v in values):
        return None
    return sum(int(v or 0) for v in values)
