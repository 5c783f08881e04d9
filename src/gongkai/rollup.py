"""A region's tables summed from its agencies' reports, and reconciled with the region's own report.

A roll-up is a sum, cell by cell, over reports of one year in one format: table 三 and 四 add
up exactly as the desk's `tally.Counts` do, and table 二's money is added as decimals in 万元
(2019's 采购总金额 is printed with its unit: "251000元" is 25.1万元). Reports of different
formats (2019 and 2021, or table 二 in the other format) have different cells and are refused
with the list of who uses which, or split into one roll-up per format by `by_format`. A cell
that one member left unread makes the region's cell unknown (None), and the gap names the
members, so a sum is never silently short.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .formats import CellRef, Kind
from .report import TABLE_KEYS, Report, Value

FormatKey = tuple[str, str | None]  # (format, table 二's format when it differs)


class RollUpError(ValueError):
    """Reports that cannot be summed together, with the reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass
class RollUp:
    report: Report  # the region's tables, summed
    members: tuple[str, ...]  # each member by agency name (or source file when unnamed)
    gaps: dict[str, list[str]] = field(default_factory=dict)  # cell key -> members that left it unread


@dataclass(frozen=True)
class Difference:
    """A cell where the sum of the members and the region's own report disagree."""

    ref: CellRef
    summed: Value
    printed: Value
    message_zh: str
    message_en: str


def format_key(report: Report) -> FormatKey:
    return report.format, report.proactive_format if report.proactive_format != report.format else None


def name(report: Report) -> str:
    return report.agency or report.source or "（未识别机关）"


def by_format(reports: Iterable[Report]) -> dict[FormatKey, list[Report]]:
    """Reports grouped by the format of their tables, in first-seen order."""
    groups: dict[FormatKey, list[Report]] = {}
    for report in reports:
        groups.setdefault(format_key(report), []).append(report)
    return groups


def roll_up(reports: Sequence[Report], agency: str | None = None) -> RollUp:
    """The sum of `reports` (one year, one format) as the report of `agency`."""
    if not reports:
        raise RollUpError("没有可汇总的报告", "no reports to roll up")
    groups = by_format(reports)
    if len(groups) > 1:
        listed = "；".join(
            f"{format_zh(key)}：{'、'.join(map(name, members))}" for key, members in groups.items()
        )
        raise RollUpError(
            f"报告格式不一致，不能直接汇总（请按格式分别汇总）：{listed}",
            f"reports follow different formats and cannot be summed together: {sorted(groups, key=str)}",
        )
    years = sorted({r.year for r in reports}, key=lambda y: (y is None, y or 0))
    if len(years) > 1:
        raise RollUpError(
            f"报告年度不一致，不能汇总：{'、'.join(str(y) for y in years)}",
            f"reports are on different years: {years}",
        )
    running = RunningSum(agency)
    for report in reports:
        running.add(report)
    return running.result()


class RunningSum:
    """A roll-up built one report at a time, so a batch of thousands holds one sum, not every report.

    With `names=False` the members are counted, not named (a batch's summary needs the count only).
    """

    def __init__(self, agency: str | None = None, names: bool = True) -> None:
        self.agency = agency
        self.names = names
        self.first: Report | None = None
        self.refs: list[CellRef] = []  # every cell, in `Report.cells()` order
        self.totals: list[int | Decimal] = []  # by position in `refs`: no hashing per cell
        self.members: list[str] = []
        self.count = 0
        self.gaps: dict[str, list[str]] = {}

    def add(self, report: Report) -> None:
        if self.first is None:
            self.first = report
            self.refs = [ref for key in TABLE_KEYS for ref in report.table(key).cells()]
            self.totals = [0] * len(self.refs)
        elif format_key(report) != format_key(self.first) or report.year != self.first.year:
            raise RollUpError(
                f"{name(report)}的报告（{report.year}年度，{format_zh(format_key(report))}）与"
                f"{name(self.first)}的（{self.first.year}年度，{format_zh(format_key(self.first))}）不能一起汇总",
                f"{name(report)} ({report.year}, {format_key(report)}) cannot be summed with "
                f"{name(self.first)} ({self.first.year}, {format_key(self.first)})",
            )
        self.count += 1
        if self.names:
            self.members.append(name(report))
        totals = self.totals
        for index, (ref, printed) in enumerate(report.cells()):  # the same format: the same cells, in order
            value = printed if printed.__class__ is int else amount(printed)
            if value is None:
                self.gaps.setdefault(str(ref), []).append(name(report))
            else:
                totals[index] += value

    def result(self) -> RollUp:
        if self.first is None:
            raise RollUpError("没有可汇总的报告", "no reports to roll up")
        total = Report.blank(self.first.format, self.first.proactive_format)
        total.agency, total.year = self.agency, self.first.year
        for ref, value in zip(self.refs, self.totals, strict=True):
            if str(ref) not in self.gaps:
                total.set(ref, _written(value, total.table(ref.table).kinds[ref]))
        return RollUp(total, tuple(self.members), dict(self.gaps))


def reconcile(summed: Report, own: Report) -> list[Difference]:
    """Every cell where the region's own report differs from the sum of its members.

    A cell unknown on either side is not a difference: the roll-up's gaps say why it is unknown.
    """
    if format_key(summed) != format_key(own):
        raise RollUpError(
            f"本级报告格式（{format_zh(format_key(own))}）与汇总格式（{format_zh(format_key(summed))}）不一致",
            f"the region's own report follows {format_key(own)}, the roll-up {format_key(summed)}",
        )
    differences: list[Difference] = []
    for table_key in TABLE_KEYS:
        table = own.table(table_key)
        for ref in table.cells():
            mine, theirs = amount(summed.get(ref)), amount(own.get(ref))
            if mine is None or theirs is None or mine == theirs:
                continue
            differences.append(
                Difference(
                    ref,
                    summed.get(ref),
                    own.get(ref),
                    f"{table.cell_zh(ref)}：下级合计 {summed.get(ref)}，本级报告填报 {own.get(ref)}，"
                    f"相差 {theirs - mine}",
                    f"{table.cell_en(ref)}: members sum to {summed.get(ref)}, the region's report prints "
                    f"{own.get(ref)}",
                )
            )
    return differences


def amount(value: Value) -> int | Decimal | None:
    """A cell as a number to add: counts, signed counts, amounts in 万元 ("251000元" is 25.1); else None."""
    if type(value) is int:
        return value
    if not isinstance(value, str):
        return None
    text, scale = value.strip(), Decimal(1)
    if text.endswith("万元"):
        text = text.removesuffix("万元")
    elif text.endswith("元"):
        text, scale = text.removesuffix("元"), Decimal(10000)
    try:
        amount = Decimal(text) / scale
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _written(total: int | Decimal, kind: Kind) -> Value:
    if kind in (Kind.COUNT, Kind.SIGNED):
        return int(total)
    return str(total) if kind is Kind.MONEY else f"{total}万元"  # TEXT: 2019's 采购总金额, units as printed


def format_zh(key: FormatKey) -> str:
    main, proactive = key
    return f"{main}年版格式" + (f"（表二为{proactive}年版）" if proactive else "")
