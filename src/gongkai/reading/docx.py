"""Word 2007+ documents, read straight from `word/document.xml` with lxml.

python-docx is not used: its table API hides `w:gridBefore`, content controls (`w:sdt`) and
continued vertical merges behind per-cell objects and is several times slower; one pass over the
XML gives paragraphs and table rows in body order with the true grid. A continued `w:vMerge` cell
is present in its row, so the grid only needs `w:gridSpan` and `w:gridBefore`.
"""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO

from lxml import etree

from ..limits import MAX_SPAN
from .bounded import check_depth, read_member
from .document import Cell, Document, Line, Loc, ReadError, check_cells, check_grid, grid_lines

# Without huge_tree libxml2 keeps its own depth and text-node limits as a second line of defence.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def read_docx(data: bytes, path: str) -> Document:
    root = _document_xml(data, path)
    check_depth(root, path)
    lines: list[Line] = []
    _Body(root.tag.partition("}")[0] + "}", lines, path).blocks(root)
    if not any(cell.text for line in lines for cell in line):
        raise ReadError("文件内容为空", "the file is empty")
    return Document(path=path, kind="docx", lines=lines)


def _document_xml(data: bytes, path: str) -> etree._Element:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            xml = read_member(archive, "word/document.xml", path)
        return etree.fromstring(xml, PARSER)
    except KeyError as exc:
        raise ReadError("DOCX 文件缺少正文（word/document.xml）", "DOCX has no word/document.xml") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        raise ReadError(
            f"DOCX 文件已损坏或不完整：{exc}", f"DOCX file is damaged or truncated: {exc}"
        ) from exc
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"DOCX 正文不是有效的 XML：{exc}", f"DOCX body is not valid XML: {exc}") from exc


class _Body:
    """Turns body-level content into lines. `w` is the WordprocessingML namespace in Clark form."""

    def __init__(self, w: str, lines: list[Line], path: str) -> None:
        self.lines = lines
        self.path = path
        self.cells = 0  # cells added so far, text-box and table-cell paragraphs included
        self.tables = 0
        self.p, self.tbl, self.tr, self.tc = w + "p", w + "tbl", w + "tr", w + "tc"
        self.t, self.tab, self.br, self.cr = w + "t", w + "tab", w + "br", w + "cr"
        self.txbx, self.span, self.vmerge = w + "txbxContent", w + "gridSpan", w + "vMerge"
        self.before, self.val = w + "gridBefore", w + "val"
        self.skip = frozenset({w + "delText", w + "instrText", w + "pPr", w + "rPr", MC_FALLBACK})

    def blocks(self, el: etree._Element) -> None:
        """Paragraphs and tables in order; wrappers (sdt, customXml, sdtContent) are looked through."""
        for child in el:
            if child.tag == self.p:
                self.paragraph(child)
            elif child.tag == self.tbl:
                self.table(child)
            elif child.tag not in self.skip:
                self.blocks(child)

    def paragraph(self, p: etree._Element) -> None:
        """One line per paragraph, split at breaks; text boxes anchored in it follow as their own lines."""
        pieces: list[list[str]] = [[]]
        boxes: list[etree._Element] = []
        self.runs(p, pieces, boxes)
        for piece in pieces:
            text = _clean("".join(piece))
            if text:
                self.lines.append([Cell(text, Loc())])
                self.cells += 1
                check_cells(self.cells, self.path)
        for box in boxes:
            self.blocks(box)

    def runs(self, el: etree._Element, pieces: list[list[str]], boxes: list[etree._Element]) -> None:
        for child in el:
            tag = child.tag
            if tag == self.t:
                pieces[-1].append(child.text or "")
            elif tag == self.tab:
                pieces[-1].append("\t")
            elif tag in (self.br, self.cr):
                pieces.append([])
            elif tag == self.txbx:
                boxes.append(child)
            elif tag not in self.skip and len(child):
                self.runs(child, pieces, boxes)

    def cell_text(self, tc: etree._Element) -> str:
        """The cell's paragraphs (and any text boxes in them) joined by spaces."""
        outer, self.lines = self.lines, []
        self.blocks(tc)
        text = " ".join(cell.text for line in self.lines for cell in line)
        self.lines = outer
        return text

    def table(self, tbl: etree._Element) -> None:
        rows = [self.row_cells(tr) for tr in self.rows(tbl)]
        if any(True for _ in tbl.iter(self.tbl) if _ is not tbl) or all(len(row) <= 1 for row in rows):
            self.blocks(tbl)  # a layout table: its content is the document's flow
            return
        grid: list[list[str]] = []
        size = 0  # cells of the grid so far, checked before each span is expanded
        for tr, cells in zip(self.rows(tbl), rows, strict=True):
            row = [""] * _int(tr.find(f"{self.tr}Pr/{self.before}"), self.val)
            size += len(row)
            for tc in cells:
                tc_pr = tc.find(self.tc + "Pr")
                span = _int(tc_pr.find(self.span) if tc_pr is not None else None, self.val) or 1
                size += span
                check_grid(size, self.path)
                merge = tc_pr.find(self.vmerge) if tc_pr is not None else None
                continued = merge is not None and merge.get(self.val, "continue") == "continue"
                row.append("" if continued else self.cell_text(tc))
                row += [""] * (span - 1)
            grid.append(row)
        if not any(any(row) for row in grid):
            return
        self.tables += 1
        self.cells += len(grid) * max(map(len, grid))
        check_cells(self.cells, self.path)
        self.lines += grid_lines(grid, self.tables, self.path)

    def rows(self, el: etree._Element) -> list[etree._Element]:
        """Rows of this table, also those wrapped in content controls, not those of nested tables."""
        found: list[etree._Element] = []
        for child in el:
            if child.tag == self.tr:
                found.append(child)
            elif child.tag not in (self.tbl, self.p) and child.tag not in self.skip:
                found += self.rows(child)
        return found

    def row_cells(self, tr: etree._Element) -> list[etree._Element]:
        found: list[etree._Element] = []
        for child in tr:
            if child.tag == self.tc:
                found.append(child)
            elif child.tag not in (self.tbl, self.p, self.tr + "Pr") and child.tag not in self.skip:
                found += self.row_cells(child)
        return found


def _int(el: etree._Element | None, attr: str) -> int:
    """A small non-negative integer attribute; malformed or absurd values count as 0."""
    value = el.get(attr, "") if el is not None else ""
    return min(int(value), MAX_SPAN) if value.isdecimal() else 0


def _clean(text: str) -> str:
    return " ".join(text.split())
