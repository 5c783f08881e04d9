"""Working days (工作日): the `chinesecalendar` package plus an override table.

A working day is Monday–Friday, minus statutory holidays, plus the weekend make-up days (调休上班)
named in the State Council's yearly notice. The package knows the years it was released for
(2004–2026 in 1.11.0) and raises for later ones; the State Council publishes the next year around
November, often after requests received in December already run into January. So the caller supplies
overrides (kept by the web system in an admin-editable table) that win over the package, and for a
year that neither covers the calendar falls back to Monday–Friday and says so (`fallback_years`,
`missing_years`) instead of failing or silently guessing.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import chinese_calendar

# The package names holidays in English; the text we show is Chinese.
_HOLIDAY_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class DayKind(StrEnum):
    WORKDAY = "workday"  # an ordinary Monday–Friday working day
    MAKEUP = "makeup"  # 调休上班: a Saturday or Sunday that is a working day
    WEEKEND = "weekend"  # an ordinary Saturday or Sunday
    HOLIDAY = "holiday"  # a statutory holiday or rest day (also on a weekend when it is part of a holiday)


class Source(StrEnum):
    PACKAGE = "package"  # chinesecalendar data
    OVERRIDE = "override"  # the caller's table
    FALLBACK = "fallback"  # neither: Monday–Friday assumed


@dataclass(frozen=True)
class Day:
    """One date as the calendar sees it, with enough detail to explain a count."""

    date: date
    kind: DayKind
    name: str  # Chinese holiday name ("国庆节"), or "" for an ordinary day
    source: Source

    @property
    def is_workday(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP)


def _package_years() -> range:
    known = chinese_calendar.holidays.keys()
    return range(min(known).year, max(known).year + 1)


PACKAGE_YEARS = _package_years()


class _Year:
    """Working-day flags for one calendar year, plus the sorted ordinals for bisecting."""

    def __init__(self, first: int, flags: bytearray) -> None:
        self.first = first  # ordinal of 1 January
        self.flags = flags
        self.workdays = [first + i for i, flag in enumerate(flags) if flag]


class WorkCalendar:
    """Working days from the package, corrected by `overrides` (date -> is_workday).

    `names` optionally labels override dates ("春节", "地方假日") for explanations. Instances are
    immutable: a changed table means a new calendar (`with_overrides`), and every derived date is
    recomputed from it.
    """

    def __init__(self, overrides: Mapping[date, bool] | None = None, names: Mapping[date, str] | None = None):
        self._overrides = dict(overrides or {})
        for key in self._overrides:
            # datetime is a date subclass but never equals a date, so such a key would silently not apply.
            if isinstance(key, datetime) or not isinstance(key, date):
                raise TypeError(f"override keys must be datetime.date, got {key!r}")
        self._names = dict(names or {})
        self._override_years = frozenset(d.year for d in self._overrides)
        self._years: dict[int, _Year] = {}
        self._fallback_years: set[int] = set()

    def with_overrides(
        self, overrides: Mapping[date, bool], names: Mapping[date, str] | None = None
    ) -> WorkCalendar:
        """A new calendar with `overrides` laid over this one's (later entries win)."""
        return WorkCalendar({**self._overrides, **overrides}, {**self._names, **(names or {})})

    # Coverage -------------------------------------------------------------------------------------

    def is_covered(self, year: int) -> bool:
        """True when the package knows `year` or the override table has entries for it.

        An admin who enters any date of a year is taken to have entered that year's notice; a
        partly entered year cannot be detected from the table alone.
        """
        return year in PACKAGE_YEARS or year in self._override_years

    def covered_years(self) -> frozenset[int]:
        return frozenset(PACKAGE_YEARS) | self._override_years

    def fallback_years(self) -> frozenset[int]:
        """Years consulted so far that were answered by the Monday–Friday fallback."""
        return frozenset(self._fallback_years)

    # Days -----------------------------------------------------------------------------------------

    def day(self, d: date) -> Day:
        if d in self._overrides:
            return _classify(d, self._overrides[d], self._names.get(d, ""), Source.OVERRIDE)
        if d.year in PACKAGE_YEARS:
            return _package_day(d)
        self._fallback_years.add(d.year)
        return _classify(d, d.weekday() < 5, "", Source.FALLBACK)

    def is_workday(self, d: date) -> bool:
        year = self._year(d.year)
        return bool(year.flags[d.toordinal() - year.first])

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after `start`; `start` itself never counts (Civil Code Art. 201).

        Unlike `chinese_calendar.find_workday`, this is right when `start` is not a working day.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        if n == 0:
            return start
        year_number = start.year
        ordinal = start.toordinal()
        while True:
            year = self._year(year_number)
            index = bisect.bisect_right(year.workdays, ordinal)
            left = len(year.workdays) - index
            if n <= left:
                return date.fromordinal(year.workdays[index + n - 1])
            n -= left
            year_number += 1

    def workdays_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b (negative when b < a), so that
        ``workdays_between(d, add_workdays(d, n)) == n``."""
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        for year_number in range(a.year, b.year + 1):
            days = self._year(year_number).workdays
            count += bisect.bisect_right(days, b.toordinal()) - bisect.bisect_right(days, a.toordinal())
        return count

    def _year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            if year not in PACKAGE_YEARS:
                self._fallback_years.add(year)
            flags = bytearray(_base_flags(year))
            first = date(year, 1, 1).toordinal()
            for d, workday in self._overrides.items():
                if d.year == year:
                    flags[d.toordinal() - first] = workday
            table = self._years[year] = _Year(first, flags)
        return table


@functools.lru_cache(maxsize=4096)
def _package_day(d: date) -> Day:
    """The package's verdict on one day, remembered: the package looks each day up slowly."""
    is_holiday, name = chinese_calendar.get_holiday_detail(d)
    return _classify(d, not is_holiday, _HOLIDAY_ZH.get(name, name or ""), Source.PACKAGE)


@functools.cache
def _base_flags(year: int) -> bytes:
    """Working-day flags of `year` before overrides, shared by all calendars (the package is slow per day)."""
    first = date(year, 1, 1)
    days = (first + timedelta(i) for i in range(date(year, 12, 31).timetuple().tm_yday))
    if year in PACKAGE_YEARS:
        return bytes(chinese_calendar.is_workday(d) for d in days)
    return bytes(d.weekday() < 5 for d in days)


def _classify(d: date, workday: bool, name: str, source: Source) -> Day:
    weekend = d.weekday() >= 5
    if workday:
        return Day(d, DayKind.MAKEUP if weekend else DayKind.WORKDAY, name, source)
    if weekend and not name:
        return Day(d, DayKind.WEEKEND, name, source)
    return Day(d, DayKind.HOLIDAY, name, source)


def missing_years(calendar: WorkCalendar, today: date, ahead: int = 1) -> tuple[int, ...]:
    """Years from `today`'s through `ahead` years later that neither the package nor the overrides cover.

    The default looks one year ahead because a request received in December is due in January, and
    the State Council notice for the coming year appears only around November.
    """
    return tuple(y for y in range(today.year, today.year + ahead + 1) if not calendar.is_covered(y))


def missing_years_warning(years: Iterable[int]) -> str:
    """The Chinese warning for the UI, or "" when nothing is missing."""
    listed = "、".join(f"{y}年" for y in years)
    if not listed:
        return ""
    return f"{listed}节假日安排尚未录入，期限暂按周一至周五推算；请在国务院办公厅通知发布后录入调休安排。"
