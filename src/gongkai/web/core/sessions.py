"""Sessions and signed-in users, kept per server process until a write touches them.

Every staff page starts with two queries and a signature check that almost never change their
answer: the session row, decoded, and the user row. Both are kept under version stamps
(`versions`): a login, a logout or any other session write changes the sessions stamp, and any
change to a user row except `last_login` changes the directory stamp. So a logout, a password
change or a deactivation in one process is seen by the next request in every other.

`settings.SESSION_ENGINE` names this module (Django looks for `SessionStore` in it) and
`settings.AUTHENTICATION_BACKENDS` names `UserBackend`.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.contrib.sessions.backends import db
from django.utils import timezone

from . import versions

# session key -> (expiry, decoded data); user id -> user or None (unknown or inactive)
_SESSIONS: versions.Cache[str, tuple[datetime, dict[str, Any]]] = versions.Cache(versions.SESSIONS)
_USERS: versions.Cache[Any, User | None] = versions.Cache(versions.DIRECTORY)


class SessionStore(db.SessionStore):
    """Django's database sessions, with the decoded row kept until the sessions stamp changes."""

    def load(self) -> dict[str, Any]:
        key = self.session_key
        if not key:
            return {}
        entries = _SESSIONS.entries()
        held = entries.get(key)
        if held is not None and held[0] > timezone.now():
            return dict(held[1])  # a copy: the request may change its session
        row = self._get_session_from_db()  # type: ignore[attr-defined]  # forgets an unknown key
        if row is None:
            return {}
        data = self.decode(row.session_data)
        entries[key] = (row.expire_date, data)
        return dict(data)


class UserBackend(ModelBackend):
    """Django's model backend, with the user row kept until the directory stamp changes."""

    def get_user(self, user_id: Any) -> User | None:
        user = _USERS.get(user_id, lambda: super(UserBackend, self).get_user(user_id))
        return copy.copy(user)  # each request gets its own instance to memoise on
