"""Reads of the directory for other apps: agencies in a user's scope, people in a role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .models import Agency
from .permissions import AnyUser, visible_agencies


def agency_in_scope(user: AnyUser, pk: int | str) -> Agency | None:
    """An agency in the user's scope, or None (no existence leak for agencies outside it)."""
    try:
        return visible_agencies(user).get(pk=int(pk))
    except (Agency.DoesNotExist, ValueError):
        return None


def with_role(role: str) -> QuerySet[Agency]:
    """Agencies where somebody holds `role`, in tree order."""
    return Agency.objects.filter(memberships__role=role).distinct().order_by("path")


def members(agencies: QuerySet[Agency], role: str) -> QuerySet[Any]:
    """People holding `role` at these agencies, by username."""
    users = get_user_model().objects.filter(memberships__agency__in=agencies, memberships__role=role)
    return users.distinct().order_by("username")
