"""Process-wide caches that stay right across server processes, transactions and writers.

Every staff page needs things that change a few times a year but cost a query or more each to
read: the working-day calendar, the user's memberships, the agencies in the user's scope, the
choices of the filter form. Each server process keeps them, under the version stamp of the rows
they were made from (`models.Version`: database triggers give a stamp a fresh random value on
any change, whoever writes: a service, the demo loader, a shell). A web request reads all stamps
once, in one query (`middleware`); outside requests every lookup reads them afresh.

The stamp is read before the data it guards, so an entry may hold data newer than its stamp,
never older.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Generic, TypeVar

from django.db import connection
from django.http import HttpRequest, HttpResponse

from .models import Version

CALENDAR = "calendar"  # calendar_calendarday (calendar app)
DIRECTORY = "directory"  # agencies_agency, agencies_membership, auth_user (all but last_login)
SESSIONS = "sessions"  # django_session (core.sessions)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# The stamps as one web request first read them; None outside a request.
_request_stamps: ContextVar[dict[str, int] | None] = ContextVar("gongkai_stamps", default=None)


def stamp(name: str) -> int:
    """The current value of one stamp (read once per web request)."""
    held = _request_stamps.get()
    if held:
        return held.get(name, 0)
    table = connection.ops.quote_name(Version._meta.db_table)
    with connection.cursor() as cursor:  # plain SQL: the ORM would cost ten times the query
        cursor.execute(f"SELECT name, value FROM {table}")
        values = {str(name): int(value) for name, value in cursor.fetchall()}
    if held is not None:
        held.update(values)
    return values.get(name, 0)


def refresh() -> None:
    """Forget this request's stamps, after it changed a watched table itself."""
    held = _request_stamps.get()
    if held is not None:
        held.clear()


def middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Read the stamps at most once per web request."""

    def once_per_request(request: HttpRequest) -> HttpResponse:
        token = _request_stamps.set({})
        try:
            return get_response(request)
        finally:
            _request_stamps.reset(token)

    return once_per_request


class Cache(Generic[K, V]):
    """Values made under one value of the stamp `name`; all of them go when it changes, and when
    more than `limit` keys (users, scopes, clocks) have gathered since."""

    def __init__(self, name: str, limit: int = 4096) -> None:
        self.name = name
        self.limit = limit
        self._lock = threading.Lock()
        self._made_under: int | None = None
        self._entries: dict[K, V] = {}

    def entries(self) -> dict[K, V]:
        """The live entries of the current stamp: callers look up and add many at once. A stale
        holder only ever writes to a dict that is no longer served."""
        current = stamp(self.name)
        with self._lock:
            if self._made_under != current or len(self._entries) > self.limit:
                self._entries = {}
                self._made_under = current
            return self._entries

    def get(self, key: K, make: Callable[[], V]) -> V:
        entries = self.entries()
        if key in entries:
            return entries[key]
        value = entries[key] = make()
        return value
