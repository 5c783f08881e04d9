"""Reminders and 催办: notifications in the desk, and the daily digest by e-mail.

A notification is a message to one person, not a change to a request, so the reminder run writes
no audit entry; the 催办 itself is a request event with its audit entry, like every other act.
Each notification has a key (what, which request, whom, which day or event), so the daily run
may be repeated, or a notice retried, without telling anyone twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import mail
from django.db import transaction
from django.utils import timezone

from gongkai.web.agencies.models import Membership, Role
from gongkai.web.calendar.selectors import work_calendar
from gongkai.web.core import checks as check

from .. import selectors
from ..models import OPEN_STATES, EventKind, Notification, NotificationKind, Request
from .requests import Recorded, _event

User = AbstractBaseUser | AnonymousUser
DEFAULT_WITHIN = 3  # working days ahead the daily run warns of
CHUNK = 500


def notify(user_ids: Iterable[int], request: Request, kind: str, message: str, key: str) -> None:
    """One notification per person; a key already used (the same notice again) is skipped."""
    rows = [
        Notification(user_id=uid, request=request, kind=kind, message=message[:300], key=f"{key}:{uid}")
        for uid in sorted(set(user_ids))
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)


def handlers_or_office(request: Request) -> list[int]:
    """Who works the request: its 承办人, or, while none is assigned, every 承办 of the office."""
    if request.handler_id is not None:
        return [request.handler_id]
    return list(
        Membership.objects.filter(agency_id=request.agency_id, role=Role.HANDLE).values_list(
            "user_id", flat=True
        )
    )


def urge(actor: User, request: Request, note: str) -> Recorded:
    """催办: the office's head or a supervisor presses for an answer; the handler is told at once."""
    text = check.text(note, "催办意见", max_length=200)
    done = _event(actor, request, "urge", EventKind.URGED, timezone.localdate(), {"note": text})
    notify(
        handlers_or_office(done.request),
        done.request,
        NotificationKind.URGED,
        f"申请 #{done.request.pk} 被催办：{text}",
        f"urged:{done.event.pk}",
    )
    return done


@dataclass(frozen=True)
class Reminded:
    due_soon: int
    overdue: int


def remind(as_of: date | None = None, within: int = DEFAULT_WITHIN) -> Reminded:
    """The daily run: tell each open request's handler and its office's heads (负责人) when its
    answer is due within `within` working days, or overdue. Clocks are derived as the lists do."""
    today = as_of or timezone.localdate()
    calendar = work_calendar()
    limit = calendar.add_workdays(today, within)
    candidates = Request.objects.filter(
        state__in=OPEN_STATES, received_on__lte=selectors.latest_receipt(calendar, limit)
    ).order_by("received_on", "id")
    soon = late = 0
    ids = list(candidates.values_list("pk", flat=True))
    for i in range(0, len(ids), CHUNK):
        rows = selectors.list_rows(Request.objects.filter(pk__in=ids[i : i + CHUNK]), 0, None)
        clocks = selectors.list_clocks(rows, today)
        due = {r["pk"]: clocks[r["pk"]] for r in rows if _due(clocks[r["pk"]].answer_due, limit)}
        requests = Request.objects.filter(pk__in=due).only("pk", "agency_id", "handler_id", "received_on")
        heads = _heads({r.agency_id for r in requests})
        with transaction.atomic():
            for request in requests:
                state = due[request.pk]
                people = {*heads[request.agency_id]}
                if request.handler_id is not None:
                    people.add(request.handler_id)
                if state.overdue:
                    late += 1
                    kind, message = (
                        NotificationKind.OVERDUE,
                        f"申请 #{request.pk}（{request.received_on} 收到）已超过答复期限 {state.answer_due}",
                    )
                else:
                    soon += 1
                    kind, message = (
                        NotificationKind.DUE_SOON,
                        f"申请 #{request.pk} 的答复期限为 {state.answer_due}，"
                        f"还剩 {state.remaining_workdays} 个工作日",
                    )
                notify(people, request, kind, message, f"{kind}:{request.pk}:{today}")
    return Reminded(soon, late)


def _due(answer_due: date | None, limit: date) -> bool:
    return answer_due is not None and answer_due <= limit


def _heads(agency_ids: set[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(agency_id__in=agency_ids, role=Role.APPROVE_EXTENSION)
    for agency_id, user_id in rows.values_list("agency_id", "user_id"):
        found[agency_id].add(user_id)
    return found


def send_digest() -> int:
    """One e-mail per person with an address, listing their notifications not yet mailed, through
    Django's mail framework (the console backend unless configured). Returns the e-mails sent."""
    pending = Notification.objects.filter(emailed_at__isnull=True).order_by("user_id", "created_at", "id")
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notice in pending.iterator(chunk_size=2000):
        by_user[notice.user_id].append(notice)
    addresses = dict(
        get_user_model().objects.filter(pk__in=by_user).exclude(email="").values_list("pk", "email")
    )
    messages = []
    for user_id, notices in by_user.items():
        if user_id not in addresses:
            continue
        body = "\n".join(f"【{n.get_kind_display()}】{n.message}" for n in notices)
        messages.append(
            mail.EmailMessage(
                f"政府信息公开申请办理提醒（{len(notices)} 条）",
                f"您好：\n\n{body}\n\n请登录依申请公开办理系统查看。\n",
                settings.DEFAULT_FROM_EMAIL,
                [addresses[user_id]],
            )
        )
    sent = mail.get_connection().send_messages(messages) if messages else 0
    Notification.objects.filter(pk__in=[n.pk for ns in by_user.values() for n in ns]).update(
        emailed_at=timezone.now()
    )
    return sent or 0


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them without `ids`)."""
    if not user.is_authenticated:
        return 0
    mine = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    if ids is not None:
        mine = mine.filter(pk__in=list(ids))
    return mine.update(read_at=timezone.now())
