"""Per-address limits for the public portal, proportionate to a government site.

Counts are kept in the database (`core.counters`), so every server process of the desk counts
against the same limit and no external service is needed. A limited address gets a plain 429
page saying when to try again, as applicants should be told rather than silently refused.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from gongkai.web.core.counters import hit
from gongkai.web.core.security import client_address

View = Callable[..., HttpResponseBase]


def allow(request: HttpRequest, scope: str, limit: int, window: int) -> bool:
    """True while the address has made at most `limit` counted calls in the current window."""
    return hit(f"portal:{scope}:{client_address(request)}", window) <= limit


def limited(
    scope: str, limit: int, window: int = 60, methods: tuple[str, ...] = ("GET", "POST")
) -> Callable[[View], View]:
    """Refuse a view with 429 once an address exceeds `limit` calls per `window` seconds."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in methods and not allow(request, scope, limit, window):
                return render(request, "portal/too_many.html", {"window": window}, status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
