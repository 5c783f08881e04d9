"""Checks across years: this report against the same agency's report on the year before."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..formats import CellRef
from ..formats.common import APPLICANT_COLUMNS
from ..report import Report
from .model import Context, Finding, Rule
from .reading import uncertain


def is_previous(previous: Report, report: Report) -> bool:
    return bool(
        previous.agency
        and previous.agency == report.agency
        and previous.year is not None
        and report.year is not None
        and previous.year == report.year - 1
    )


def check_carry_over(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """This year's 上年结转 is last year's 结转下年度, column by column."""
    previous = context.previous
    if previous is None:
        return
    table = report.table("requests")
    unsure = {**uncertain(previous, context), **uncertain(report, context)}
    for column in APPLICANT_COLUMNS:
        now = CellRef("requests", "carried_over", column.key)
        before = CellRef("requests", "carried_forward", column.key)
        this, last = report.get(now), previous.get(before)
        if str(now) in unsure or str(before) in unsure:
            continue  # a value the reader guessed in either year proves nothing about the agency
        if isinstance(this, int) and isinstance(last, int) and this != last:
            yield rule.finding(
                "requests",
                [str(now)],
                cell=table.cell_zh(now),
                value=this,
                year=previous.year,
                last=last,
                en=str(now),
            )


def check_in_force(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Documents in force = last year's in force + issued − repealed (2021 table 二 in both years)."""
    previous = context.previous
    if previous is None or (previous.proactive_format or previous.format) != "2021":
        return
    table = report.table("proactive")
    unsure = {**uncertain(previous, context), **uncertain(report, context)}
    for row in ("rules", "normative_documents"):
        refs = [CellRef("proactive", row, c) for c in ("issued", "repealed", "in_force")]
        issued, repealed, in_force = (report.get(ref) for ref in refs)
        last = previous.get(refs[2])
        values = (issued, repealed, in_force, last)
        if not all(isinstance(v, int) for v in values) or any(str(ref) in unsure for ref in refs):
            continue
        expected = int(last or 0) + int(issued or 0) - int(repealed or 0)
        if expected != in_force:
            yield rule.finding(
                "proactive",
                [str(ref) for ref in refs],
                row=table.row_zh(row),
                last=last,
                issued=issued,
                repealed=repealed,
                expected=expected,
                value=in_force,
                en=row,
            )


SHINGLE = 8  # characters: long enough that shared shingles are shared phrasing, not shared words
COPY_THRESHOLD = 0.5  # Jaccard of shingle sets; rewritten parts of the same agency stay well below
MIN_PASSAGE = 40  # characters of a copied run worth showing
_NOISE_CHAR = r"[\s\d０-９,，.。、；;：:“”\"'（）()《》]"
NOISE = re.compile(f"{_NOISE_CHAR}{_NOISE_CHAR}*")  # one, then any more: re skips ahead to the first


@dataclass(frozen=True)
class Copy:
    similarity: float
    passages: tuple[str, ...]


def _normal(text: str) -> str:
    """Numbers and punctuation out: a copy with this year's numbers filled in is still a copy."""
    return NOISE.sub("", text)


@lru_cache(maxsize=8)  # R15 and the dataset's similarity columns ask it of the same two parts
def similarity(text: str, before: str) -> Copy:
    """Jaccard similarity of character shingles, and the runs of `text` made of shingles `before` has."""
    now, old = _normal(text), _normal(before)
    shingles = [now[i : i + SHINGLE] for i in range(len(now) - SHINGLE + 1)]
    mine = set(shingles)
    theirs = {old[i : i + SHINGLE] for i in range(len(old) - SHINGLE + 1)}
    if not mine or not theirs:
        return Copy(0.0, ())
    score = len(mine & theirs) / len(mine | theirs)
    # A copied run is the union of the shingles last year has, overlapping or touching.
    passages: list[str] = []
    start = end = -1
    for i, shingle in enumerate(shingles):
        if shingle in theirs:
            if i > end:
                if end - start >= MIN_PASSAGE:
                    passages.append(now[start:end])
                start = i
            end = i + SHINGLE
    if end - start >= MIN_PASSAGE:
        passages.append(now[start:end])
    return Copy(score, tuple(passages))


def check_copied(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Parts 一 and 五 much like last year's: 内容雷同 is an accountability trigger under 30号."""
    previous = context.previous
    if previous is None:
        return
    for number in ("一", "五"):
        text, before = report.sections.get(number), previous.sections.get(number)
        if not text or not before:
            continue
        copy = similarity(text, before)
        if copy.similarity >= COPY_THRESHOLD:
            shown = "；".join(f"“{p[:60]}{'…' if len(p) > 60 else ''}”" for p in copy.passages[:3])
            yield rule.finding(
                "",
                [],
                part=number,
                year=previous.year,
                percent=round(copy.similarity * 100),
                passages=shown or "（无连续40字以上的相同段落）",
            )
