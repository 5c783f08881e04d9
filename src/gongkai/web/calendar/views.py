"""The working-day calendar: holidays and 调休 working days by year, kept by calendar managers.

Due dates are derived, so an edit moves every open clock by itself; the page then says what moved
near the edited day (`effects`: each app that counts working days tells its own), which is what
people check.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.web.agencies.permissions import can
from gongkai.web.core.errors import ServiceError
from gongkai.web.core.views import staff_user

from . import effects, selectors, services
from .forms import CalendarDayForm


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


def _tell(request: HttpRequest, moved: Callable[[], list[effects.Message]]) -> None:
    for level, text in moved():
        messages.add_message(request, level, text)


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    user = _manager(request)
    year = _year(request)
    if request.method == "POST":
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            day = form.cleaned_data["date"]
            until = form.cleaned_data["until"] or day
            # Requests counting over any day of the range were received by its last day.
            moved = effects.before_edit(user, max(day, until))
            try:
                saved = services.set_calendar_days(
                    user, day, until, form.cleaned_data["is_workday"], form.cleaned_data["name"]
                )
            except ServiceError as error:
                form.add_error(None, error.zh)
            else:
                span = f"{day}" if len(saved) == 1 else f"{day} 至 {until}（{len(saved)} 天）"
                messages.success(request, _("已保存 %(day)s 的安排") % {"day": span})
                _tell(request, moved)
                return redirect(f"{reverse('calendar:index')}?year={day.year}")
        status = 400
    else:
        edit = selectors.day(request.GET.get("edit", ""))
        initial = (
            {"date": edit.date, "is_workday": "1" if edit.is_workday else "0", "name": edit.name}
            if edit
            else {}
        )
        form, status = CalendarDayForm(initial=initial or {"is_workday": "0"}), 200
    return render(
        request,
        "calendar/index.html",
        {
            "form": form,
            "year": year,
            "days": selectors.days_of(year),
            "overview": selectors.year_overview(year),
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
        return redirect("calendar:index")
    moved = effects.before_edit(user, when)
    try:
        services.delete_calendar_day(user, when)
    except ServiceError as error:
        messages.error(request, error.zh)
    else:
        messages.success(request, _("已删除 %(day)s 的安排") % {"day": when})
        _tell(request, moved)
    return redirect(f"{reverse('calendar:index')}?year={when.year}")
