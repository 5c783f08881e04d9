"""Excel workbook: one sheet per table in the official layout, plus a long sheet "数据".

The table sheets are for printing and reading (real merged ranges, borders, wrapped
labels); "数据" has one row per cell of the declaration so that a pivot table or pandas
can use the figures without knowing the layout.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..formats import Kind
from ..report import LONG_HEADER, Report
from .inert import inert_workbook
from .layout import TableLayout, table_layout
from .narrative import title

SUFFIX = ".xlsx"
DATA_SHEET = "数据"
DATA_HEADER = LONG_HEADER
FORBIDDEN = str.maketrans({c: "" for c in "[]:*?/\\"})

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
HEADER_FONT = Font(bold=True)


def _table_sheet(ws: Worksheet, layout: TableLayout, report: Report, heading: str) -> None:
    """Row 1 the report title, row 2 the part heading, as documents print them; the table below."""
    for r, (text, size) in enumerate(((title(report), 14), (heading, 12)), 1):
        ws.cell(row=r, column=1, value=text).font = Font(bold=True, size=size)
        if layout.n_cols > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=layout.n_cols)
    top = 3
    for r in range(layout.n_rows):
        for c in range(layout.n_cols):
            ws.cell(row=top + r, column=1 + c).border = BORDER
    for span in layout.spans():
        cell = ws.cell(row=top + span.row, column=1 + span.col)
        cell.value = span.text if span.ref is None else report.get(span.ref)
        left = span.scope == "row" and span.rowspan == 1
        cell.alignment = LEFT if left else CENTER
        if span.scope == "col":
            cell.font = HEADER_FONT
        if span.ref is not None and span.kind is not Kind.COUNT:
            cell.number_format = "@"
        if span.rowspan > 1 or span.colspan > 1:
            ws.merge_cells(
                start_row=top + span.row,
                start_column=1 + span.col,
                end_row=top + span.row + span.rowspan - 1,
                end_column=1 + span.col + span.colspan - 1,
            )
    for c in range(layout.n_cols):
        label = c < layout.label_cols
        ws.column_dimensions[get_column_letter(1 + c)].width = (14 + 10 * c) if label else 11
    if layout.header_rows:
        ws.print_title_rows = f"{top}:{top + layout.header_rows - 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _data_sheet(ws: Worksheet, report: Report) -> None:
    ws.append(DATA_HEADER)
    for cell in ws[1]:
        cell.font = HEADER_FONT
    for table in report.tables():
        for row in table.rows:
            for column in table.columns_of(row):
                value = report.grid(table.key).get(row.key, {}).get(column.key)
                ws.append((table.key, row.key, row.label, column.key, column.label, value))
    for letter, width in zip("ABCDEF", (12, 28, 40, 18, 26, 12), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def write(report: Report) -> bytes:
    wb = Workbook()
    wb.properties.title = title(report)
    wb.properties.creator = report.agency or "gongkai"
    first = True
    for table in report.tables():
        name = table.title.translate(FORBIDDEN)[:31]
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        ws.title = name
        first = False
        _table_sheet(ws, table_layout(table), report, table.title)
    _data_sheet(wb.create_sheet(DATA_SHEET), report)
    inert_workbook(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
