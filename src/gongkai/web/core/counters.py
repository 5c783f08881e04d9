"""Counts of calls per time window, kept in the database (`RateCount`) so that every server
process counts against the same limit: one atomic upsert per call, no cache service needed."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone

from .models import RateCount

KEY_LENGTH = 200


def hit(key: str, window: int) -> int:
    """Count one call under `key` in the current window of `window` seconds; the count so far."""
    now = timezone.now()
    slot = int(now.timestamp() // window)
    expires = datetime.fromtimestamp((slot + 1) * window, tz=UTC)
    field = RateCount._meta.get_field("expires")
    table = connection.ops.quote_name(RateCount._meta.db_table)
    column = connection.ops.quote_name("key")
    count = connection.ops.quote_name("count")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({column}, {count}, expires) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({column}) DO UPDATE SET {count} = {table}.{count} + 1 RETURNING {count}",
            [f"{key}:{slot}"[:KEY_LENGTH], field.get_db_prep_value(expires, connection)],
        )
        row = cursor.fetchone()
    if row[0] == 1:  # a new window began: forget the finished ones
        RateCount.objects.filter(expires__lt=now).delete()
    return int(row[0])
