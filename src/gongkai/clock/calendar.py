"""Working days (工作日): the `chinesecalendar` package plus an override table.

A working day is Monday–Friday, minus statutory holidays, plus the weekend make-up days (调休上班)
named in the State Council's yearly notice. The package knows the years it was released for
(2004–2026 in 1.11.0) and raises for later ones; the State Council publishes the next year around
November, often after requests received in December already run into January. So the caller supplies
overrides (kept by the web system in an admin-editable table) that win over the package. For a year
the package does not know, the calendar falls back to Monday–Friday minus the fixed-date statutory
holidays (元旦, 劳动节, 国庆节: `holidays`), and says which holidays are still missing
(`missing_holidays`, `missing_years`) instead of failing or silently guessing. Such a year is
complete once every statutory holiday of it has been entered from the State Council's notice.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import chinese_calendar

from .holidays import FIRST_YEAR, LAST_YEAR, StatutoryHoliday, fixed_rest_days, statutory_holidays

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
    STATUTE = "statute"  # neither, but a fixed-date statutory holiday (元旦, 劳动节, 国庆节)
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
_UNKNOWN_YEAR = ("全部法定节假日",)  # beyond the lunar tables no holiday can be named


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
        self._years: dict[int, _Year] = {}
        self._fallback_years: set[int] = set()

    def with_overrides(
        self, overrides: Mapping[date, bool], names: Mapping[date, str] | None = None
    ) -> WorkCalendar:
        """A new calendar with `overrides` laid over this one's (later entries win)."""
        return WorkCalendar({**self._overrides, **overrides}, {**self._names, **(names or {})})

    # Coverage -------------------------------------------------------------------------------------

    def missing_holidays(self, year: int) -> tuple[StatutoryHoliday, ...]:
        """The statutory holidays of `year` that neither the package nor the overrides know.

        A holiday is known when the package covers its year, when a date rule alone fixes it (元旦,
        劳动节, 国庆节), or when every one of its statutory days is entered as a rest day. Years
        beyond the lunar tables report every holiday missing.
        """
        if year in PACKAGE_YEARS:
            return ()
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return tuple(StatutoryHoliday(name, (), fixed_date=False) for name in _UNKNOWN_YEAR)
        return tuple(
            h
            for h in statutory_holidays(year)
            if not h.fixed_date and not all(self._overrides.get(d) is False for d in h.days)
        )

    def is_covered(self, year: int) -> bool:
        """True when every statutory holiday of `year` is known (the year's calendar is complete)."""
        return not self.missing_holidays(year)

    def fallback_years(self) -> frozenset[int]:
        """Years consulted so far that the package does not know (Monday–Friday plus what is entered)."""
        return frozenset(self._fallback_years)

    # Days -----------------------------------------------------------------------------------------

    def day(self, d: date) -> Day:
        if d in self._overrides:
            return _classify(d, self._overrides[d], self._names.get(d, ""), Source.OVERRIDE)
        if d.year in PACKAGE_YEARS:
            return _package_day(d)
        self._fallback_years.add(d.year)
        name = fixed_rest_days(d.year).get(d)
        if name is not None:
            return _classify(d, False, name, Source.STATUTE)
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
    rest = fixed_rest_days(year)
    return bytes(d.weekday() < 5 and d not in rest for d in days)


def _classify(d: date, workday: bool, name: str, source: Source) -> Day:
    weekend = d.weekday() >= 5
    if workday:
        return Day(d, DayKind.MAKEUP if weekend else DayKind.WORKDAY, name, source)
    if weekend and not name:
        return Day(d, DayKind.WEEKEND, name, source)
    return Day(d, DayKind.HOLIDAY, name, source)


def missing_years(calendar: WorkCalendar, today: date, ahead: int = 1) -> tuple[int, ...]:
    """Years from `today`'s through `ahead` years later whose calendar is not complete.

    The default looks one year ahead because a request received in December is due in January, and
    the State Council notice for the coming year appears only around November.
    """
    return tuple(y for y in range(today.year, today.year + ahead + 1) if not calendar.is_covered(y))


def missing_note(calendar: WorkCalendar, year: int) -> str:
    """What is missing from `year`'s calendar, in Chinese, or "" when it is complete."""
    missing = calendar.missing_holidays(year)
    if not missing:
        return ""
    names = "、".join(h.name for h in missing)
    return f"{year}年{names}的放假和调休安排尚未录入"


def missing_years_warning(calendar: WorkCalendar, years: Iterable[int]) -> str:
    """The Chinese warning for the UI, naming each missing holiday, or "" when nothing is missing."""
    notes = [note for y in years if (note := missing_note(calendar, y))]
    if not notes:
        return ""
    return (
        "；".join(notes) + "。期限暂按周一至周五推算（元旦、劳动节、国庆节按法定日期放假）；"
        "请在国务院办公厅通知发布后录入这些节日的放假日期和调休上班日。"
    )
