"""The rotating log file of `settings.LOGGING` and the filter that keeps tracking codes out of
every log (stdlib only: logging is configured before the apps are loaded)."""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any


class RotatingFile(RotatingFileHandler):
    """A rotating log file opened, and its directory made, on the first record logged: a command
    that logs nothing (a refused `gongkai report`) leaves no directory behind."""

    def __init__(self, filename: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(filename, *args, **{**kwargs, "delay": True})

    def _open(self) -> Any:
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


# A tracking code is the applicant's only key to the request: a log line must never carry one.
TRACKING_PATH = re.compile(r"(/public/(?:track|submitted)/)[^/\s?\"]+")
TRACKING_QUERY = re.compile(r"([?&]code=)[^&\s\"]+")


def mask_codes(text: str) -> str:
    return TRACKING_QUERY.sub(r"\1***", TRACKING_PATH.sub(r"\1***", text))


class MaskTrackingCodes(logging.Filter):
    """Replace tracking codes in a record's message and arguments (Granian's access log passes a
    dict with the path; Django's request log passes the path as an argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_codes(record.msg)
        if isinstance(record.args, dict):
            record.args = {k: mask_codes(v) if isinstance(v, str) else v for k, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(mask_codes(v) if isinstance(v, str) else v for v in record.args)
        return True
