"""What every reader produces: a document as lines of cells, each cell with its location.

Plain text gives one line per text line (cells split at tabs or `|`); HTML, DOCX and XLSX
give one line per paragraph and one per table row (merged cells expanded into a true
grid); PDF gives one line per visual line with one cell per word. Extraction works on
this one shape, so a layout quirk is handled once for every input type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..limits import MAX_CELLS, MAX_GRID_CELLS, exceeded
from ..report import Note


@dataclass(frozen=True, slots=True)
class Loc:
    """Where a cell sits in its source file. Unused fields stay None."""

    line: int | None = None  # 1-based text line
    page: int | None = None  # 1-based PDF page
    bbox: tuple[float, float, float, float] | None = None  # PDF points, x0 y0 x1 y1 from bottom-left
    table: int | None = None  # 1-based table number in an HTML/DOCX/XLSX document
    row: int | None = None  # 1-based row in that table (or sheet)
    col: int | None = None  # 1-based column in that table's expanded grid
    sheet: str | None = None  # XLSX sheet name
    ocr: float | None = None  # OCR confidence (0-1) of a cell read from a scan
    ocr_read: str | None = None  # what OCR saw where it differs from the text ("O" read as "0")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.sheet is not None:
            data["sheet"] = self.sheet
        if self.page is not None:
            data["page"] = self.page
        if self.bbox is not None:
            data["bbox"] = [round(v, 1) for v in self.bbox]
        if self.table is not None:
            data["table"] = self.table
        if self.row is not None:
            data["row"] = self.row
        if self.col is not None:
            data["col"] = self.col
        if self.line is not None:
            data["line"] = self.line
        if self.ocr is not None:
            data["ocr"] = self.ocr
        if self.ocr_read is not None:
            data["ocr_read"] = self.ocr_read
        return data


class Cell(NamedTuple):
    """A cell's text and location (a tuple: readers make hundreds per report)."""

    text: str
    loc: Loc


Line = list[Cell]


def grid_lines(grid: list[list[str]], table: int, path: str) -> list[Line]:
    """A table's expanded grid as lines, padded to a rectangle, each cell located in it."""
    width = max(len(row) for row in grid)
    check_grid(len(grid) * width, path)
    return [
        [
            Cell(text, Loc(table=table, row=r, col=c))
            for c, text in enumerate(row + [""] * (width - len(row)), 1)
        ]
        for r, row in enumerate(grid, 1)
    ]


def check_grid(cells: int, path: str) -> None:
    """Refuse a table whose expanded grid would pass `MAX_GRID_CELLS` (before it is built)."""
    if cells > MAX_GRID_CELLS:
        raise ReadError(
            *exceeded(path, "表格展开后的单元格数", "cells of one table's expanded grid", MAX_GRID_CELLS)
        )


def check_cells(cells: int, path: str) -> None:
    """Refuse a document once it has more than `MAX_CELLS` cells (checked as lines are added)."""
    if cells > MAX_CELLS:
        raise ReadError(*exceeded(path, "单元格数", "number of cells", MAX_CELLS))


@dataclass
class Document:
    path: str
    kind: str  # "text", "html", "docx", "xlsx", "pdf", "scan" (every page read by OCR)
    lines: list[Line] = field(default_factory=list)
    encoding: str | None = None
    notes: list[Note] = field(default_factory=list)  # what reading had to repair (an encoding, ...)

    def text(self) -> str:
        """The document as plain text, cells joined by tabs."""
        return "\n".join("\t".join(cell.text for cell in line) for line in self.lines)


class ReadError(Exception):
    """A file that cannot be read, with the reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
