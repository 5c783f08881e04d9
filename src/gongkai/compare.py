"""An agency's report against its report on the year before.

Every cell with its change; the cross-year rules of the checks (上年结转 against last year's
结转下年度, R5; 现行有效件数 carried on, R17) run as the checks run them; and parts 一 and 五 side by
side, each split into runs marked copied or not, with the similarity figure R15 judges by. The
marking uses R15's own shingles (`checks.history`), so what is marked is what the check counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from .checks import BY_ID, Context, Finding
from .checks.history import NOISE, SHINGLE, similarity
from .formats import CellRef
from .report import TABLE_KEYS, Report, Value
from .rollup import amount

PARTS = ("一", "五")
CROSS_YEAR_RULES = ("R5", "R17")  # carry-over, documents in force


@dataclass(frozen=True)
class CellChange:
    ref: CellRef
    before: Value
    now: Value

    @property
    def change(self) -> int | Decimal | None:
        """now − before when both are numbers (amounts in 万元), else None."""
        now, before = amount(self.now), amount(self.before)
        if now is None or before is None:
            return None
        change = now - before
        return int(change) if isinstance(self.now, int) and isinstance(self.before, int) else change


@dataclass(frozen=True)
class Run:
    text: str
    copied: bool  # made of phrasing the other year's part also has


@dataclass(frozen=True)
class PartComparison:
    number: str  # "一" or "五"
    now: tuple[Run, ...]
    before: tuple[Run, ...]
    similarity: float  # R15's figure: Jaccard of the two parts' character shingles

    @property
    def copied_share(self) -> float:
        """The share of this year's characters that are marked copied."""
        total = sum(len(r.text) for r in self.now)
        return sum(len(r.text) for r in self.now if r.copied) / total if total else 0.0


@dataclass(frozen=True)
class Comparison:
    current: Report
    previous: Report
    cells: tuple[CellChange, ...]
    continuity: tuple[Finding, ...]  # R5 and R17 findings: carry-over and documents in force
    parts: tuple[PartComparison, ...]

    def changed(self) -> list[CellChange]:
        return [c for c in self.cells if c.now != c.before]


def compare(current: Report, previous: Report) -> Comparison:
    """`current` against `previous`; a cell only one year's format has shows None on the other side."""
    refs = [ref for key in TABLE_KEYS for ref in current.table(key).cells()]
    known = set(refs)
    refs += [ref for key in TABLE_KEYS for ref in previous.table(key).cells() if ref not in known]
    cells = tuple(CellChange(ref, previous.get(ref), current.get(ref)) for ref in refs)
    context = Context(previous=previous)
    continuity = tuple(
        finding
        for rule_id in CROSS_YEAR_RULES
        for finding in BY_ID[rule_id].run(BY_ID[rule_id], current, context)
    )
    parts = tuple(
        compare_part(number, current.sections.get(number, ""), previous.sections.get(number, ""))
        for number in PARTS
    )
    return Comparison(current, previous, cells, continuity, parts)


def compare_part(number: str, now: str, before: str) -> PartComparison:
    return PartComparison(number, mark(now, before), mark(before, now), similarity(now, before).similarity)


def mark(text: str, other: str) -> tuple[Run, ...]:
    """`text` in runs, copied where a shingle of it (numbers and punctuation aside) occurs in `other`."""
    kept = [i for i, ch in enumerate(text) if not NOISE.fullmatch(ch)]
    normal = "".join(text[i] for i in kept)
    theirs = _shingles("".join(ch for ch in other if not NOISE.fullmatch(ch)))
    covered = [False] * len(normal)
    for i in range(len(normal) - SHINGLE + 1):
        if normal[i : i + SHINGLE] in theirs:
            covered[i : i + SHINGLE] = [True] * SHINGLE
    flags = [False] * len(text)
    for position, index in enumerate(kept):
        flags[index] = covered[position]
    # numbers and punctuation between two copied characters belong to the copied run
    for position in range(1, len(kept)):
        if covered[position - 1] and covered[position]:
            for index in range(kept[position - 1] + 1, kept[position]):
                flags[index] = True
    return tuple(
        Run("".join(ch for ch, _ in group), flag)
        for flag, group in groupby(zip(text, flags, strict=True), key=lambda pair: pair[1])
    )


def _shingles(text: str) -> set[str]:
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}
