"""Read-only queries for views and exports, all scoped by `permissions.requests_for`.

Due dates are derived, not stored, so the "due soon" and "overdue" lists first narrow the open
requests with a bound the clock guarantees (a request cannot be due before the 20th working day
after its receipt) and then derive each candidate's clock from its events.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.clock import ClockState, WorkCalendar, missing_years, missing_years_warning
from gongkai.clock.deadline import ANSWER_WORKDAYS

from . import clock
from .models import OPEN_STATES, AuditLog, Request, RequestEvent
from .permissions import can, requests_for
from .services.errors import NotFound

User = AbstractBaseUser | AnonymousUser
Row = tuple[Request, ClockState]
CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit


def requests(
    user: User,
    *,
    state: str | None = None,
    handler: int | None = None,
    agency: int | None = None,
    search: str = "",
) -> QuerySet[Request]:
    """The staff request list: newest first, filtered by state, handler, agency or text."""
    qs = requests_for(user).select_related("agency", "handler").order_by("-received_on", "-id")
    if state:
        qs = qs.filter(state=state)
    if handler is not None:
        qs = qs.filter(handler_id=handler)
    if agency is not None:
        qs = qs.filter(agency_id=agency)
    text = search.strip()
    if text:
        qs = qs.filter(Q(tracking_code=text) | Q(content__icontains=text) | Q(applicant_name__icontains=text))
    return qs


def get_request(user: User, pk: int | str) -> Request:
    """One request by id, or NotFound; another agency's id is simply not found (no existence leak)."""
    try:
        return requests_for(user).select_related("agency", "handler").get(pk=int(pk))
    except (Request.DoesNotExist, ValueError, TypeError):
        raise NotFound("没有找到该申请", f"no visible request {pk!r}") from None


def request_by_tracking_code(code: str) -> Request | None:
    """For applicants without an account; show only what `privacy` allows the anonymous user."""
    code = code.strip()
    if not code or len(code) > 32:
        return None
    return Request.objects.select_related("agency").filter(tracking_code=code).first()


def clock_state(request: Request, as_of: date | None = None) -> ClockState:
    """The request's clock with its derivation lines (`.lines()`), as of today by default."""
    return clock.derive(request, request.events.all(), as_of)


def clock_states(requests: Sequence[Request], as_of: date | None = None) -> dict[int, ClockState]:
    """Clocks of a page of requests with one events query per 500 requests."""
    calendar = clock.work_calendar()
    events: dict[int, list[RequestEvent]] = defaultdict(list)
    ids = [r.pk for r in requests]
    for i in range(0, len(ids), CHUNK):
        for e in RequestEvent.objects.filter(request_id__in=ids[i : i + CHUNK]).order_by("date", "id"):
            events[e.request_id].append(e)
    return {r.pk: clock.derive(r, events[r.pk], as_of, calendar) for r in requests}


def due_within(user: User, workdays: int, as_of: date | None = None) -> list[Row]:
    """Open requests whose answer is due within `workdays` working days (overdue ones included)."""
    today = as_of or timezone.localdate()
    calendar = clock.work_calendar()
    limit = calendar.add_workdays(today, workdays)
    rows = _open_with_clock(user, _latest_receipt(calendar, limit), today)
    return [(r, s) for r, s in rows if s.answer_due is not None and s.answer_due <= limit]


def overdue(user: User, as_of: date | None = None) -> list[Row]:
    today = as_of or timezone.localdate()
    rows = _open_with_clock(user, _latest_receipt(clock.work_calendar(), today - timedelta(days=1)), today)
    return [(r, s) for r, s in rows if s.overdue]


def _latest_receipt(calendar: WorkCalendar, limit: date) -> date:
    """The latest receipt date whose plain 20-working-day deadline is not after `limit`."""
    received = limit
    while calendar.add_workdays(received, ANSWER_WORKDAYS) > limit:
        received -= timedelta(days=1)
    return received


def _open_with_clock(user: User, received_by: date, as_of: date) -> list[Row]:
    candidates = list(
        requests_for(user)
        .filter(state__in=OPEN_STATES, received_on__lte=received_by)
        .select_related("agency", "handler")
        .order_by("received_on", "id")
    )
    states = clock_states(candidates, as_of)
    rows = [(r, states[r.pk]) for r in candidates]
    return sorted(rows, key=lambda row: (row[1].answer_due or date.max, row[0].pk))


def audit_log(user: User, request: Request) -> QuerySet[AuditLog]:
    """The request's audit entries, oldest first; empty for anyone who may not see the request."""
    if not can(user, "view", request):
        return AuditLog.objects.none()
    return AuditLog.objects.filter(request=request).select_related("actor").order_by("at", "id")


def missing_calendar_years(today: date | None = None) -> tuple[int, ...]:
    """This year and the next, where neither chinesecalendar nor the calendar table covers them."""
    return missing_years(clock.work_calendar(), today or timezone.localdate())


def calendar_warning(today: date | None = None) -> str:
    """The Chinese banner text for a missing year, or ""."""
    return missing_years_warning(missing_calendar_years(today))
