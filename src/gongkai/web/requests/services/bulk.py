"""Bulk actions on a filtered list: assign, remind (催办), archive, each request through its own
service, so each is checked, audited and refused on its own; one refusal does not stop the rest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from gongkai.web.core.errors import InvalidInput, ServiceError

from ..models import Request
from .reminders import urge
from .requests import archive, assign_handler

User = AbstractBaseUser | AnonymousUser
MAX_BULK = 500  # requests per bulk action: one form, one transaction each


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # request id, the Chinese reason


def bulk(actor: User, requests: Sequence[Request], run: Callable[[Request], object]) -> BulkResult:
    if len(requests) > MAX_BULK:
        raise InvalidInput(f"一次最多处理 {MAX_BULK} 件申请", f"more than {MAX_BULK} requests")
    result = BulkResult()
    for request in requests:
        try:
            run(request)
        except ServiceError as error:
            result.refused.append((request.pk, error.zh))
        else:
            result.done.append(request.pk)
    return result


def bulk_assign(actor: User, requests: Sequence[Request], handler: AbstractBaseUser | None) -> BulkResult:
    return bulk(actor, requests, lambda r: assign_handler(actor, r, handler))


def bulk_urge(actor: User, requests: Sequence[Request], note: str) -> BulkResult:
    return bulk(actor, requests, lambda r: urge(actor, r, note))


def bulk_archive(actor: User, requests: Sequence[Request], on: date | str) -> BulkResult:
    return bulk(actor, requests, lambda r: archive(actor, r, on))
