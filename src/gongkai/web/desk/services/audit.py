"""Writing the audit log; every service calls `record` inside its own transaction."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile

from ..models import AuditLog, Request


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
    request: Request | None = None,
) -> AuditLog:
    """Append one entry: who, what, which object, and the values before and after."""
    user = actor if actor is not None and actor.is_authenticated else None
    if request is None and isinstance(obj, Request):
        request = obj
    return AuditLog.objects.create(
        actor_id=user.pk if user is not None else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        request=request,
        before=before,
        after=after,
    )
