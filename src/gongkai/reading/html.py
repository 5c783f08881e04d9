"""HTML pages as published on government sites: GBK or UTF-8, often malformed, often laid out in tables.

Blocks (paragraphs, headings, list items, `<br>`-separated runs) become one-cell lines; each row of
a data table becomes one line with its rowspan/colspan expanded into a rectangular grid, so the
label and the numbers of a row stay together whatever the merges above them. Tables that only lay
out the page (one column, or holding other tables) are read as flowing text instead, otherwise a
whole report could end up in one cell.
"""

from __future__ import annotations

import codecs
import re
from typing import cast

from lxml import etree

from ..limits import MAX_HTML_BYTES, MAX_SPAN, exceeded
from .bounded import check_depth
from .document import Cell, Document, Line, Loc, ReadError, check_cells, check_grid, grid_lines
from .text import Decoded, check_length, decode, decoding_note

SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "iframe", "object", "select"})
BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dir",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# Declared charsets that are often wrong on Chinese sites; the content decides instead.
UNTRUSTED_CHARSETS = frozenset(
    {"utf-8", "gb2312", "gbk", "gb18030", "ascii", "latin-1", "iso8859-1", "cp1252"}
)
CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.\-]+)", re.IGNORECASE)
XML_DECL = re.compile(rb"^\s*<\?xml[^>]*>")
CJK = "\u3001-\u303f\u3400-\u9fff\uff00-\uffef"
CJK_BREAK = re.compile(f"(?<=[{CJK}])[ \t\r]*\n\\s*(?=[{CJK}])")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))


def read_html(data: bytes, path: str) -> Document:
    text, encoding, note = _decode(data, path)
    body = XML_DECL.sub(b"", text.encode("utf-8", errors="replace"), count=1)
    if len(body) > MAX_HTML_BYTES:  # checked before lxml builds a tree many times its size
        raise ReadError(*exceeded(path, "HTML 大小（字节）", "HTML size (bytes)", MAX_HTML_BYTES))
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = etree.fromstring(body, parser)
    except (etree.LxmlError, ValueError) as exc:
        raise ReadError(f"无法解析 HTML：{exc}", f"cannot parse HTML: {exc}") from exc
    lines: list[Line] = []
    if root is not None:
        check_depth(root, path)
        walker = _Walker(lines, path)
        walker.block(root)
        walker.flush()
    if not any(cell.text for line in lines for cell in line):
        raise ReadError("文件内容为空", "the file is empty")
    notes = [decoding_note(note)] if note else []
    return Document(path=path, kind="html", lines=lines, encoding=encoding, notes=notes)


def _decode(data: bytes, path: str) -> Decoded:
    """Trust a declared charset only when it is one that `decode` would not find by itself (Big5...)."""
    match = CHARSET.search(data[:8192])
    if match and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            declared = codecs.lookup(match.group(1).decode("ascii")).name
        except LookupError:
            declared = "utf-8"
        if declared not in UNTRUSTED_CHARSETS:
            check_length(data, path)
            try:
                return Decoded(check_length(data.decode(declared), path), declared, None)
            except UnicodeDecodeError:
                pass
    return decode(data, path)


def _clean(text: str) -> str:
    """Collapse whitespace; a source line break between two Chinese characters is no space at all."""
    return " ".join(CJK_BREAK.sub("", text.translate(INVISIBLE)).split())


def _line(el: etree._Element) -> int | None:
    return cast("int | None", el.sourceline)  # lxml-stubs types it as `...`


def _span(value: str | None) -> int:
    digits = re.match(r"\s*(\d+)", value or "")
    return min(max(int(digits.group(1)), 1), MAX_SPAN) if digits else 1


class _Walker:
    """Walks the tree once, gathering inline text until a block boundary ends the line."""

    def __init__(self, lines: list[Line], path: str) -> None:
        self.lines = lines
        self.path = path
        self.cells = 0
        self.parts: list[str] = []
        self.line_no: int | None = None
        self.tables = 0

    def flush(self) -> None:
        text = _clean("".join(self.parts))
        if text:
            self.lines.append([Cell(text, Loc(line=self.line_no))])
            self.cells += 1
            check_cells(self.cells, self.path)
        self.parts.clear()
        self.line_no = None

    def add(self, text: str | None, source_line: int | None, pre: bool) -> None:
        if not text:
            return
        if pre and "\n" in text:
            first, *rest = text.split("\n")
            self.add(first, source_line, False)
            for piece in rest:
                self.flush()
                self.add(piece, source_line, False)
            return
        if self.line_no is None and text.strip():
            self.line_no = source_line
        self.parts.append(text)

    def block(self, el: etree._Element, pre: bool = False) -> None:
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in SKIP:
                pass
            elif tag == "br":
                self.flush()
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag in BLOCK:
                self.flush()
                self.add(child.text, _line(child), pre or tag == "pre")
                self.block(child, pre or tag == "pre")
                self.flush()
            else:
                self.add(child.text, _line(child), pre)
                self.block(child, pre)
            self.add(child.tail, _line(child), pre)

    def table(self, table: etree._Element) -> None:
        nested = any(True for _ in table.iterdescendants("table"))
        # Only a table without tables inside gathers its rows: at every level of nested layout
        # tables that would walk everything below again.
        cells = [] if nested else [[td for td in tr if td.tag in ("td", "th")] for tr in table.iter("tr")]
        if nested or all(
            len(row) <= 1 and _span(row[0].get("colspan") if row else None) == 1 for row in cells
        ):
            self.add(table.text, _line(table), False)
            self.block(table)
            self.flush()
            return
        for caption in table.iterchildren("caption"):
            self.add(_text(caption), _line(caption), False)
            self.flush()
        grid = _grid(cells, self.path)
        if not any(any(row) for row in grid):
            return
        self.tables += 1
        self.cells += len(grid) * max(map(len, grid))
        check_cells(self.cells, self.path)
        self.lines += grid_lines(grid, self.tables, self.path)


def _grid(rows: list[list[etree._Element]], path: str) -> list[list[str]]:
    """Place each cell at its first free position; covered positions stay empty strings.

    The positions a table covers are counted as they are taken, so spans that would expand
    it past `MAX_GRID_CELLS` are refused before the grid is built.
    """
    grid: list[list[str]] = [[] for _ in rows]
    taken: list[set[int]] = [set() for _ in rows]
    covered = 0
    for r, cells in enumerate(rows):
        col = 0
        for td in cells:
            while col in taken[r]:
                col += 1
            colspan = _span(td.get("colspan"))
            rowspan = min(_span(td.get("rowspan")), len(rows) - r)
            covered += colspan * rowspan
            check_grid(covered, path)
            for rr in range(r, r + rowspan):
                taken[rr].update(range(col, col + colspan))
            row = grid[r]
            row += [""] * (col + colspan - len(row))
            row[col] = _text(td)
            col += colspan
    for r, cols in enumerate(taken):
        if cols:
            grid[r] += [""] * (max(cols) + 1 - len(grid[r]))
    return grid


def _text(el: etree._Element) -> str:
    parts: list[str] = []
    _gather(el, parts)
    return _clean("".join(parts))


def _gather(el: etree._Element, parts: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str) and child.tag not in SKIP:
            if child.tag in BLOCK or child.tag == "br":
                parts.append(" ")
            _gather(child, parts)
        if child.tail:
            parts.append(child.tail)
