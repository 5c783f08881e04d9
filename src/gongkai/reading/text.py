"""Plain text in UTF-8, GB18030/GBK or UTF-16, with or without BOM.

Two layouts occur in reports copied off web pages: one table row per line with cells
separated by tabs, and one cell per line ending in ` |`; Markdown tables (`| a | b |`)
are a third. All become lines of cells.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from typing import NamedTuple, TypeVar

from ..limits import MAX_CELLS, MAX_CHARS, exceeded
from ..report import Note
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
# Characters of report text: CJK, ASCII, full-width forms and CJK punctuation, whitespace.
PLAUSIBLE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\x20-\x7e\s\u2010-\u2027\u00b7]")
_Content = TypeVar("_Content", str, bytes)
MAX_BAD_UTF8 = 16  # replaced characters a UTF-8 file may have (at most 1%) and still be read as UTF-8


class Decoded(NamedTuple):
    text: str
    encoding: str
    note: tuple[str, str] | None  # (Chinese, English) when the bytes were not clean


def decode(data: bytes, path: str = "<bytes>") -> Decoded:
    """Decode report text. Raises ReadError for binary data or text beyond `MAX_CHARS`."""
    check_length(data, path)
    decoded = _decode(data)
    check_length(decoded.text, path)
    return decoded


def check_length(content: _Content, path: str) -> _Content:
    """`content` if it is within `MAX_CHARS` (bytes: could be, as no encoding packs four into one)."""
    limit = MAX_CHARS if isinstance(content, str) else 4 * MAX_CHARS
    if len(content) > limit:
        raise ReadError(*exceeded(path, "文字长度（字符数）", "text length (characters)", MAX_CHARS))
    return content


def _decode(data: bytes) -> Decoded:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(encoding, errors="replace"), encoding, None)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", None)
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data[:65536]:
        raise ReadError(
            "文件是二进制数据，不是文本、HTML、DOCX、XLSX 或 PDF", "binary data, not a report document"
        )
    nearly = _nearly_utf8(data)
    if nearly is not None:
        return nearly
    try:
        return Decoded(data.decode("gb18030"), "gb18030", None)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise ReadError("无法识别文件的文字编码", "cannot determine the text encoding")
    return Decoded(data.decode(best.encoding, errors="replace"), best.encoding, None)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 saved without a byte order mark: the byte order whose start reads as report text.

    Chinese UTF-16 has few zero bytes, so the test is what the text decodes to, not where the
    zeros are.
    """
    if len(data) < 4:
        return None
    sample = data[:8000]
    best: tuple[float, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        text = sample.decode(encoding, errors="replace")
        score = len(PLAUSIBLE.findall(text)) / len(text)
        if score > 0.9 and (best is None or score > best[0]):
            best = score, encoding
    if best is None:
        return None
    encoding = best[1]
    note = (
        f"文件为不带字节顺序标记（BOM）的 {encoding.upper()} 编码，已按该编码读取",
        f"the file is {encoding.upper()} without a byte order mark; read as such",
    )
    return Decoded(data.decode(encoding, errors="replace"), encoding, note)


def _nearly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few damaged bytes: read it with them replaced, rather than misread it all as GB18030."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad > MAX_BAD_UTF8 or bad * 100 > len(text):
        return None
    line = text.count("\n", 0, text.index("\ufffd")) + 1
    note = (
        f"文件中有 {bad} 处字节不是有效的 UTF-8 编码（第一处在第 {line} 行），已替换为“\ufffd”后继续读取",
        f"{bad} byte sequence(s) are not valid UTF-8 (the first on line {line}); replaced by U+FFFD",
    )
    return Decoded(text, "utf-8", note)


def decoding_note(note: tuple[str, str]) -> Note:
    return Note("decoding", *note)


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
    text, encoding, note = decode(data, path)
    check_text(text)
    if text.count("\n") > MAX_CELLS:
        raise ReadError(*exceeded(path, "行数", "number of lines", MAX_CELLS))
    raw_lines = text.splitlines()
    pipe = _pipe_layout(raw_lines)
    lines = []
    cells = 0
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
        cells += len(pieces)
        if cells > MAX_CELLS:
            raise ReadError(*exceeded(path, "单元格数", "number of cells", MAX_CELLS))
        lines.append([_make_cell(Cell, (piece, loc)) for piece in pieces])
    notes = [decoding_note(note)] if note else []
    return Document(path=path, kind="text", lines=lines, encoding=encoding, notes=notes)


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
