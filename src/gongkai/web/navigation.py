"""What every page's template gets: the navigation, written once per kind of user.

This is the site's shell, like `settings` and `urls`: the one module that offers every app's
pages, so it sits above the apps and no app imports it.

The navigation is the same for everyone with the same menu; through the template engine its links
and labels cost a tenth of a list page, so each variant is rendered once per server process.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from .agencies.models import Role
from .agencies.permissions import AnyUser, can, grants, is_superuser

_NAV: dict[tuple[object, ...], SafeString] = {}


def menu(user: AnyUser) -> dict[str, bool]:
    """Which staff pages to offer, from the user's roles (the pages themselves check again)."""
    roles = {g.role for g in grants(user)}
    every = is_superuser(user) or Role.ADMIN in roles
    return {
        "register": every or Role.REGISTER in roles,
        "calendar": can(user, "manage_calendar"),
        "templates": every or Role.APPROVE_EXTENSION in roles,
        "oversight": every
        or bool(roles & {Role.SUPERVISE, Role.HANDLE, Role.APPROVE_ANSWER, Role.APPROVE_EXTENSION}),
    }


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `nav`, the main navigation for this user."""
    user: AnyUser | None = getattr(request, "user", None)  # absent on pages rendered before auth
    signed_in, offered = False, {}
    if user is not None and user.is_authenticated:
        signed_in, offered = True, menu(user)
    key = (signed_in, *offered.values(), get_language(), get_script_prefix())
    nav = _NAV.get(key)
    if nav is None:
        context = {"signed_in": signed_in, "menu": offered}
        nav = _NAV[key] = mark_safe(render_to_string("nav.html", context))  # a template's output
    return {"nav": nav}
