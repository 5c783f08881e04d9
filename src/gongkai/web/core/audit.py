"""The audit log's one writer and reader: every service of every app calls `record` inside its own
transaction; a record's history is `history`."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile

from .models import AuditLog


def snapshot(obj: models.Model, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The object's stored values as JSON-safe data (dates as ISO strings, foreign keys as ids)."""
    data = {
        f.attname: _plain(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if fields is None or f.name in fields or f.attname in fields
    }
    loaded: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return loaded


def _plain(value: object) -> object:
    return value.name if isinstance(value, FieldFile) else value


def record(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    subject: models.Model | None = None,
    agency_id: int | None = None,
) -> AuditLog:
    """Append one entry: who, what, which object, and the values before and after.

    `subject` is the record whose history the entry belongs to (default: `obj` itself); its agency
    is taken from its `agency_id` unless given (an agency's own entries name the agency).
    """
    user = actor if actor is not None and actor.is_authenticated else None
    subject = obj if subject is None else subject
    if agency_id is None:
        agency_id = getattr(subject, "agency_id", None)
    return AuditLog.objects.create(
        actor_id=user.pk if user is not None else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        agency_id=agency_id,
        before=before,
        after=after,
    )


def history(subject: models.Model) -> QuerySet[AuditLog]:
    """Every entry about `subject`, oldest first; callers check that the viewer may see it."""
    return AuditLog.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk)
    ).order_by("at", "id")
