"""The rotating log file of `settings.LOGGING` (stdlib only: logging is configured before the apps)."""

from __future__ import annotations

from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any


class RotatingFile(RotatingFileHandler):
    """A rotating log file whose directory is made on first use (the data directory may be new)."""

    def __init__(self, filename: str, *args: Any, **kwargs: Any) -> None:
        Path(filename).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(filename, *args, **kwargs)
