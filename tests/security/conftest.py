"""The security suite: each test drives the desk as an attacker or an acceptance reviewer would,
through the test client and the real middleware (or a subprocess of `gongkai`), on loopback only.

The desk's fixtures (an agency tree with one user per role, a request factory) are the web
suite's. The PostgreSQL concurrency tests are collected only when the database is PostgreSQL
(`scripts/test` runs this directory there too), so SQLite never reports them as passed.
"""

from __future__ import annotations

import os

from tests.web.conftest import (
    FORM,
    Tree,
    _fast_passwords,
    _fresh_cache,
    day,
    new_request,
    one_rate_window,
    tree,
)

__all__ = ["FORM", "Tree", "_fast_passwords", "_fresh_cache", "day", "new_request", "one_rate_window", "tree"]

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
collect_ignore = [] if ON_POSTGRES else ["test_races_postgres.py"]
