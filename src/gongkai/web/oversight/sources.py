"""That part of the source file a cell was read from, shown beside it when a reviewer corrects it:
the PDF page band around the cell's box as an image with the box outlined, or the rows of the
HTML/DOCX/XLSX table (the lines of a text file) around the cell, the cell marked. Everything comes
from the cell's provenance; the file is the version's own stored bytes, read again within the
reader's caps."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from gongkai.reading import ReadError, load_bytes

MARGIN = 36.0  # points above and below the cell's box: the row and its neighbours
MAX_PIXELS_WIDE = 1600
SCALE = 2.0
AROUND = 2  # table rows or text lines either side of the cell's


@dataclass(frozen=True)
class Excerpt:
    rows: list[list[tuple[str, bool]]]  # each row's cells as (text, is the cell read)
    what: str  # "表格第 3 个，第 12 行" or "第 30 行"


def pdf_band(content: bytes, where: dict[str, Any]) -> bytes | None:
    """The page band around the cell's box as PNG with the box outlined; None without a page box."""
    page_number, box = where.get("page"), where.get("bbox")
    if not isinstance(page_number, int) or not isinstance(box, list) or len(box) != 4:
        return None
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    try:
        pdf = pdfium.PdfDocument(content)
    except pdfium.PdfiumError:
        return None
    try:
        if not 1 <= page_number <= len(pdf):
            return None
        page = pdf[page_number - 1]
        width, height = page.get_size()
        x0, y0, x1, y1 = (float(v) for v in box)
        bottom, top = max(0.0, y0 - MARGIN), min(height, y1 + MARGIN)
        if top <= bottom:
            return None
        scale = min(SCALE, MAX_PIXELS_WIDE / max(width, 1.0))
        image = page.render(scale=scale, crop=(0, bottom, 0, height - top)).to_pil()
        draw = ImageDraw.Draw(image)
        draw.rectangle(
            ((x0 - 2) * scale, (top - y1 - 2) * scale, (x1 + 2) * scale, (top - y0 + 2) * scale),
            outline=(200, 0, 0),
            width=3,
        )
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()
    finally:
        pdf.close()


def excerpt(content: bytes, name: str, where: dict[str, Any]) -> Excerpt | None:
    """The table rows (or text lines) around the cell, re-read from the file; None when unlocated."""
    try:
        document = load_bytes(content, name)
    except ReadError:
        return None
    table, row, col, line = (where.get(k) for k in ("table", "row", "col", "line"))
    if isinstance(table, int) and isinstance(row, int):
        rows = [
            [(cell.text, cell.loc.row == row and cell.loc.col == col) for cell in found]
            for found in document.lines
            if found and found[0].loc.table == table and abs((found[0].loc.row or 0) - row) <= AROUND
        ]
        return Excerpt(rows, f"第 {table} 个表格，第 {row} 行") if rows else None
    if isinstance(line, int):
        text = where.get("text", "")
        rows = [
            [(cell.text, cell.loc.line == line and bool(text) and text in cell.text) for cell in found]
            for found in document.lines
            if found and abs((found[0].loc.line or 0) - line) <= AROUND
        ]
        return Excerpt(rows, f"第 {line} 行") if rows else None
    return None
