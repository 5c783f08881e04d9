"""Editing the working-day calendar (audited); every open clock follows, since due dates are derived."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from gongkai.clock import statutory_holidays
from gongkai.clock.holidays import FIRST_YEAR, LAST_YEAR
from gongkai.web.agencies.permissions import require
from gongkai.web.core import checks as check
from gongkai.web.core import versions
from gongkai.web.core.audit import record, snapshot
from gongkai.web.core.errors import InvalidInput, NotFound

from .models import CalendarDay

User = AbstractBaseUser | AnonymousUser


MAX_RANGE_DAYS = 31  # the longest holiday with its rest days is about nine days; a month bounds a typo


def set_calendar_day(actor: User, day: date | str, is_workday: bool, name: str = "") -> CalendarDay:
    """Add or change one override: a holiday, or a 调休 make-up working day."""
    return set_calendar_days(actor, day, day, is_workday, name)[0]


def set_calendar_days(
    actor: User, first: date | str, last: date | str, is_workday: bool, name: str = ""
) -> list[CalendarDay]:
    """Set every day from `first` to `last` (inclusive) alike, in one transaction, each audited:
    a holiday's rest days from the State Council's notice are entered as one range.

    A statutory holiday day (《全国年节及纪念日放假办法》) is never a working day: that is refused.
    """
    require(actor, "manage_calendar", None, "维护节假日安排")
    start = check.as_date(first, "起始日期", future=True)
    end = check.as_date(last, "截止日期", future=True)
    if end < start:
        raise InvalidInput("截止日期不能早于起始日期", "range ends before it starts")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput(
            f"一次最多录入 {MAX_RANGE_DAYS} 天，请分段录入", f"range over {MAX_RANGE_DAYS} days"
        )
    label = check.text(name, "名称", required=False, max_length=100)
    if not isinstance(is_workday, bool):
        raise InvalidInput("请选择上班或休息", "is_workday must be a boolean")
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    if is_workday:
        _refuse_statutory_workdays(days)
    saved = []
    with transaction.atomic():
        for when in days:
            row = CalendarDay.objects.select_for_update().filter(date=when).first()
            before = snapshot(row) if row is not None else None
            row = row or CalendarDay(date=when)
            row.is_workday, row.name = is_workday, label
            row.save()
            record(actor, "calendar.set", row, before, snapshot(row))
            saved.append(row)
        versions.refresh()
    return saved


def _refuse_statutory_workdays(days: list[date]) -> None:
    for when in days:
        if not FIRST_YEAR <= when.year <= LAST_YEAR:
            continue
        for holiday in statutory_holidays(when.year):
            if when in holiday.days:
                raise InvalidInput(
                    f"{when.year}年{when.month}月{when.day}日是法定节假日（{holiday.name}），不能设为上班日",
                    f"{when} is a statutory holiday ({holiday.name}), never a working day",
                )


def delete_calendar_day(actor: User, day: date | str) -> None:
    require(actor, "manage_calendar", None, "维护节假日安排")
    when = check.as_date(day, "日期", future=True)
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=when).first()
        if row is None:
            raise NotFound(f"{when} 没有调整记录", f"no calendar row for {when}")
        record(actor, "calendar.delete", row, snapshot(row), None)
        row.delete()
        versions.refresh()
