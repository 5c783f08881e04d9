"""A document flattened into one searchable string that remembers where each cell was.

Cells are joined by a unit separator and lines by a newline, so regexes run over the
whole document in C while every match offset maps back to its cell (and so to its file
location). Full-width ASCII is folded to half-width in place, keeping offsets stable.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from ..reading.document import Cell, Document, Loc

CELL_SEP = "\x1f"
LINE_SEP = "\n"

# Full-width forms U+FF01..U+FF5E -> ASCII, ideographic space -> space: same length.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
_FOLD[0xA0] = 0x20

# Characters a label may carry or lose without changing its meaning.
JUNK = r"[\s\x1f()\[\]【】〔〕“”\"'‘’、.,:;·•\-—_/|*〈〉《》<>]"
_JUNK_CHARS = re.compile(JUNK)


@dataclass
class Stream:
    text: str
    starts: list[int]  # offset of each cell in `text`
    cells: list[Cell]
    line_of: list[int]  # index of the document line each cell belongs to

    @classmethod
    def of(cls, document: Document) -> Stream:
        parts: list[str] = []
        starts: list[int] = []
        cells: list[Cell] = []
        line_of: list[int] = []
        offset = 0
        for index, line in enumerate(document.lines):
            for position, cell in enumerate(line):
                if position:
                    parts.append(CELL_SEP)
                    offset += 1
                starts.append(offset)
                cells.append(cell)
                line_of.append(index)
                parts.append(cell.text)
                offset += len(cell.text)
            parts.append(LINE_SEP)
            offset += 1
        text = "".join(parts).translate(_FOLD)
        return cls(text, starts, cells, line_of)

    def cell_at(self, offset: int) -> int:
        """Index of the cell containing `offset` (or the nearest before it)."""
        return max(bisect_right(self.starts, offset) - 1, 0)

    def loc_at(self, offset: int) -> Loc:
        return self.cells[self.cell_at(offset)].loc if self.cells else Loc()


def compact(label: str) -> str:
    """A label without the characters real reports add, drop or swap."""
    return _JUNK_CHARS.sub("", label.translate(_FOLD))


_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+|\d+)(?=\D)")


@lru_cache(maxsize=4096)
def label_pattern(labels: tuple[str, ...], ordinal_optional: bool = True) -> re.Pattern[str]:
    """One regex matching any variant of a label, tolerant of spacing and punctuation.

    The leading ordinal ("1.", "（三）", "四、") may be missing in real reports, so it is
    optional unless the caller needs it to tell headings apart.
    """
    alternatives = []
    for label in sorted({compact(label) for label in labels}, key=len, reverse=True):
        ordinal = _ORDINAL.match(label) if ordinal_optional else None
        body = label[ordinal.end() :] if ordinal else label
        joined = f"{JUNK}*".join(re.escape(ch) for ch in body)
        if ordinal:
            prefix = f"{JUNK}*".join(re.escape(ch) for ch in ordinal.group())
            joined = f"(?:{prefix}{JUNK}*)?{joined}"
        alternatives.append(joined)
    return re.compile("|".join(f"(?:{a})" for a in alternatives))
