"""That part of the source file a cell was read from, shown beside it when a reviewer corrects it:
the PDF page band around the cell's box as an image with the box outlined, or the rows of the
HTML/DOCX table or XLSX worksheet (the lines of a text file) around the cell, the cell marked.
Everything comes from the cell's provenance; the file is the version's own stored bytes, read
again within the reader's caps."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, TypeGuard

from gongkai.reading import ReadError, load_bytes

from . import band

# One render at a time per server process: each is a child process of its own (`band`).
RENDERS = threading.Lock()
AROUND = 2  # table rows or text lines either side of the cell's


# How the reader came by a value it did not simply read where it was printed (provenance "how").
HOW_ZH = {
    "inferred": "读取时由表格勾稽关系推断",
    "split": "读取时由连写的数字拆分",
    "detached": "读取时位置经过调整",
    "corrected": "审核人已更正",
}


def placed(where: dict[str, Any]) -> bool:
    """Whether a provenance entry names a place in the file: a page box, a table cell or a line."""
    return "bbox" in where or isinstance(where.get("line"), int) or isinstance(where.get("row"), int)


def located(provenance: dict[str, dict[str, Any]], key: str) -> tuple[dict[str, Any], bool]:
    """Where to look in the source for a cell, and whether it is the cell's own place.

    A cell the reader did not find in the file (inferred from the table's sums, or left empty) has
    no place of its own; the place of a cell of the same row that was read shows the reviewer the
    row the value belongs in (on a PDF page, one box around every cell of that row read there)."""
    where = provenance.get(key, {})
    if placed(where):
        return where, True
    row = key.rsplit(".", 1)[0] + "."
    siblings = [entry for other, entry in provenance.items() if other.startswith(row) and placed(entry)]
    if not siblings:
        return where, False
    first = siblings[0]
    boxes = [e["bbox"] for e in siblings if e.get("page") == first.get("page") and _is_box(e.get("bbox"))]
    if boxes:
        around = [
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        ]
        return {**first, "bbox": around}, False
    return first, False


def _is_box(box: object) -> TypeGuard[list[float]]:
    """A page box as the reader records it: [x0, y0, x1, y1] in points."""
    return isinstance(box, list) and len(box) == 4 and all(isinstance(v, int | float) for v in box)


@dataclass(frozen=True)
class Excerpt:
    rows: list[list[tuple[str, bool]]]  # each row's cells as (text, is the cell read)
    here: int  # the index in `rows` of the cell's own row
    what: str  # "第 3 个表格，第 12 行", "工作表“…”第 6 行" or "第 30 行"


def pdf_band(content: bytes, where: dict[str, Any]) -> bytes | None:
    """The page band around the cell's box as PNG with the box outlined; None without a page box, or
    when the render hit its cap on time or memory (`band`)."""
    page_number, box = where.get("page"), where.get("bbox")
    if not isinstance(page_number, int) or not _is_box(box):
        return None
    with RENDERS:
        return band.render(content, page_number, [float(v) for v in box])


def excerpt(content: bytes, name: str, where: dict[str, Any], exact: bool = True) -> Excerpt | None:
    """The table rows (or text lines) around the cell, re-read from the file; None when unlocated.

    The cell itself is marked only when `where` is its own place (`located`); otherwise the row."""
    try:
        document = load_bytes(content, name)
    except ReadError:
        return None
    table, sheet, row, col, line = (where.get(k) for k in ("table", "sheet", "row", "col", "line"))
    text = where.get("text", "")
    if isinstance(row, int) and (isinstance(table, int) or isinstance(sheet, str)):
        # An HTML/DOCX table by its number, or a worksheet by its name; then its rows around the cell.
        scope, what = (
            ("table", f"第 {table} 个表格，第 {row} 行")
            if isinstance(table, int)
            else ("sheet", f"工作表“{sheet}”第 {row} 行")
        )
        found = [
            cells
            for cells in document.lines
            if cells
            and getattr(cells[0].loc, scope) == where[scope]
            and abs((cells[0].loc.row or 0) - row) <= AROUND
        ]
        rows = [[(c.text, exact and c.loc.row == row and c.loc.col == col) for c in cells] for cells in found]
        here = next((i for i, cells in enumerate(found) if cells[0].loc.row == row), 0)
        return Excerpt(rows, here, what) if rows else None
    if isinstance(line, int):
        found = [
            cells for cells in document.lines if cells and abs((cells[0].loc.line or 0) - line) <= AROUND
        ]
        rows = [
            [(c.text, exact and c.loc.line == line and bool(text) and text in c.text) for c in cells]
            for cells in found
        ]
        here = next((i for i, cells in enumerate(found) if cells[0].loc.line == line), 0)
        return Excerpt(rows, here, f"第 {line} 行") if rows else None
    return None
