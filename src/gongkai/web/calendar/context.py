"""The missing-calendar-year banner on every staff page (anchors §4: admins forget the next year)."""

from __future__ import annotations

from django.http import HttpRequest

from .selectors import calendar_warning


def warning(request: HttpRequest) -> dict[str, str]:
    """Context processor: `calendar_warning` on the staff pages of signed-in users; the public
    pages never show it."""
    user = getattr(request, "user", None)  # absent on pages rendered before auth
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    if match is not None and match.app_name == "portal":
        return {}
    return {"calendar_warning": calendar_warning()}
