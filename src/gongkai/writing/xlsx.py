"""Excel workbook: one sheet per table in the official layout, plus a long sheet "数据".

The table sheets are for printing and reading (real merged ranges, borders, wrapped
labels); "数据" has one row per cell of the declaration so that a pivot table or pandas
can use the figures without knowing the layout.

Written through XlsxWriter: a cell's look is a format made once per workbook, where openpyxl
hashes a style object for every cell it sets, which made a workbook ten times slower (a batch
writes one per agency-year).
"""

from __future__ import annotations

import io
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from ..formats import Kind
from ..report import LONG_HEADER, Report
from .layout import TableLayout, table_layout
from .narrative import title
from .xlsx_sheet import TextBook

SUFFIX = ".xlsx"
DATA_SHEET = "数据"
DATA_HEADER = LONG_HEADER
FORBIDDEN = str.maketrans({c: "" for c in "[]:*?/\\"})
A4 = 9  # Excel's paper size code


class _Looks:
    """The workbook's cell formats, each made once however many cells and sheets use it."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.made: dict[tuple[tuple[str, Any], ...], Format] = {}

    def get(self, **properties: Any) -> Format:
        key = tuple(sorted(properties.items()))
        if key not in self.made:
            self.made[key] = self.book.add_format(properties)
        return self.made[key]

    def cell(self, align: str, bold: bool = False, text: bool = False) -> Format:
        """A table cell: bordered, aligned, wrapped; bold for a column header, "@" for text."""
        extra: dict[str, Any] = ({"bold": True} if bold else {}) | ({"num_format": "@"} if text else {})
        return self.get(border=1, align=align, valign="vcenter", text_wrap=True, **extra)


def _table_sheet(ws: Worksheet, looks: _Looks, layout: TableLayout, report: Report, heading: str) -> None:
    """Row 1 the report title, row 2 the part heading, as documents print them; the table below."""
    for r, (text, size) in enumerate(((title(report), 14), (heading, 12))):
        look = looks.get(bold=True, font_size=size)
        if layout.n_cols > 1:
            ws.merge_range(r, 0, r, layout.n_cols - 1, text, look)
        else:
            ws.write_string(r, 0, text, look)
    top = 2
    for r in range(layout.n_rows):
        for c in range(layout.n_cols):
            ws.write_blank(top + r, c, None, looks.cell("center"))
    for span in layout.spans():
        value = span.text if span.ref is None else report.get(span.ref)
        left = span.scope == "row" and span.rowspan == 1
        look = looks.cell(
            "left" if left else "center",
            bold=span.scope == "col",
            text=span.ref is not None and span.kind is not Kind.COUNT,
        )
        row, col = top + span.row, span.col
        if span.rowspan > 1 or span.colspan > 1:
            ws.merge_range(row, col, row + span.rowspan - 1, col + span.colspan - 1, value, look)
        else:
            ws.write(row, col, value, look)
    for c in range(layout.n_cols):
        ws.set_column(c, c, (14 + 10 * c) if c < layout.label_cols else 11)
    if layout.header_rows:
        ws.repeat_rows(top, top + layout.header_rows - 1)
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)


def _data_sheet(ws: Worksheet, looks: _Looks, report: Report) -> None:
    ws.write_row(0, 0, DATA_HEADER, looks.get(bold=True))
    index = 0
    for table in report.tables():
        grid = report.grid(table.key)
        for row in table.rows:
            for column in table.columns_of(row):
                index += 1
                value = grid.get(row.key, {}).get(column.key)
                ws.write_row(index, 0, (table.key, row.key, row.label, column.key, column.label, value))
    for c, width in enumerate((12, 28, 40, 18, 26, 12)):
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, index, len(DATA_HEADER) - 1)


def write(report: Report) -> bytes:
    buffer = io.BytesIO()
    book = TextBook(buffer, {"in_memory": True})
    book.set_properties({"title": title(report), "author": report.agency or "gongkai"})
    looks = _Looks(book)
    for table in report.tables():
        ws = book.add_worksheet(table.title.translate(FORBIDDEN)[:31])
        _table_sheet(ws, looks, table_layout(table), report, table.title)
    _data_sheet(book.add_worksheet(DATA_SHEET), looks, report)
    book.close()
    return buffer.getvalue()
