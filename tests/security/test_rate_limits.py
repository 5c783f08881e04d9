"""Item 9: the portal's limits hold across worker processes (the counts are in the database, not
in one process's memory), and tracking codes never reach the access log."""

from __future__ import annotations

import io
import logging
import logging.config
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from granian.log import DEFAULT_ACCESSLOG_FMT, log_request_builder

from gongkai.web.core.models import RateCount
from gongkai.web.server import ACCESS_LOG

pytestmark = pytest.mark.django_db


def _forget_process_memory() -> None:
    """What another worker process starts with: none of this process's caches."""
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.mark.usefixtures("one_rate_window")
def test_the_tracking_limit_holds_when_another_worker_answers(client: Client) -> None:
    for _ in range(30):
        assert client.get("/public/track/no-such-code/").status_code == 404
    _forget_process_memory()
    assert client.get("/public/track/no-such-code/").status_code == 429
    assert RateCount.objects.filter(key__startswith="portal:track:127.0.0.1").exists()
    other = Client(REMOTE_ADDR="192.0.2.44")
    assert other.get("/public/track/no-such-code/").status_code == 404  # per address


def test_tracking_codes_are_masked_in_the_access_log() -> None:
    out = io.StringIO()
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"access": {"format": "%(message)s"}},
        **{k: v for k, v in ACCESS_LOG.items() if k != "handlers"},
        "handlers": {"access": {**ACCESS_LOG["handlers"]["access"], "stream": out}},  # type: ignore[index]
        "loggers": {"granian.access": {"handlers": ["access"], "level": "INFO", "propagate": False}},
    }
    logging.config.dictConfig(config)
    try:
        log = log_request_builder(DEFAULT_ACCESSLOG_FMT)
        for path in ("/public/track/Zq8-SECRET-code/", "/public/submitted/Zq8-SECRET-code/"):
            request = {"addr_remote": "127.0.0.1", "path": path, "qs": "", "method": "GET"}
            log(0.0, 0.0, {**request, "scheme": "http", "protocol": "HTTP/1.1"}, 200)
    finally:
        logging.getLogger("granian.access").handlers.clear()
    written = out.getvalue()
    assert "/public/track/***/" in written and "/public/submitted/***/" in written
    assert "SECRET" not in written
