"""Reads of the working-day calendar: the calendar every clock counts over, and its gaps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from gongkai.clock import StatutoryHoliday, WorkCalendar, missing_years, missing_years_warning
from gongkai.clock.calendar import PACKAGE_YEARS, Day, DayKind, Source, missing_note
from gongkai.web.core import versions

from .models import CalendarDay

_CALENDARS: versions.Cache[None, WorkCalendar] = versions.Cache(versions.CALENDAR, limit=1)


def work_calendar() -> WorkCalendar:
    """The working-day calendar with the table's overrides, rebuilt only when the table changed
    (in any server process: see `core.versions`)."""
    return _CALENDARS.get(None, _load_calendar)


def _load_calendar() -> WorkCalendar:
    rows = list(CalendarDay.objects.values_list("date", "is_workday", "name"))
    return WorkCalendar({d: w for d, w, _ in rows}, {d: n for d, _, n in rows if n})


def days_of(year: int) -> QuerySet[CalendarDay]:
    """The overrides of one year, in date order."""
    return CalendarDay.objects.filter(date__year=year)


def day(value: str) -> CalendarDay | None:
    """The override of an ISO date, if there is one (None for a malformed date too)."""
    try:
        return CalendarDay.objects.filter(date=date.fromisoformat(value)).first()
    except ValueError:
        return None


def missing_calendar_years(today: date | None = None) -> tuple[int, ...]:
    """This year and the next, where a statutory holiday is known neither to chinesecalendar nor to
    the calendar table."""
    return missing_years(work_calendar(), today or timezone.localdate())


def calendar_warning(today: date | None = None) -> str:
    """The Chinese banner naming each missing holiday of this year and the next, or ""."""
    return missing_years_warning(work_calendar(), missing_calendar_years(today))


@dataclass(frozen=True)
class Overview:
    """What the program knows of a year before any entry, and what is still to be entered."""

    builtin: tuple[Day, ...]  # the package's holidays and 调休 days, or the fixed-date statutory days
    from_package: bool  # chinesecalendar covers the year
    missing: tuple[StatutoryHoliday, ...]  # holidays neither built in nor entered yet
    note: str  # the Chinese sentence naming what is missing, or ""


_BUILTIN = WorkCalendar()  # no overrides: the package, the statute, or Monday–Friday


def year_overview(year: int) -> Overview:
    """The built-in days of `year` that are not ordinary (holidays, rest days, 调休 working days),
    and the holidays still missing with the table's entries counted."""
    first = date(year, 1, 1)
    days = (first + timedelta(i) for i in range((date(year, 12, 31) - first).days + 1))
    builtin = tuple(
        d
        for d in map(_BUILTIN.day, days)
        if d.source in (Source.PACKAGE, Source.STATUTE) and d.kind in (DayKind.HOLIDAY, DayKind.MAKEUP)
    )
    calendar = work_calendar()
    missing = calendar.missing_holidays(year)
    return Overview(builtin, year in PACKAGE_YEARS, missing, missing_note(calendar, year))
