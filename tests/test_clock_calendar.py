"""Working-day calendar: package data, overrides, the uncovered-year fallback, and counting identities.

Expected dates are counted by hand from the State Council notices (2025, 2026), not from the code.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.clock import (
    DayKind,
    Source,
    WorkCalendar,
    missing_years,
    missing_years_warning,
    statutory_holidays,
)

CAL = WorkCalendar()


def test_saturday_receipt_counts_from_the_next_day() -> None:
    # domain-notes §6: 2025-09-27 (Saturday) -> 2025-10-30.
    assert CAL.add_workdays(date(2025, 9, 27), 20) == date(2025, 10, 30)


def test_package_find_workday_is_not_used() -> None:
    # The pitfall the notes warn about: the package's helper is a day late from a non-working day.
    assert chinese_calendar.find_workday(20, date(2025, 9, 27)) == date(2025, 10, 31)
    assert CAL.add_workdays(date(2025, 9, 27), 20) != chinese_calendar.find_workday(20, date(2025, 9, 27))


def test_makeup_sunday_2026_01_04() -> None:
    day = CAL.day(date(2026, 1, 4))
    assert day.kind is DayKind.MAKEUP and day.is_workday and day.name == "元旦"
    assert CAL.is_workday(date(2026, 1, 4))
    # Received on the make-up Sunday: the day itself is not counted; Jan 5–9, 12–16, 19–23, 26–30.
    assert CAL.add_workdays(date(2026, 1, 4), 20) == date(2026, 1, 30)
    # Received on the last holiday (Saturday 3 January): the make-up Sunday is day one.
    assert CAL.add_workdays(date(2026, 1, 3), 1) == date(2026, 1, 4)


def test_spring_festival_2026() -> None:
    # Feb 9–13 (5), Sat 14 make-up (6), 15–23 holiday, 24–27 (10), Sat 28 make-up (11),
    # Mar 2–6 (16), 9–12 (20).
    assert CAL.day(date(2026, 2, 16)).kind is DayKind.HOLIDAY
    assert CAL.day(date(2026, 2, 16)).name == "春节"
    assert CAL.add_workdays(date(2026, 2, 6), 20) == date(2026, 3, 12)


def test_national_day_2025_kinds() -> None:
    assert CAL.day(date(2025, 10, 4)).kind is DayKind.HOLIDAY  # a Saturday inside the holiday
    assert CAL.day(date(2025, 10, 6)).name == "中秋节"
    assert CAL.day(date(2025, 10, 11)).kind is DayKind.MAKEUP
    assert CAL.day(date(2025, 10, 12)).kind is DayKind.WEEKEND
    assert CAL.day(date(2025, 10, 13)).kind is DayKind.WORKDAY


def test_year_boundary() -> None:
    # Dec 16–19 (4), 22–26 (9), 29–31 (12), Jan 1–3 holiday, Sun 4 make-up (13), 5–9 (18), 12–13 (20).
    assert CAL.add_workdays(date(2025, 12, 15), 20) == date(2026, 1, 13)
    assert CAL.workdays_between(date(2025, 12, 15), date(2026, 1, 13)) == 20


def test_workdays_between_is_half_open_and_signed() -> None:
    assert CAL.workdays_between(date(2025, 9, 29), date(2025, 9, 29)) == 0
    assert CAL.workdays_between(date(2025, 9, 29), date(2025, 9, 30)) == 1
    assert CAL.workdays_between(date(2025, 9, 30), date(2025, 10, 8)) == 0
    assert CAL.workdays_between(date(2025, 9, 30), date(2025, 9, 29)) == -1


def test_add_zero_and_negative() -> None:
    assert CAL.add_workdays(date(2025, 10, 4), 0) == date(2025, 10, 4)
    with pytest.raises(ValueError):
        CAL.add_workdays(date(2025, 10, 4), -1)


def test_override_holiday_moves_the_result() -> None:
    # Oct 21–24 (4), 27–31 (9), Nov 3–7 (14), 10–14 (19), 17 (20).
    assert CAL.add_workdays(date(2025, 10, 20), 20) == date(2025, 11, 17)
    local = CAL.with_overrides({date(2025, 11, 3): False}, {date(2025, 11, 3): "地方假日"})
    day = local.day(date(2025, 11, 3))
    assert (day.kind, day.name, day.source) == (DayKind.HOLIDAY, "地方假日", Source.OVERRIDE)
    assert local.add_workdays(date(2025, 10, 20), 20) == date(2025, 11, 18)
    assert CAL.add_workdays(date(2025, 10, 20), 20) == date(2025, 11, 17)  # the original is untouched


def test_override_wins_over_package() -> None:
    cal = WorkCalendar({date(2025, 10, 11): False, date(2025, 10, 8): True})
    assert not cal.is_workday(date(2025, 10, 11))
    assert cal.day(date(2025, 10, 8)).kind is DayKind.WORKDAY
    assert cal.day(date(2025, 10, 11)).kind is DayKind.WEEKEND
    assert WorkCalendar({date(2025, 10, 12): True}).day(date(2025, 10, 12)).kind is DayKind.MAKEUP


def test_override_keys_must_be_dates() -> None:
    with pytest.raises(TypeError):
        WorkCalendar({datetime(2025, 11, 3): False})


def test_uncovered_year_falls_back_and_reports() -> None:
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))
    cal = WorkCalendar()
    assert not cal.is_covered(2027) and cal.is_covered(2026)
    assert cal.fallback_years() == frozenset()
    assert cal.is_workday(date(2027, 1, 4))  # a Monday, Monday–Friday assumed
    assert cal.day(date(2027, 1, 4)).source is Source.FALLBACK
    assert not cal.is_workday(date(2027, 1, 2))
    assert cal.fallback_years() == {2027}
    assert missing_years(cal, date(2026, 11, 20)) == (2027,)
    assert missing_years(cal, date(2026, 11, 20), ahead=2) == (2027, 2028)
    assert missing_years(cal, date(2025, 11, 20)) == ()
    warning = missing_years_warning(cal, (2027,))
    # The lunar and solar-term holidays are named; the fixed-date ones are known without entry.
    assert "2027年春节、清明节、端午节、中秋节的放假和调休安排尚未录入" in warning
    assert missing_years_warning(cal, ()) == ""
    assert missing_years_warning(cal, (2026,)) == ""


def test_fixed_date_holidays_are_known_without_entry() -> None:
    # 2027: 元旦 Friday 1 January, 劳动节 Saturday 1 and Sunday 2 May, 国庆节 Friday 1 – Sunday 3 October.
    cal = WorkCalendar()
    new_year = cal.day(date(2027, 1, 1))
    assert (new_year.kind, new_year.name, new_year.source) == (DayKind.HOLIDAY, "元旦", Source.STATUTE)
    assert not cal.is_workday(date(2027, 10, 1)) and cal.day(date(2027, 10, 2)).name == "国庆节"
    # Dec 16–18 (3), 21–25 (8), 28–31 (12), Jan 4–8 (17), 11–13 (20): 1 January is not counted.
    assert cal.add_workdays(date(2026, 12, 15), 20) == date(2027, 1, 13)


def test_statutory_holidays_by_the_law_of_each_year() -> None:
    # 2013 (Order 513): 春节 is 除夕 to 初二; 2024 (Order 644): 初一 to 初三;
    # 2025 (Order 793): 除夕 to 初三 and 劳动节 two days. Dates from the State Council notices.
    def days(year: int, name: str) -> tuple[date, ...]:
        return next(h.days for h in statutory_holidays(year) if h.name == name)

    assert days(2013, "春节") == (date(2013, 2, 9), date(2013, 2, 10), date(2013, 2, 11))
    assert days(2024, "春节") == (date(2024, 2, 10), date(2024, 2, 11), date(2024, 2, 12))
    assert days(2025, "春节") == tuple(date(2025, 1, d) for d in (28, 29, 30, 31))
    assert days(2024, "劳动节") == (date(2024, 5, 1),)
    assert days(2025, "劳动节") == (date(2025, 5, 1), date(2025, 5, 2))
    assert days(2026, "清明节") == (date(2026, 4, 5),)
    assert days(2026, "端午节") == (date(2026, 6, 19),)
    assert days(2026, "中秋节") == (date(2026, 9, 25),)
    with pytest.raises(ValueError):
        statutory_holidays(2007)


@pytest.mark.parametrize("year", range(2008, 2027))
def test_statutory_days_are_holidays_in_the_package(year: int) -> None:
    # The rules agree with the State Council's notices as the package records them.
    for holiday in statutory_holidays(year):
        for day in holiday.days:
            assert not chinese_calendar.is_workday(day), (holiday.name, day)


def test_one_entry_does_not_complete_a_year() -> None:
    cal = WorkCalendar({date(2027, 2, 5): False})  # one day of the Spring Festival notice
    assert not cal.is_covered(2027)
    assert [h.name for h in cal.missing_holidays(2027)] == ["春节", "清明节", "端午节", "中秋节"]
    assert missing_years(cal, date(2026, 11, 20)) == (2027,)


def test_uncovered_year_complete_with_every_holiday_entered() -> None:
    entered = {d: False for h in statutory_holidays(2027) if not h.fixed_date for d in h.days}
    cal = WorkCalendar(entered)
    assert cal.is_covered(2027) and cal.missing_holidays(2027) == ()
    assert missing_years(cal, date(2026, 11, 20)) == ()
    assert cal.day(date(2027, 1, 4)).source is Source.FALLBACK  # other dates still Monday–Friday
    # A holiday entered as a working day is not known as a holiday.
    spring = next(h for h in statutory_holidays(2027) if h.name == "春节")
    assert not cal.with_overrides({spring.days[1]: True}).is_covered(2027)


# Properties --------------------------------------------------------------------------------------

dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=0, max_value=400)
overrides = st.dictionaries(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31)), st.booleans(), max_size=30
)


def _naive_add(cal: WorkCalendar, start: date, n: int) -> date:
    d = start
    while n:
        d += timedelta(days=1)
        n -= cal.is_workday(d)
    return d


@given(dates, counts, counts)
def test_add_is_additive(d: date, a: int, b: int) -> None:
    assert CAL.add_workdays(d, a + b) == CAL.add_workdays(CAL.add_workdays(d, a), b)


@given(dates, st.integers(min_value=1, max_value=400), overrides)
def test_add_lands_on_a_workday_and_matches_a_naive_count(d: date, n: int, table: dict[date, bool]) -> None:
    cal = WorkCalendar(table)
    result = cal.add_workdays(d, n)
    assert cal.is_workday(result)
    assert result == _naive_add(cal, d, n)


@given(dates, counts, overrides)
def test_between_inverts_add(d: date, n: int, table: dict[date, bool]) -> None:
    cal = WorkCalendar(table)
    assert cal.workdays_between(d, cal.add_workdays(d, n)) == n


@settings(max_examples=50)
@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_agrees_with_package_where_it_has_data(d: date) -> None:
    assert CAL.is_workday(d) == chinese_calendar.is_workday(d)
    assert CAL.day(d).is_workday == chinese_calendar.is_workday(d)


@st.composite
def entered_years(draw: st.DrawFn) -> tuple[int, dict[date, bool]]:
    """A year past the package, and a calendar table entering some of its non-fixed holidays."""
    year = draw(st.integers(min_value=2027, max_value=2099))
    movable = [h for h in statutory_holidays(year) if not h.fixed_date]
    chosen = draw(st.sets(st.sampled_from([h.name for h in movable])))
    table = {d: False for h in movable if h.name in chosen for d in h.days}
    # Other entries (make-up days, local rest days) never complete a holiday by themselves.
    table.update(
        draw(st.dictionaries(st.dates(date(year, 1, 1), date(year, 12, 31)), st.booleans(), max_size=5))
    )
    return year, table


@given(entered_years(), st.integers(min_value=0, max_value=364), st.integers(min_value=1, max_value=60))
def test_complete_only_when_every_holiday_is_known_and_never_due_on_one(
    entry: tuple[int, dict[date, bool]], offset: int, n: int
) -> None:
    year, table = entry
    cal = WorkCalendar(table)
    holidays = statutory_holidays(year)
    known = {
        h.name
        for h in holidays
        if h.fixed_date or all(table.get(d) is False for d in h.days)  # a later random entry may undo one
    }
    assert known >= {h.name for h in holidays if h.fixed_date}
    assert cal.is_covered(year) == (known == {h.name for h in holidays})
    assert {h.name for h in cal.missing_holidays(year)} == {h.name for h in holidays} - known
    due = cal.add_workdays(date(year, 1, 1) + timedelta(days=offset), n)
    known_days = {d for h in holidays if h.name in known for d in h.days if table.get(d) is not True}
    assert due not in known_days
    assert cal.day(due).kind is not DayKind.HOLIDAY
