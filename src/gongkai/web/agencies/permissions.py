"""The one permission function family: every view, export, query and service asks here.

Roles hold on the member agency only, except 督查 (supervise) and admin, which reach the whole
subtree below it. A superuser sees everything. Object access is decided from the object's
agency, never from an id the client sent, so a forged id of another agency's request is refused
by the request app's `selectors.requests_for` (it is simply not in the queryset) and by `can`.
Any record with an `agency` (a request, a report) is a subject, so this module depends on no app
but the shared core.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from gongkai.web.core import versions
from gongkai.web.core.errors import PermissionDenied

from .models import Agency, Membership, Role

Action = Literal[
    "register",
    "handle",
    "assign",
    "approve_answer",
    "approve_extension",
    "urge",
    "view",
    "view_personal_data",
    "manage_calendar",
    "publish_report",
    "edit_report",
    "admin",
]


class OfAgency(Protocol):
    """A record kept by one agency (a request, an annual report): access follows its agency."""

    @property
    def agency(self) -> Agency: ...


Subject = Agency | OfAgency | None
AnyUser = AbstractBaseUser | AnonymousUser

# Which roles on an agency allow an action there; admin allows everything in its subtree.
ACTION_ROLES: dict[str, frozenset[str]] = {
    "register": frozenset({Role.REGISTER}),
    "handle": frozenset({Role.HANDLE}),
    "assign": frozenset({Role.REGISTER, Role.APPROVE_ANSWER, Role.APPROVE_EXTENSION}),
    "approve_answer": frozenset({Role.APPROVE_ANSWER}),
    "approve_extension": frozenset({Role.APPROVE_EXTENSION}),
    # 催办: the office's head, or a supervisor over its subtree.
    "urge": frozenset({Role.APPROVE_EXTENSION, Role.SUPERVISE}),
    "view": frozenset(Role),
    # Personal data is for the people who work the request, not for 督查 reviewing a subtree.
    "view_personal_data": frozenset(
        {Role.REGISTER, Role.HANDLE, Role.APPROVE_ANSWER, Role.APPROVE_EXTENSION}
    ),
    "publish_report": frozenset({Role.APPROVE_EXTENSION}),
    "edit_report": frozenset({Role.APPROVE_EXTENSION, Role.APPROVE_ANSWER, Role.HANDLE}),
    "admin": frozenset(),  # only the admin role itself (or a superuser)
}


@dataclass(frozen=True)
class Grant:
    agency_id: int
    path: str
    role: str


_GRANTS: versions.Cache[int, tuple[Grant, ...]] = versions.Cache(versions.DIRECTORY)
# What decides a user's scope: the grants, or None for a superuser (the whole tree).
ScopeKey = tuple[Grant, ...] | None
_SCOPES: versions.Cache[ScopeKey, tuple[int, ...]] = versions.Cache(versions.DIRECTORY)


def grants(user: AnyUser) -> tuple[Grant, ...]:
    """The user's memberships: kept per user object, and per server process until the directory
    changes (`versions`), so most pages ask no query for them."""
    if not user.is_authenticated or not user.is_active:
        return ()
    cached: tuple[Grant, ...] | None = user.__dict__.get("_gongkai_grants")
    if cached is None:
        cached = _GRANTS.get(user.pk, lambda: _load_grants(user.pk))
        user.__dict__["_gongkai_grants"] = cached
    return cached


def _load_grants(user_id: int) -> tuple[Grant, ...]:
    rows = Membership.objects.filter(user_id=user_id).values_list("agency_id", "agency__path", "role")
    return tuple(Grant(agency_id, path, role) for agency_id, path, role in rows)


def forget_grants(user: AnyUser) -> None:
    """Drop the cached memberships after this request changed them."""
    user.__dict__.pop("_gongkai_grants", None)
    versions.refresh()


def is_superuser(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "is_superuser", False))


def roles_on(user: AnyUser, agency: Agency) -> frozenset[str]:
    """The roles `user` holds on `agency`, including subtree roles inherited from above it."""
    return _roles_at(user, agency.pk, agency.path)


def _roles_at(user: AnyUser, agency_id: int, path: str) -> frozenset[str]:
    roles = set()
    for g in grants(user):
        if g.agency_id == agency_id or (g.role in (Role.SUPERVISE, Role.ADMIN) and path.startswith(g.path)):
            roles.add(g.role)
    return frozenset(roles)


def _scope(items: Iterable[Grant]) -> Q:
    q = Q(pk__in=[])
    for g in items:
        q |= Q(path__startswith=g.path) if g.role in (Role.SUPERVISE, Role.ADMIN) else Q(pk=g.agency_id)
    return q


def visible_agencies(user: AnyUser) -> QuerySet[Agency]:
    """Member agencies plus, for 督查 and admin, their whole subtrees."""
    if is_superuser(user):
        return Agency.objects.all()
    return Agency.objects.filter(_scope(grants(user)))


def scope_key(user: AnyUser) -> ScopeKey:
    """Users with the same key see the same agencies: per-scope caches are kept under it."""
    return None if is_superuser(user) else grants(user)


def visible_agency_ids(user: AnyUser) -> tuple[int, ...]:
    """The ids of `visible_agencies(user)` in tree order, kept until the directory changes."""
    return _SCOPES.get(scope_key(user), lambda: tuple(visible_agencies(user).values_list("pk", flat=True)))


def all_agency_ids() -> tuple[int, ...]:
    return _SCOPES.get(None, lambda: tuple(Agency.objects.values_list("pk", flat=True)))


def _agency_of(obj: Subject) -> Agency | None:
    if obj is None or isinstance(obj, Agency):
        return obj
    return obj.agency


def can(user: AnyUser, action: Action, obj: Subject = None) -> bool:
    """Whether `user` may do `action` on `obj` (a request, an agency, a report, or None for global acts)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if action == "manage_calendar":
        # The working-day calendar is national: superusers and admins of a root agency keep it.
        return is_superuser(user) or any(
            g.role == Role.ADMIN and g.path.count(".") == 1 for g in grants(user)
        )
    agency = _agency_of(obj)
    return agency is not None and can_at(user, action, agency.pk, agency.path)


def can_at(user: AnyUser, action: Action, agency_id: int, path: str) -> bool:
    """`can` for an agency known by id and path only (list rows carry no Agency instances)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_superuser(user):
        return True
    roles = _roles_at(user, agency_id, path)
    return Role.ADMIN in roles or bool(roles & ACTION_ROLES[action])


def require(actor: AnyUser, action: Action, obj: Subject, what: str) -> None:
    """`can`, or the service's PermissionDenied naming what was refused in Chinese."""
    if not can(actor, action, obj):
        raise PermissionDenied(f"您没有{what}的权限", f"not allowed: {action}")
