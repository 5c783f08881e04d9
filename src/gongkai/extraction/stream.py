"""A document flattened into one searchable string that remembers where each cell was.

Cells are joined by a unit separator and lines by a newline, so regexes run over the
whole document in C while every match offset maps back to its cell (and so to its file
location). The text is not normalised: patterns accept full-width forms themselves.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from operator import add
from typing import Any

from ..reading.document import Cell, Document

CELL_SEP = "\x1f"
LINE_SEP = "\n"

# Full-width forms U+FF01..U+FF5E -> ASCII, ideographic space -> space.
FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
FOLD[0x3000] = 0x20
FOLD[0xA0] = 0x20
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def fold_alnum(text: str) -> str:
    """`text` with full-width digits and letters made ASCII (a no-op scan for most text).

    Offsets stay valid: every folded character is one character.
    """
    return text.translate(FOLD) if _FULL_WIDTH_ALNUM.search(text) else text


# Characters a label may carry or lose without changing its meaning.
FULL_WIDTH_PUNCTUATION = r"\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff5e"
JUNK = rf"[\s\x1f()\[\]【】〔〕“”\"'‘’、.,:;·•\-—_/|*〈〉《》<>{FULL_WIDTH_PUNCTUATION}]"
_JUNK_CHARS = re.compile(JUNK)


@dataclass
class Stream:
    text: str
    starts: list[int]  # offset of each cell in `text`
    cells: list[Cell]
    line_of: list[int]  # index of the document line each cell belongs to
    ends: list[int] = field(default_factory=list)  # offset just after each cell's text
    texts: list[str] = field(default_factory=list)  # each cell's text, as `text` holds it
    line_end: list[int] = field(default_factory=list)  # index just past the last cell of each cell's line
    _loc_json: dict[int, dict[str, Any]] = field(default_factory=dict)  # by id() of a Loc in `cells`

    @classmethod
    def of(cls, document: Document) -> Stream:
        parts: list[str] = []
        texts: list[str] = []
        cells: list[Cell] = []
        line_of: list[int] = []
        line_end: list[int] = []
        gaps: list[tuple[int, int]] = []  # (cell, empty lines just before its line)
        gap = 0
        for index, line in enumerate(document.lines):
            if not line:
                parts.append("")  # an empty line is a newline and no cell
                gap += 1
                continue
            if gap:
                gaps.append((len(cells), gap))
                gap = 0
            line_texts = [cell.text for cell in line]
            parts.append(CELL_SEP.join(line_texts))
            texts += line_texts
            cells += line
            line_of += [index] * len(line)
            line_end += [len(cells)] * len(line)
        # Each cell is followed by one separator (the last of a line by its newline): a cell starts
        # one character after the previous one ends, and one more for each empty line between.
        steps = [0, *(len(text) + 1 for text in texts[:-1])]
        for cell, empty in gaps:
            steps[cell] += empty
        starts = list(accumulate(steps)) if texts else []
        ends = list(map(add, starts, map(len, texts)))
        text = LINE_SEP.join(parts) + LINE_SEP
        return cls(text, starts, cells, line_of, ends, texts, line_end)

    def cell_at(self, offset: int) -> int:
        """Index of the cell containing `offset` (or the nearest before it)."""
        return max(bisect_right(self.starts, offset) - 1, 0)

    def loc_json(self, offset: int) -> dict[str, Any]:
        return self.cell_json(self.cell_at(offset)) if self.cells else {}

    def cell_json(self, index: int) -> dict[str, Any]:
        """A cell's location as JSON, computed once per location (cells of a line share one)."""
        loc = self.cells[index].loc
        cached = self._loc_json.get(id(loc))
        if cached is None:
            cached = self._loc_json[id(loc)] = loc.to_json()
        return cached


@lru_cache(maxsize=8192)
def compact(label: str) -> str:
    """A label without the characters real reports add, drop or swap."""
    return _JUNK_CHARS.sub("", label.translate(FOLD))


_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+|\d+)(?=\D)")


def _spaced(text: str) -> str:
    """The characters of `text` with any junk between them; ASCII also matches its full-width form."""
    return f"{JUNK}*".join(
        f"[{re.escape(ch)}{chr(ord(ch) + 0xFEE0)}]" if ch.isascii() and ch.isalnum() else re.escape(ch)
        for ch in text
    )


@dataclass(frozen=True)
class LabelMatcher:
    """Finds any variant of a label, tolerant of spacing and punctuation.

    The body is searched first: it starts with a literal character, which the regex
    engine scans for quickly. A leading ordinal ("1.", "（三）", "四、") may be missing in
    real reports, so it is then taken into the match only when printed right before.
    """

    body: re.Pattern[str]
    ordinals: tuple[re.Pattern[str], ...]  # per body alternative, anchored at its end

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> tuple[int, int] | None:
        match = self.body.search(text, pos, len(text) if endpos is None else endpos)
        if match is None:
            return None
        start = match.start()
        ordinal = self.ordinals[match.lastindex - 1] if match.lastindex else None
        if ordinal is not None:
            before = ordinal.search(text, max(pos, start - 16), start)
            if before is not None:
                start = before.start()
        return start, match.end()


_NO_ORDINAL = re.compile(r"(?!)")


@lru_cache(maxsize=4096)
def label_pattern(labels: tuple[str, ...], ordinal_optional: bool = True) -> LabelMatcher:
    """A matcher for any variant of a label (see `LabelMatcher`).

    With `ordinal_optional=False` the ordinal is part of the body and required, which
    headings need ("三、收到和处理…" must not match a preamble that lists part names).
    """
    bodies: list[str] = []
    ordinals: list[re.Pattern[str]] = []
    for label in sorted({compact(label) for label in labels}, key=len, reverse=True):
        ordinal = _ORDINAL.match(label) if ordinal_optional else None
        body = label[ordinal.end() :] if ordinal else label
        # The empty group closing each alternative says which one matched (`lastindex`) while the
        # alternative still starts with its first character, which lets `re` skip ahead to it.
        bodies.append(f"(?:{_spaced(body)}())")
        ordinals.append(re.compile(f"{_spaced(ordinal.group())}{JUNK}*$") if ordinal else _NO_ORDINAL)
    return LabelMatcher(re.compile("|".join(bodies)), tuple(ordinals))
