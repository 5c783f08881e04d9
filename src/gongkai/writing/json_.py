"""The canonical report JSON (`gongkai.report/1`), with the extras the report carries."""

from __future__ import annotations

import json

from ..report import Report

SUFFIX = ".json"


def write(report: Report) -> bytes:
    return (json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
