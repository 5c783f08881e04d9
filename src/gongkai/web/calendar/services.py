"""Editing the working-day calendar (audited); every open clock follows, since due dates are derived."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from gongkai.web.agencies.permissions import require
from gongkai.web.core import checks as check
from gongkai.web.core import versions
from gongkai.web.core.audit import record, snapshot
from gongkai.web.core.errors import InvalidInput, NotFound

from .models import CalendarDay

User = AbstractBaseUser | AnonymousUser


def set_calendar_day(actor: User, day: date | str, is_workday: bool, name: str = "") -> CalendarDay:
    """Add or change one override: a holiday, or a 调休 make-up working day."""
    require(actor, "manage_calendar", None, "维护节假日安排")
    when = check.as_date(day, "日期", future=True)
    label = check.text(name, "名称", required=False, max_length=100)
    if not isinstance(is_workday, bool):
        raise InvalidInput("请选择上班或休息", "is_workday must be a boolean")
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=when).first()
        before = snapshot(row) if row is not None else None
        row = row or CalendarDay(date=when)
        row.is_workday, row.name = is_workday, label
        row.save()
        record(actor, "calendar.set", row, before, snapshot(row))
        versions.refresh()
    return row


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
