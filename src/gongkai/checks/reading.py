"""What the reader had to decide for itself, told as such and never as the agency's fault.

A cell the reader inferred from the table's identities, split out of run-together digits,
or could not decide at all is a fact about the copy that was read; a reviewer should know
it before trusting a finding about that cell, and nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

from ..report import Report
from .model import Context, Finding, Rule

UNREAD_NOTES = {"missing-row": "未找到该行", "undecidable": "无法唯一拆分", "bad-value": "不是数值"}
# A scanned cell read with low confidence or corrected from a look-alike (gongkai.scan_review).
OCR_NOTES = {"ocr-uncertain": "文字识别不确定"}
INFERRED = "由勾稽关系推断"
INFERRED_HOW = "inferred"
NO_TABLE = "未找到该表"


def uncertain(report: Report, context: Context | None = None) -> Mapping[str, str]:
    """Cells whose value is the reader's, not the agency's: cell key -> why, in Chinese.

    With a `context`, the answer is kept in it: a dozen rules ask it of one report in one
    `check` (which gives every run a context of its own, so the report cannot change meanwhile).

    A cell is uncertain when a reader's note covers it (row not found, digits that admit
    several splits, a value that is no number, a scan read uncertainly), when the reader inferred it from the
    identities, or when its whole table was not found in a document that was read (a
    report with provenance for other tables and none for this one). Checks must not blame
    the agency for such a cell: it is neither printed empty nor proof of broken arithmetic.
    """
    if context is not None:
        return context.remembered(report, "uncertain", lambda: MappingProxyType(uncertain(report)))
    unsure: dict[str, str] = {}
    why_of = UNREAD_NOTES | OCR_NOTES
    notes = [(n.cell, why_of[n.code]) for n in report.notes if n.code in why_of]
    provenance = report.provenance
    for table in report.tables():
        keys = table.ref_keys.values()
        if provenance and not _was_read(table.key, keys, provenance):
            unsure.update(dict.fromkeys(keys, NO_TABLE))
            continue
        for cell, why in notes:
            if cell.split(".", 1)[0] == table.key:
                unsure.update((key, why) for key in keys if key == cell or key.startswith(cell + "."))
    inferred = [key for key, entry in provenance.items() if entry.get("how") == INFERRED_HOW]
    for key in inferred:  # most reports: none, found by one comprehension over every cell read
        unsure.setdefault(key, INFERRED)
    return unsure


def _was_read(table: str, keys: Iterable[str], provenance: Mapping[str, object]) -> bool:
    """Whether the reader recorded where any cell of the table was printed (its own cells asked
    first: one lookup settles a table that was read)."""
    prefix = table + "."
    return any(key in provenance for key in keys) or any(key.startswith(prefix) for key in provenance)


def check_inferred(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Cells missing from the document whose value the identities fixed uniquely."""
    for note in report.notes:
        if note.code == "inferred":
            yield rule.finding(
                note.cell.split(".")[0], [note.cell], message=note.message_zh, en=note.message_en
            )


def check_split(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Tables whose digits were printed run together and split by the identities: one finding per table."""
    split: dict[str, list[str]] = {}
    for key, entry in report.provenance.items():
        if entry.get("how") == "split":
            split.setdefault(key.split(".")[0], []).append(key)
    for table, cells in split.items():
        yield rule.finding(table, cells, name=report.table(table).name_zh(), count=len(cells), key=table)


def check_unread(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Rows not found, values that are no number, digits that admit several splits."""
    for note in report.notes:
        if note.code in UNREAD_NOTES:
            yield rule.finding(
                note.cell.split(".")[0],
                [note.cell],
                message=note.message_zh,
                en=note.message_en,
                code=note.code,
            )
