"""The values printed between two row labels: empty cells, numbers, runs of digits.

Text in the span (group labels, headers, vertical captions) is not a value; an empty
cell, a dash or a slash is a value that is printed as nothing (null). Lines of the span
that print no number at all are label padding and are dropped, which makes "numbers on
the next line" and "label cell merged over several lines" read like an ordinary row.
"""

from __future__ import annotations

import re
from functools import partial
from typing import NamedTuple

from .stream import CELL_SEP, Stream

NUMBER = re.compile(r"(?:[+\-](?=\d)|(?<![\d.]))\d+(?:,\d{3})*(?:\.\d+)?(?:[ \t]?(?:万元|元))?")
ORDINAL_AFTER = re.compile(r"[.、．](?=[^\d\s])")
BRACKETS = re.compile(r"[(（][^()（）]*[)）]")
# A bracketed note may wrap onto the next line of a converted PDF: "22（其中修订 0 3" / "16 件）";
# the number that closes it is part of the note.
WRAPPED_NOTE = re.compile(r"[(（][^()（）\n]*\n[\s\x1f]*(\d+[ \t]*[^\d\s()（）\x1f]{0,3}[ \t]*[)）])")
# Numbers that are part of words, never cells: generic column headers made by OCR and LLM
# converters (数据1, 列2), page markers (— 3 —, -1-, 第3页 共5页) and dates or years (2025年1月20日).
NOT_VALUES = re.compile(
    r"(?:数据|列|栏|Column|col)\s*\d{1,2}"
    r"|[-—–－]+[ \t]*\d{1,4}[ \t]*[-—–－]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
PROSE = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff]{7,}")  # eight or more; the first alone lets re skip ahead
BLANKS = {"-", "--", "—", "——", "－", "/", "\\", "无", "/ ", "—/—", "／"}


class Token(NamedTuple):
    raw: str  # as printed; "" for an empty cell
    start: int  # offset in the stream
    end: int
    soft: bool  # shares its cell with other text: separators may have been lost
    cell: int  # index of the stream cell it was printed in

    @property
    def empty(self) -> bool:
        return not self.raw

    @property
    def digits(self) -> bool:
        """A bare run of digits, which may hold several run-together cells."""
        return self.raw.isdecimal()


def tokens_between(stream: Stream, start: int, end: int) -> list[Token]:
    """Value tokens printed in stream[start:end], in reading order."""
    if end <= start or not stream.cells:
        return []
    text, starts, ends, texts = stream.text, stream.starts, stream.ends, stream.texts
    token = _token
    result: list[Token] = []
    index = stream.cell_at(start)
    stop = stream.cell_at(end - 1) + 1
    while index < stop:  # line by line; only the span's first and last cell may be cut by it
        first, index = index, min(stream.line_end[index], stop)
        lo = start if start > starts[first] else starts[first]
        hi = end if end < ends[index - 1] else ends[index - 1]
        if _DIGIT.search(text, lo, hi) is None:
            continue  # a line that prints no digit is label padding: none of its tokens count
        line: list[Token] = []
        has_number = False
        for cell, cell_start, cell_end, fragment in zip(
            range(first, index), starts[first:index], ends[first:index], texts[first:index], strict=True
        ):
            if start <= cell_start and cell_end <= end:  # the whole cell: most cells of a region
                if fragment.isdecimal():
                    line.append(token((fragment, cell_start, cell_end, False, cell)))
                    has_number = True
                elif not fragment:
                    line.append(token(("", cell_start, cell_end, False, cell)))
                else:
                    found = _values(text, fragment, cell_start, cell_end, cell, True)
                    if found:
                        has_number = has_number or not found[0].empty
                        line += found
                continue
            cut_start = start if start > cell_start else cell_start
            cut_end = end if end < cell_end else cell_end
            if cut_start >= cut_end:
                continue
            fragment = text[cut_start:cut_end]
            if fragment.isdecimal():
                line.append(token((fragment, cut_start, cut_end, True, cell)))
                has_number = True
                continue
            found = _values(text, fragment, cut_start, cut_end, cell, False)
            if found:
                has_number = has_number or not found[0].empty
                line += found
        if has_number:
            result += line
    if text.find("（", start, end) < 0 and text.find("(", start, end) < 0:
        return result  # no bracket, so no note wrapped around a number
    notes = [m.span(1) for m in WRAPPED_NOTE.finditer(text, start, end)]
    if notes:
        result = [t for t in result if not any(a <= t.start < b for a, b in notes)]
    return result


def _values(text: str, fragment: str, lo: int, hi: int, cell: int, whole: bool) -> list[Token]:
    """The values of a cell (or the part of it in the span) that is not a bare run of digits:
    its numbers, or one empty value for a whole cell printed blank ("—", "/", "无")."""
    stripped = fragment.strip()
    if not stripped or stripped in BLANKS:
        return [_token(("", lo, hi, False, cell))] if whole else []
    numbers = numbers_in(fragment, lo, cell, soft=not whole or not stripped.isdecimal())
    return [t._replace(soft=t.soft and _touches(text, t.start, t.end)) for t in numbers]


# Tokens are made by the hundred per report: build the tuple directly, without the
# keyword-taking `Token.__new__` in between.
_token = partial(tuple.__new__, Token)


FENCES = frozenset("|｜\n" + CELL_SEP)


def _touches(text: str, start: int, end: int) -> bool:
    """A number fenced by `|` or cell and line ends on both sides ("| 767 |") is one cell;
    anything else ("规章 00 第二十条", crawler "数量8213521859") may hold several."""
    before = text[max(start - 8, 0) : start].rstrip(" \t")[-1:] or "\n"
    after = text[end : end + 8].lstrip(" \t")[:1] or "\n"
    return before not in FENCES or after not in FENCES


def until_prose(stream: Stream, tokens: list[Token], end: int) -> list[Token]:
    """Drop what follows the row's values once running prose starts (a table's last row)."""
    first = next((t for t in tokens if not t.empty), None)
    if first is None:
        return tokens
    prose = PROSE.search(stream.text, first.end, end)
    return tokens if prose is None else [t for t in tokens if t.start < prose.start()]


def numbers_in(fragment: str, offset: int, cell: int, soft: bool) -> list[Token]:
    """Numbers in a text fragment, skipping ordinals ("2.") and bracketed notes."""
    if not _DIGIT.search(fragment):  # most text cells (labels, headers) hold no digit at all
        return []
    hidden = [m.span() for m in BRACKETS.finditer(fragment)]
    hidden += [m.span() for m in NOT_VALUES.finditer(fragment)]
    found = []
    for match in NUMBER.finditer(fragment):
        a, b = match.span()
        if any(x <= a < y for x, y in hidden):
            continue
        if ORDINAL_AFTER.match(fragment, b):
            continue
        found.append(Token(match.group(), offset + a, offset + b, soft, cell))
    return found
