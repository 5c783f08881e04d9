"""`gongkai serve`'s HTTP server: gunicorn's threaded workers around the desk's WSGI application.

Django's own `runserver` is a development server (one process, a new thread and a new database
connection per request); gunicorn is the maintained production WSGI server, runs offline, and its
gthread workers keep their database connections and serve keep-alive connections.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication


class DeskServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings newer gunicorns added are skipped on older ones
                self.cfg.set(key, value)

    def load(self) -> Callable[..., Any]:
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


def default_workers() -> int:
    return max(2, min(8, os.cpu_count() or 1))


def serve(
    host: str, port: int, *, workers: int, threads: int, keepalive: int = 2, access_log: bool = True
) -> None:
    """Serve the desk until interrupted (the caller has configured Django and migrated).

    A keep-alive connection stays with the worker that accepted it; `keepalive=0` closes each one
    after its response, so connections that never idle (a load test) spread over all workers.
    """
    from django.db import connections

    connections.close_all()  # the workers are forked: each opens its own
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 120,  # a PDF export runs LibreOffice
        "keepalive": keepalive,
        "accesslog": "-" if access_log else None,
        "control_socket_disable": True,  # gunicorn 27's runtime control socket: not needed here
    }
    DeskServer(options).run()
