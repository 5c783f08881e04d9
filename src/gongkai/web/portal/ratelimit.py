"""Per-address limits for the public portal, proportionate to a government site.

Counting uses Django's cache (per process by default; a shared cache makes it global), so no
external service is needed. A limited address gets a plain 429 page saying when to try again,
as applicants should be told rather than silently refused.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

View = Callable[..., HttpResponseBase]


def allow(request: HttpRequest, scope: str, limit: int, window: int) -> bool:
    """True while the address has made at most `limit` counted calls in the current window."""
    slot = int(time.time() // window)
    key = f"gongkai:ratelimit:{scope}:{request.META.get('REMOTE_ADDR', '')}:{slot}"
    cache.add(key, 0, window)
    try:
        return int(cache.incr(key)) <= limit
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, window)
        return True


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
