"""Importing an office's existing register: rows checked first (`ledger.read_ledger`), written only
when confirmed, each through the registration service (and the answer, for a closed row).

Each row carries a stable key (`ledger.row_key`: agency, received date, applicant, content) stored
as the request's idempotency key, so importing the same file again registers nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from gongkai.web.agencies.models import Agency
from gongkai.web.agencies.permissions import require
from gongkai.web.core import checks as check
from gongkai.web.core.errors import ServiceError

from ..ledger import LedgerRow, row_key
from ..models import EventKind, Request, State
from .requests import _close, applicant_fields, create_registered

User = AbstractBaseUser | AnonymousUser


@dataclass
class Imported:
    created: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # row numbers already imported
    refused: list[str] = field(default_factory=list)  # rows with errors, named by row


def existing_keys(agency: Agency, rows: Sequence[LedgerRow]) -> set[str]:
    """The keys of these rows that are already registered: the preview marks them."""
    keys = [row_key(agency.pk, r.fields) for r in rows]
    found: set[str] = set()
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        stored = Request.objects.filter(idempotency_key__in=chunk).values_list("idempotency_key", flat=True)
        found.update(k for k in stored if k is not None)
    return found


def import_ledger(actor: User, agency: Agency, rows: Sequence[LedgerRow]) -> Imported:
    """Register every good row not yet imported; a row refused by a service is named, the rest go on."""
    require(actor, "register", agency, "在本机关导入台账")
    done = Imported()
    already = existing_keys(agency, rows)
    with transaction.atomic():  # one commit for the file; each row is a savepoint of its own
        _import_rows(actor, agency, rows, already, done)
    return done


def _import_rows(
    actor: User, agency: Agency, rows: Sequence[LedgerRow], already: set[str], done: Imported
) -> None:
    for row in rows:
        if not row.ok:
            done.refused.extend(row.errors)
            continue
        key = row_key(agency.pk, row.fields)
        if key in already:
            done.skipped.append(row.number)
            continue
        try:
            done.created.append(_register(actor, agency, row, key))
        except ServiceError as error:
            done.refused.append(f"第 {row.number} 行：{error.zh}")
        already.add(key)


def _register(actor: User, agency: Agency, row: LedgerRow, key: str) -> int:
    f = row.fields
    fields = applicant_fields(
        applicant_kind=f["applicant_kind"],
        applicant_name=f["applicant_name"],
        id_type=f["id_type"],
        id_number=f["id_number"],
        content=f["content"],
        delivery=f["delivery"],
        phone=f.get("phone", ""),
        address=f.get("address", ""),
        email=f.get("email", ""),
    )
    received = check.as_date(f["received_on"], "收到申请日期")
    fields.update(agency=agency, channel=f["channel"], received_on=received, idempotency_key=key)
    with transaction.atomic():
        request = create_registered(actor, fields, "request.import")
        if f.get("closed_on"):
            _close(
                actor,
                request,
                "register",
                EventKind.ANSWERED,
                check.as_date(f["closed_on"], "办结日期"),
                State.ANSWERED,
                f["outcome"],
                f.get("legal_basis") or "按原台账登记",
            )
    return request.pk
