"""Scoring a read against its gold: each cell right, null and flagged, null unflagged or wrong; its year."""

from __future__ import annotations

from collections import Counter

from gongkai.report import Report


def flagged(read: Report, ref: str) -> bool:
    """A note names the cell, its row or its table (a missing row, an undecidable run)."""
    for note in read.notes:
        cell = note.cell or ""
        if cell and (ref == cell or ref.startswith(cell + ".")):
            return True
    return False


def score(read: Report, gold: Report) -> Counter[str]:
    tally: Counter[str] = Counter()
    for ref, expected in gold.cells():
        got = read.get(ref)
        if got == expected:
            tally["right"] += 1
        elif got is None:
            tally["null-flagged" if flagged(read, str(ref)) else "null-unflagged"] += 1
        else:
            tally["wrong"] += 1
    if read.year != gold.year:
        tally["wrong year"] += 1
    return tally


def wrong_cells(read: Report, gold: Report) -> list[str]:
    return [
        f"{ref}: read {read.get(ref)!r}, gold {want!r}"
        for ref, want in gold.cells()
        if read.get(ref) not in (want, None)
    ]
