"""Whose a finding is: the agency's printed table, or a cell the reader inferred or could not read.

A reviewer files a fault against an agency only for what the agency printed; a cell the reader
filled from the identities, split out of run-together digits, or could not read at all is a fact
about the copy that was read (see `reading`), and the desk must show it as such.
"""

from __future__ import annotations

from enum import StrEnum

from ..formats import CellRef
from ..report import Report
from .model import Finding
from .reading import OCR_NOTES, UNREAD_NOTES

DECIDED_BY_READER = ("inferred", "split")


class Whose(StrEnum):
    AGENCY = "agency"  # the agency's printed table or text
    INFERRED = "inferred"  # a cell the reader inferred from the identities or split from a digit run
    UNREAD = "unread"  # a cell the reader could not read

    @property
    def zh(self) -> str:
        return {"agency": "机关填报", "inferred": "读取推断", "unread": "未能读取"}[self.value]


def whose(finding: Finding, report: Report) -> Whose:
    """Unread beats inferred beats the agency's own: one unread cell makes the finding the reader's."""
    unread = {note.cell for note in report.notes if note.code in UNREAD_NOTES or note.code in OCR_NOTES}
    inferred = False
    for key in finding.cells:
        if key in unread or any(key.startswith(cell + ".") for cell in unread if cell):
            return Whose.UNREAD
        parts = key.split(".")
        if len(parts) == 3 and "*" not in parts and report.get(CellRef(*parts)) is None:  # "*": a pattern
            return Whose.UNREAD
        inferred = inferred or report.provenance.get(key, {}).get("how") in DECIDED_BY_READER
    return Whose.INFERRED if inferred else Whose.AGENCY
