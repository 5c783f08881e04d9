"""The national annual-report formats, declared as data (see `model`)."""

from __future__ import annotations

from .model import CellRef, Column, Format, Identity, Kind, Row, Table
from .y2019 import FORMAT_2019
from .y2021 import FORMAT_2021

FORMATS: dict[str, Format] = {f.key: f for f in (FORMAT_2021, FORMAT_2019)}


def get_format(key: str) -> Format:
    try:
        return FORMATS[key]
    except KeyError:
        raise KeyError(f"unknown report format {key!r}; known: {', '.join(FORMATS)}") from None


def format_for_year(year: int) -> Format:
    """The format a report on `year` is due to follow (R7)."""
    for fmt in FORMATS.values():
        low, high = fmt.years
        if low <= year <= high:
            return fmt
    return FORMAT_2019 if year < 2021 else FORMAT_2021


__all__ = [
    "FORMATS",
    "FORMAT_2019",
    "FORMAT_2021",
    "CellRef",
    "Column",
    "Format",
    "Identity",
    "Kind",
    "Row",
    "Table",
    "format_for_year",
    "get_format",
]
