"""Plain text in UTF-8, GB18030/GBK or UTF-16, with or without BOM.

Two layouts occur in reports copied off web pages: one table row per line with cells
separated by tabs, and one cell per line ending in ` |`; Markdown tables (`| a | b |`)
are a third. All become lines of cells.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from .document import Cell, Document, Loc, ReadError

# tuple.__new__ builds a NamedTuple at half the cost of calling the class; text readers make
# a thousand cells per report.
_make_cell = tuple.__new__
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> tuple[str, str]:
    """Decode report text; returns (text, encoding). Raises ReadError for binary data."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    if _looks_utf16(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(encoding, errors="replace"), encoding
    if b"\x00" in data[:65536]:
        raise ReadError(
            "文件是二进制数据，不是文本、HTML、DOCX、XLSX 或 PDF", "binary data, not a report document"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise ReadError("无法识别文件的文字编码", "cannot determine the text encoding")
    return data.decode(best.encoding, errors="replace"), best.encoding


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4000]
    if len(sample) < 4:
        return False
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    # CJK UTF-16 has few NULs, so also accept ASCII-heavy samples by NUL pattern.
    return max(even, odd) > half * 0.3 and min(even, odd) < half * 0.05


def check_text(text: str) -> None:
    """Reject decoded text that is mostly control characters (mis-decoded binary)."""
    sample = text[:20000]
    if not sample.strip():
        raise ReadError("文件内容为空", "the file is empty")
    bad = len(CONTROL.findall(sample)) + sample.count("\ufffd")
    if bad > len(sample) * 0.05:
        raise ReadError(
            "文件内容不是可读文字（可能是二进制或编码错误）",
            "content is not readable text (binary or mis-encoded)",
        )


def read_text(data: bytes, path: str) -> Document:
    text, encoding = decode(data)
    check_text(text)
    raw_lines = text.splitlines()
    pipe = _pipe_layout(raw_lines)
    lines = []
    for number, raw in enumerate(raw_lines, 1):
        loc = line_loc(number)
        if pipe:
            stripped = raw.strip()
            if stripped and not stripped.strip("|"):
                continue  # a row of empty merged cells
            if stripped.startswith("|") and stripped.count("|") > 2:
                pieces = [
                    piece.strip() for piece in stripped[1:].removesuffix("|").split("|")
                ]  # a Markdown row
            else:
                pieces = [stripped[:-1].rstrip()] if stripped.endswith("|") else [raw]
        else:
            pieces = raw.split("\t")
        lines.append([_make_cell(Cell, (piece, loc)) for piece in pieces])
    return Document(path=path, kind="text", lines=lines, encoding=encoding)


@lru_cache(maxsize=100_000)
def line_loc(number: int) -> Loc:
    """Locations are immutable, so one per line number serves every document."""
    return Loc(line=number)


def _pipe_layout(lines: list[str]) -> bool:
    """True when most non-empty lines end in `|` (one cell per line)."""
    nonempty = [line for line in lines if line.strip()]
    if not nonempty:
        return False
    return sum(1 for line in nonempty if line.rstrip().endswith("|")) > len(nonempty) * 0.5
