"""Spreadsheet and CSV output that never executes (CSV/formula injection, OWASP).

Agency names, file names and cells come from documents and applicants. Text that a spreadsheet
would take for a formula (it starts with =, +, -, @, a tab or a carriage return) is written as
text: in CSV behind a leading apostrophe, the convention spreadsheets honour; in XLSX as a string
cell (every workbook gongkai writes is an `xlsx_sheet.TextBook`).
A plain signed number ("-15", the 2019 format's 增/减) stays as it is: it cannot execute.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?\Z")


def inert_text(text: str) -> str:
    """`text` as a CSV field that no spreadsheet evaluates."""
    if text.startswith(TRIGGERS) and not _NUMBER.match(text):
        return "'" + text
    return text


def inert_row(values: Iterable[Any]) -> tuple[Any, ...]:
    """A CSV row with every string made inert; numbers and None pass through."""
    return tuple(inert_text(v) if isinstance(v, str) else v for v in values)
