"""The working-day calendar: edits re-derive every open clock; missing years are named."""

from __future__ import annotations

from datetime import date

from gongkai.clock import statutory_holidays
from gongkai.web.calendar import selectors as calendar_selectors
from gongkai.web.calendar import services as calendar_services
from gongkai.web.core import errors
from gongkai.web.core.models import AuditLog
from gongkai.web.requests import selectors

from ..conftest import NewRequest, Tree, day, refused


def test_calendar_edit_rederives_due_dates(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    due = selectors.clock_state(request).answer_due
    assert due is not None
    with refused(errors.PermissionDenied):
        calendar_services.set_calendar_day(tree.handle, day(7), False, "地方假日")
    calendar_services.set_calendar_day(tree.admin, day(7), False, "地方假日")  # a Monday off
    moved = selectors.clock_state(request)
    assert moved.answer_due is not None and moved.answer_due > due
    assert any("地方假日" in line for line in moved.lines())
    calendar_services.delete_calendar_day(tree.admin, day(7))
    assert selectors.clock_state(request).answer_due == due
    assert [e.action for e in AuditLog.objects.filter(object_type="calendar.calendarday")] == [
        "calendar.set",
        "calendar.delete",
    ]
    with refused(errors.NotFound):
        calendar_services.delete_calendar_day(tree.admin, day(7))


def test_missing_calendar_years(tree: Tree) -> None:
    assert calendar_selectors.missing_calendar_years(date(2025, 6, 1)) == ()
    assert calendar_selectors.missing_calendar_years(date(2040, 6, 1)) == (2040, 2041)
    spring, *others = (h for h in statutory_holidays(2041) if not h.fixed_date)
    for d in spring.days:  # one holiday entered: the year is still incomplete, and says what is missing
        calendar_services.set_calendar_day(tree.admin, d, False, spring.name)
    assert calendar_selectors.missing_calendar_years(date(2040, 6, 1)) == (2040, 2041)
    warning = calendar_selectors.calendar_warning(date(2040, 6, 1))
    assert "2041年清明节、端午节、中秋节的放假和调休安排尚未录入" in warning
    for holiday in others:
        for d in holiday.days:
            calendar_services.set_calendar_day(tree.admin, d, False, holiday.name)
    assert calendar_selectors.missing_calendar_years(date(2040, 6, 1)) == (2040,)
    assert "2041年" not in calendar_selectors.calendar_warning(date(2040, 6, 1))
