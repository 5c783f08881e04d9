"""A request's records as the core clock sees them: events -> clock events, over the working-day calendar.

Nothing here computes a date: `gongkai.clock.derive` does, every time, so a corrected calendar
row or event re-derives every open request's due dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone

from gongkai import clock
from gongkai.clock import ClockState, ConsultationKind, WorkCalendar
from gongkai.web.calendar.selectors import work_calendar

from .models import Channel, EventKind, Request, RequestEvent

# Art. 31 receipt rules by channel. The core clock has no "other" channel; such requests are dated
# like a hand-in (the day the office actually received them), which is what RECEIPT_RULE says.
CHANNELS = {
    Channel.IN_PERSON: clock.Channel.IN_PERSON,
    Channel.REGISTERED_POST: clock.Channel.SIGNED_POST,
    Channel.ORDINARY_LETTER: clock.Channel.ORDINARY_LETTER,
    Channel.ONLINE: clock.Channel.ONLINE,
    Channel.FAX: clock.Channel.FAX,
    Channel.OTHER: clock.Channel.OTHER,
}

# Outcomes that close a request as abandoned (视为放弃申请) rather than answered: the clock says so.
ABANDONED = {
    "other_no_supplement": clock.AbandonReason.NO_SUPPLEMENT,
    "other_unpaid_fee": clock.AbandonReason.UNPAID_FEE,
}


def clock_events(request: Request, events: Iterable[RequestEvent]) -> list[clock.Event]:
    """The request's events that move the clock, as `gongkai.clock` events."""
    return replayed(request.channel, ((e.kind, e.date, e.data) for e in events))


EventRow = tuple[str, date, dict[str, Any]]


def replayed(channel: str, events: Iterable[EventRow]) -> list[clock.Event]:
    """`clock_events` from plain (kind, date, data) rows: lists read events without model instances."""
    result: list[clock.Event] = []
    for kind, d, data in events:
        match kind:
            case EventKind.REGISTERED:
                result.append(clock.Received(d, CHANNELS[Channel(channel)]))
            case EventKind.SUPPLEMENT_REQUESTED:
                due = data.get("due")
                result.append(clock.SupplementRequested(d, date.fromisoformat(due) if due else None))
            case EventKind.SUPPLEMENT_RECEIVED:
                result.append(clock.SupplementReceived(d))
            case EventKind.CONSULTATION_STARTED:
                consulted = ConsultationKind(data.get("kind", ConsultationKind.THIRD_PARTY))
                result.append(clock.ConsultationStarted(d, str(data["party"]), consulted))
            case EventKind.CONSULTATION_ENDED:
                result.append(clock.ConsultationEnded(d, str(data["party"])))
            case EventKind.EXTENSION_APPROVED:
                result.append(clock.ExtensionApproved(d, int(data["workdays"])))
            case EventKind.LATER_DEADLINE_SET:
                result.append(clock.LaterDeadlineSet(d, date.fromisoformat(data["due"])))
            case EventKind.FEE_NOTICE_ISSUED:
                result.append(clock.FeeNoticeIssued(d))
            case EventKind.FEE_PAID:
                result.append(clock.FeePaid(d))
            case EventKind.ANSWERED if data.get("outcome") in ABANDONED:
                result.append(clock.Abandoned(d, ABANDONED[data["outcome"]]))
            case EventKind.ANSWERED:
                result.append(clock.Answered(d))
            case EventKind.WITHDRAWN:
                result.append(clock.Withdrawn(d))
    return result


def derive(
    request: Request,
    events: Iterable[RequestEvent],
    as_of: date | None = None,
    calendar: WorkCalendar | None = None,
) -> ClockState:
    """The request's clock on `as_of` (default today), with its derivation lines."""
    return clock.derive(
        clock_events(request, events), calendar or work_calendar(), as_of or timezone.localdate()
    )
