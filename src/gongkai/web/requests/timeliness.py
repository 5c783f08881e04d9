"""Timeliness per agency and year: how many answers were on time, the median working days to an
answer, and the oldest request still pending. The desk's home page shows it, and the annual
report's part 五 draft may quote it (through `selectors.timeliness`).

On time means answered within the due date the clock derives from the request's events (补正,
consultations and extensions included), as the list's overdue mark does; working days to answer
count from receipt to closing on the same calendar. A request whose clock cannot be derived is
left out of the figures.
"""

from __future__ import annotations

import contextlib
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from gongkai.clock import ClockError, ClockState
from gongkai.web.calendar.selectors import work_calendar

from .models import OPEN_STATES, Request

CHUNK = 1000


@dataclass(frozen=True)
class Timeliness:
    year: int
    answered: int
    on_time: int
    median_workdays: float | None
    oldest_pending: date | None  # the receipt date of the oldest open request
    oldest_pending_id: int | None
    oldest_pending_workdays: int | None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    def sentence(self) -> str:
        """A sentence for part 五 of the annual report."""
        if not self.answered:
            return f"{self.year}年未办结政府信息公开申请。"
        rate = f"{100 * self.on_time / self.answered:.1f}%"
        text = (
            f"{self.year}年共办结政府信息公开申请{self.answered}件，其中按期答复{self.on_time}件，"
            f"按期答复率{rate}，答复用时中位数为{self.median_workdays:g}个工作日。"
        )
        return text


def _derivable(
    derive: Callable[[dict[int, str], date], dict[int, ClockState]], channels: dict[int, str], as_of: date
) -> dict[int, ClockState]:
    """The clocks that can be derived: a request whose events the clock refuses (records loaded
    without their registration) is left out of the figures rather than failing them all."""
    try:
        return derive(channels, as_of)
    except ClockError:
        found = {}
        for pk, channel in channels.items():
            with contextlib.suppress(ClockError):
                found.update(derive({pk: channel}, as_of))
        return found


def timeliness(agency_ids: Sequence[int], year: int, as_of: date | None = None) -> Timeliness:
    from . import selectors  # selectors re-exports this function

    today = as_of or timezone.localdate()
    calendar = work_calendar()
    start, end = date(year, 1, 1), date(year, 12, 31)
    closed = (
        Request.objects.filter(agency_id__in=agency_ids, closed_on__gte=start, closed_on__lte=end)
        .exclude(state="withdrawn")
        .values_list("pk", "channel", "received_on", "closed_on")
    )
    rows: list[tuple[int, str, date, date]] = [(pk, ch, r, c) for pk, ch, r, c in closed if c is not None]
    answered = on_time = 0
    days: list[int] = []
    for i in range(0, len(rows), CHUNK):
        chunk = rows[i : i + CHUNK]
        clocks = _derivable(selectors.clocks, {pk: channel for pk, channel, _r, _c in chunk}, today)
        for pk, _channel, received, closed_on in chunk:
            if pk not in clocks:
                continue
            answered += 1
            on_time += not clocks[pk].overdue
            days.append(calendar.workdays_between(received, closed_on))
    oldest = (
        Request.objects.filter(agency_id__in=agency_ids, state__in=OPEN_STATES, received_on__lte=end)
        .filter(Q(closed_on__isnull=True))
        .order_by("received_on", "id")
        .values_list("pk", "received_on")
        .first()
    )
    return Timeliness(
        year=year,
        answered=answered,
        on_time=on_time,
        median_workdays=statistics.median(days) if days else None,
        oldest_pending=oldest[1] if oldest else None,
        oldest_pending_id=oldest[0] if oldest else None,
        oldest_pending_workdays=calendar.workdays_between(oldest[1], today) if oldest else None,
    )
