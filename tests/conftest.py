"""Shared test helpers: where the real corpus lives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# Property tests assert behaviour, not speed: on a shared 2-core machine a slow example must not fail.
settings.register_profile("gongkai", deadline=None)
settings.load_profile("gongkai")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def gold_pairs() -> list[tuple[Path, Path]]:
    """Every corpus report that has a NAME.gold.json beside it."""
    pairs = []
    for gold in sorted(CORPUS.glob("*/*.gold.json")):
        stem = gold.name.removesuffix(".gold.json")
        sources = [p for p in gold.parent.glob(stem + ".*") if not p.name.endswith(".gold.json")]
        assert len(sources) == 1, f"expected one source for {gold}"
        pairs.append((sources[0], gold))
    return pairs


@pytest.fixture(scope="session")
def corpus() -> Path:
    assert CORPUS.is_dir(), f"the shared corpus is missing at {CORPUS}"
    return CORPUS


def pytest_configure(config: pytest.Config) -> None:
    _keep_the_audit_guard_through_flush()


def _keep_the_audit_guard_through_flush() -> None:
    """The audit log's triggers refuse DELETE (SQLite's flush) and TRUNCATE (PostgreSQL's): around
    Django's flush (transactional and live-server tests) the guards are dropped and made again.
    Only a test database is ever flushed."""
    try:
        from django.core.management.commands import flush
    except ImportError:  # the desk's extra is not installed
        return
    from gongkai.web.core.triggers import (
        AUDIT_TABLE,
        audit_delete_guard,
        audit_delete_unguard,
        audit_truncate_guard,
        audit_truncate_unguard,
    )

    original = flush.sql_flush

    def sql_flush(style: Any, connection: Any, *args: Any, **kwargs: Any) -> list[str]:
        statements: list[str] = original(style, connection, *args, **kwargs)
        if not any(AUDIT_TABLE in s for s in statements):
            return statements
        if connection.vendor == "sqlite":
            return [*audit_delete_unguard("sqlite"), *statements, *audit_delete_guard("sqlite")]
        vendor = connection.vendor
        return [*audit_truncate_unguard(vendor), *statements, *audit_truncate_guard(vendor)]

    flush.sql_flush = sql_flush
