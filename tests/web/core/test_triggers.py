"""The rebuilt migrations make every trigger the caches rely on, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection

from gongkai.web.core import versions
from gongkai.web.core.models import Version

pytestmark = pytest.mark.django_db

# Each stamp and the tables whose writes change it (docs/architecture.md, "Database triggers").
WATCHED = {
    "calendar_calendarday": versions.CALENDAR,
    "agencies_agency": versions.DIRECTORY,
    "agencies_membership": versions.DIRECTORY,
    "auth_user": versions.DIRECTORY,
    "django_session": versions.SESSIONS,
}


def _triggers() -> dict[str, set[str]]:
    """Trigger names by table, as the database itself lists them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal"
            )
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        found: dict[str, set[str]] = {}
        for table, name in cursor.fetchall():
            found.setdefault(str(table), set()).add(str(name))
    return found


def test_every_watched_table_and_the_request_events_have_triggers() -> None:
    found = _triggers()
    for table in WATCHED:
        assert any(name.startswith("version_") for name in found.get(table, ())), table
    assert any(name.startswith("requests_events") for name in found.get("requests_requestevent", ()))
    assert {v.name for v in Version.objects.all()} == set(WATCHED.values())


@pytest.mark.parametrize("table", sorted(WATCHED))
def test_a_raw_write_to_a_watched_table_renews_its_stamp(table: str) -> None:
    """Whoever writes (here plain SQL, no Django model), the stamp changes."""
    user = User.objects.create_user("stamp-test", password="x")
    rows = {
        "calendar_calendarday": "INSERT INTO calendar_calendarday (date, is_workday, name, updated_at) "
        "VALUES ('2031-01-02', FALSE, 'x', CURRENT_TIMESTAMP)",
        "agencies_agency": "INSERT INTO agencies_agency (name, code, level, kind, path) "
        "VALUES ('x', 'x', 'city', 'government', 'x.')",
        "agencies_membership": None,
        "auth_user": f"UPDATE auth_user SET first_name = 'renamed' WHERE id = {user.pk}",
        "django_session": "INSERT INTO django_session (session_key, session_data, expire_date) "
        "VALUES ('k', 'd', CURRENT_TIMESTAMP)",
    }
    sql = rows[table]
    if sql is None:  # a membership needs an agency first
        with connection.cursor() as cursor:
            cursor.execute(rows["agencies_agency"])
            cursor.execute("SELECT id FROM agencies_agency WHERE code = 'x'")
            agency_id = cursor.fetchone()[0]
        sql = (
            "INSERT INTO agencies_membership (user_id, agency_id, role) "
            f"VALUES ({user.pk}, {agency_id}, 'handle')"
        )
    before = versions.stamp(WATCHED[table])
    with connection.cursor() as cursor:
        cursor.execute(sql)
    assert versions.stamp(WATCHED[table]) != before
