"""The statutory holidays of a year, by the law in force that year (《全国年节及纪念日放假办法》).

The holiday *days* follow from the law alone: fixed dates (元旦, 劳动节, 国庆节), lunar dates (春节,
端午节, 中秋节) and a solar term (清明节). The State Council's yearly notice then adds rest days
around them and the weekend make-up days (调休上班), which no rule predicts. So for a year the
`chinesecalendar` package does not know yet, the fixed-date holidays are known without entry, and
the others are known only once an administrator has entered them from the notice: that is what
makes a year's calendar complete.

Versions of the law: 国务院令第513号 (2008: 春节 is 除夕 to 初二), 第644号 (2014: 初一 to 初三) and
第793号 (2025: 除夕 to 初三, 劳动节 two days).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from lunardate import LunarDate

FIRST_YEAR = 2008  # the first year of the holiday law with 清明, 端午 and 中秋 (Order 513)
LAST_YEAR = 2099  # the lunar tables end with 2099


@dataclass(frozen=True)
class StatutoryHoliday:
    """One holiday of a year: its Chinese name, its statutory days, and whether a date rule alone
    fixes them (so no entry is needed to know them)."""

    name: str
    days: tuple[date, ...]
    fixed_date: bool


def _lunar(year: int, month: int, day: int) -> date:
    return LunarDate(year, month, day).to_solar_date()  # type: ignore[no-any-return]


def _qingming(year: int) -> date:
    terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
    return next(day for day, name in terms if name == "清明")  # type: ignore[no-any-return]


@functools.cache
def statutory_holidays(year: int) -> tuple[StatutoryHoliday, ...]:
    """The year's statutory holidays in calendar order of their first day.

    Raises ValueError outside FIRST_YEAR..LAST_YEAR, where the law or the lunar tables do not apply.
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"statutory holidays are known for {FIRST_YEAR}–{LAST_YEAR}, not {year}")
    new_year = _lunar(year, 1, 1)
    eve = new_year - timedelta(days=1)
    spring: tuple[date, ...]
    if year < 2014:
        spring = (eve, new_year, new_year + timedelta(days=1))
    elif year < 2025:
        spring = tuple(new_year + timedelta(days=i) for i in range(3))
    else:
        spring = (eve, *(new_year + timedelta(days=i) for i in range(3)))
    labour = (date(year, 5, 1),) if year < 2025 else (date(year, 5, 1), date(year, 5, 2))
    holidays = (
        StatutoryHoliday("元旦", (date(year, 1, 1),), fixed_date=True),
        StatutoryHoliday("春节", spring, fixed_date=False),
        StatutoryHoliday("清明节", (_qingming(year),), fixed_date=False),
        StatutoryHoliday("劳动节", labour, fixed_date=True),
        StatutoryHoliday("端午节", (_lunar(year, 5, 5),), fixed_date=False),
        StatutoryHoliday("中秋节", (_lunar(year, 8, 15),), fixed_date=False),
        StatutoryHoliday("国庆节", tuple(date(year, 10, d) for d in (1, 2, 3)), fixed_date=True),
    )
    return tuple(sorted(holidays, key=lambda h: h.days[0]))


def fixed_rest_days(year: int) -> dict[date, str]:
    """The days known to be holidays from a date rule alone, with their names ({} outside the law's years)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return {}
    return {day: h.name for h in statutory_holidays(year) if h.fixed_date for day in h.days}
