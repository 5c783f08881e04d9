"""One row per unique key under concurrent first saves, and stale forms told rather than obeyed.

A service that saves "the" row of a key (a report draft, table 二 of a year, a letter template)
locks it for its transaction. `select_for_update` locks nothing while the row does not exist yet,
so two first saves would both insert, and the unique constraint would turn the second into a
server error. `locked_or_created` inserts under a savepoint and, when another transaction won the
insert, locks the winner's row instead. `require_unchanged` compares the version a form was
rendered with (`version_of`, the row's last-saved time) with the row as locked now.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

from .errors import Conflict

M = TypeVar("M", bound=models.Model)


def locked_or_created(model: type[M], key: dict[str, Any], defaults: dict[str, Any]) -> tuple[M, bool]:
    """Inside a transaction: the row of the unique `key`, locked, created with `defaults` when
    missing; and whether this call created it."""
    rows = model._default_manager.select_for_update()
    found = rows.filter(**key).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():  # a savepoint: losing the race leaves the transaction usable
            return model._default_manager.create(**key, **defaults), True
    except IntegrityError:
        return rows.get(**key), False  # the other insert committed before ours was refused


def version_of(row: models.Model | None) -> str:
    """The version a form carries of the row it edits: its last-saved time, or "" for none yet."""
    stamp = getattr(row, "updated_at", None) if row is not None else None
    return stamp.isoformat() if stamp is not None else ""


def require_unchanged(row: models.Model | None, seen: str | None) -> None:
    """Refuse a save from a form rendered before someone else saved the row (`seen` None: no form)."""
    if seen is not None and seen != version_of(row):
        raise Conflict(
            "在您编辑期间，其他人已保存了新的内容。为避免覆盖，本次修改未保存：请刷新页面，核对后重新修改",
            "stale form: the row was saved by someone else since the form was rendered",
        )
