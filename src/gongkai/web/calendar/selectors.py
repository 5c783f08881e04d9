"""Reads of the working-day calendar: the calendar every clock counts over, and its gaps."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from gongkai.clock import WorkCalendar, missing_years, missing_years_warning
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
