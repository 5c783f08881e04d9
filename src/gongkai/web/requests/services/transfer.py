"""转办 and 退回: a request moves to another office of the same agency tree, with the reasons.

The received date and every event stay, so the statutory clock keeps running as it was: a
transfer is an office's internal matter, not a new application. The request leaves the first
office's lists (it is now the other agency's), loses its handler, and its new office is told.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from gongkai.web.agencies.models import Agency, Membership, Role
from gongkai.web.agencies.permissions import require
from gongkai.web.core import checks as check
from gongkai.web.core.audit import record, snapshot
from gongkai.web.core.errors import Conflict, InvalidInput

from ..models import EventKind, NotificationKind, Request, RequestEvent
from .reminders import notify
from .requests import _actor_id, _lock, _require_open

User = AbstractBaseUser | AnonymousUser
MOVED = ("agency", "handler")


def transfer(actor: User, request: Request, to: Agency, reason: str) -> Request:
    """转办: give the request to another office of the tree that has someone to register it."""
    why = check.text(reason, "转办理由", max_length=500)
    require(actor, "assign", request, "转办")
    if to.pk == request.agency_id:
        raise InvalidInput("不能转办给本机关", "transfer to the same agency")
    if _root(to) != _root(request.agency):
        raise InvalidInput("只能转办给本系统内的机关", "the target is in another agency tree")
    if not Membership.objects.filter(agency=to, role=Role.REGISTER).exists():
        raise InvalidInput(f"{to.name}没有登记人员，无法接收转办", "the target has no registrar")
    return _move(actor, request, to, EventKind.TRANSFERRED, why)


def send_back(actor: User, request: Request, reason: str) -> Request:
    """退回: the receiving office returns a transferred request to the office that sent it."""
    why = check.text(reason, "退回理由", max_length=500)
    require(actor, "assign", request, "退回")
    last = (
        RequestEvent.objects.filter(request=request, kind__in=(EventKind.TRANSFERRED, EventKind.SENT_BACK))
        .order_by("-id")
        .first()
    )
    if last is None or last.kind != EventKind.TRANSFERRED or last.data.get("to") != request.agency_id:
        raise Conflict("该申请不是转办来的，不能退回", "the request was not transferred here")
    origin = Agency.objects.get(pk=last.data["from"])
    return _move(actor, request, origin, EventKind.SENT_BACK, why)


def _move(actor: User, request: Request, to: Agency, kind: EventKind, reason: str) -> Request:
    with transaction.atomic():
        locked = _lock(request)
        _require_open(locked)
        before = snapshot(locked, MOVED)
        source = locked.agency
        locked.agency, locked.handler = to, None
        locked.save(update_fields=("agency", "handler", "updated_at"))
        data = {
            "from": source.pk,
            "from_name": source.name,
            "to": to.pk,
            "to_name": to.name,
            "reason": reason,
        }
        event = RequestEvent.objects.create(
            request=locked, kind=kind, date=timezone.localdate(), data=data, actor_id=_actor_id(actor)
        )
        after = {
            **snapshot(locked, MOVED),
            "event": {"kind": kind, "date": event.date.isoformat(), "data": data},
        }
        record(actor, f"request.{kind}", locked, before, after)
        people = Membership.objects.filter(agency=to, role__in=(Role.REGISTER, Role.APPROVE_EXTENSION))
        label = EventKind(kind).label
        notify(
            people.values_list("user_id", flat=True),
            locked,
            NotificationKind.TRANSFERRED,
            f"{source.name}{label}申请 #{locked.pk}：{reason}",
            f"{kind}:{event.pk}",
        )
    return locked


def _root(agency: Agency) -> str:
    return agency.path.split(".", 1)[0]
