"""`gongkai serve`'s HTTP server: Granian's worker processes around the desk's WSGI application.

Django's own `runserver` is a development server (one process, a new thread and a new database
connection per request). Granian is a maintained production server with its HTTP layer in Rust:
on the desk's list page it served the same 2 cores about a third more pages than gunicorn did,
with a tighter tail, because parsing and writing HTTP no longer cost Python time
(docs/benchmarks.md). It runs offline, keeps each worker thread's database connection, and
serves the desk's CSS itself, without a Python call.
"""

from __future__ import annotations

import os

from granian.constants import Interfaces
from granian.http import HTTP1Settings
from granian.server import Server

from .core.urls import STATIC

# Granian's own logging, with tracking codes masked in the access log's paths.
ACCESS_LOG = {
    "filters": {"codes": {"()": "gongkai.web.core.logfile.MaskTrackingCodes"}},
    "handlers": {
        "console": {"formatter": "generic", "class": "logging.StreamHandler", "stream": "ext://sys.stdout"},
        "access": {
            "formatter": "access",
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["codes"],
        },
    },
}


# Seconds a worker may take to finish its requests after the stop signal before it is killed. Granian
# waits forever by default, and one worker that misses the signal (seen once in CI, right after
# start-up) would then hold the whole server up.
STOP_GRACE = 10


def default_workers() -> int:
    return max(2, min(8, os.cpu_count() or 1))


def serve(
    host: str, port: int, *, workers: int, threads: int, keepalive: bool = True, access_log: bool = True
) -> None:
    """Serve the desk until interrupted (the caller has configured Django and migrated).

    `threads` per worker process answer requests side by side, so a slow export (a PDF through
    LibreOffice) holds one thread, not the process. `keepalive=False` closes each connection after
    its response: a load test's never-idle connections then spread over all workers.
    """
    from django.db import connections

    connections.close_all()  # the workers are new processes: each opens its own
    Server(
        "gongkai.web.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        websockets=False,
        http1_settings=HTTP1Settings(keep_alive=keepalive),
        log_access=access_log,
        log_dictconfig=ACCESS_LOG,
        static_path_route=["/static/core"],
        static_path_mount=[STATIC],
        respawn_failed_workers=True,
        workers_kill_timeout=STOP_GRACE,
    ).serve()
