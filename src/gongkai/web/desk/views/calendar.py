"""The working-day calendar: holidays and 调休 working days by year, kept by calendar managers.

Due dates are derived, so an edit moves every open request's dates by itself; the page then lists
the open requests near the edited day whose answer due date changed, which is what people check.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import CalendarDayForm
from ..models import OPEN_STATES, CalendarDay, Request
from ..permissions import can
from ..services import ServiceError
from .common import render_staff, staff_user

# Requests received this long before an edited day can still be counting over it (20 + 20 working
# days, pauses of 15 and 20 working days, holidays); later ones do not count it at all.
REACH = timedelta(days=150)
MAX_COMPARED = 5000
MAX_LISTED = 30


def _manager(request: HttpRequest) -> AbstractBaseUser:
    user = staff_user(request)
    if not can(user, "manage_calendar"):
        raise PermissionDenied("您没有维护节假日安排的权限")
    return user


def _year(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("year", "")), 2008), 2100)
    except ValueError:
        return timezone.localdate().year


def _near(user: AbstractBaseUser, day: date) -> list[Request]:
    qs = selectors.requests(user).filter(
        state__in=OPEN_STATES, received_on__gte=day - REACH, received_on__lte=day
    )
    return list(qs[:MAX_COMPARED])


def _report_moves(request: HttpRequest, candidates: list[Request], before: dict[int, date | None]) -> None:
    after = selectors.clock_states(candidates)
    moved = [
        (r, before[r.pk], after[r.pk].answer_due)
        for r in candidates
        if before[r.pk] != after[r.pk].answer_due
    ]
    if not moved:
        messages.info(request, _("没有办理中申请的答复期限因此变化"))
        return
    messages.warning(request, _("%(n)d 件办理中申请的答复期限已随之重新计算：") % {"n": len(moved)})
    for r, old, new in moved[:MAX_LISTED]:
        messages.warning(
            request,
            _("申请 #%(pk)s（%(agency)s）：%(old)s → %(new)s")
            % {"pk": r.pk, "agency": r.agency.name, "old": old, "new": new},
        )


def _day(value: str) -> CalendarDay | None:
    try:
        return CalendarDay.objects.filter(date=date.fromisoformat(value)).first()
    except ValueError:
        return None


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    year = _year(request)
    if request.method == "POST":
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            day = form.cleaned_data["date"]
            candidates = _near(user, day)
            before = {pk: s.answer_due for pk, s in selectors.clock_states(candidates).items()}
            try:
                services.set_calendar_day(
                    user, day, form.cleaned_data["is_workday"], form.cleaned_data["name"]
                )
            except ServiceError as error:
                form.add_error(None, error.zh)
            else:
                messages.success(request, _("已保存 %(day)s 的安排") % {"day": day})
                _report_moves(request, candidates, before)
                return redirect(f"{reverse('desk:calendar')}?year={day.year}")
        status = 400
    else:
        edit = _day(request.GET.get("edit", ""))
        initial = (
            {"date": edit.date, "is_workday": "1" if edit.is_workday else "0", "name": edit.name}
            if edit
            else {}
        )
        form, status = CalendarDayForm(initial=initial or {"is_workday": "0"}), 200
    return render_staff(
        request,
        "desk/calendar/index.html",
        {
            "form": form,
            "year": year,
            "days": CalendarDay.objects.filter(date__year=year),
            "missing": selectors.missing_calendar_years(),
        },
        status=status,
    )


@login_required
@require_POST
def calendar_delete(request: HttpRequest, day: str) -> HttpResponse:
    user = _manager(request)
    try:
        when = date.fromisoformat(day)
    except ValueError:
        messages.error(request, _("日期格式不正确"))
        return redirect("desk:calendar")
    candidates = _near(user, when)
    before = {pk: s.answer_due for pk, s in selectors.clock_states(candidates).items()}
    try:
        services.delete_calendar_day(user, when)
    except ServiceError as error:
        messages.error(request, error.zh)
    else:
        messages.success(request, _("已删除 %(day)s 的安排") % {"day": when})
        _report_moves(request, candidates, before)
    return redirect(f"{reverse('desk:calendar')}?year={when.year}")
