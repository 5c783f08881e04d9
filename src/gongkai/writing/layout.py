"""The official layout of a table as a grid of merged cells, derived from its declaration.

Every writer (DOCX, XLSX, HTML, Markdown, text) draws the same `TableLayout`, so the
merges of the national format are computed once, here, and only from the declaration:

- rows with a `caption` (table 二) form sections: a caption row across the table, a
  header row "信息内容 | column labels", then the data rows; a row with fewer columns
  than the widest row lets its last cell span the remaining value columns;
- rows whose labels are numbered (table 三: "一、" > "（一）" > "1.") form a matrix:
  the numbering level and `Row.group` give the label columns and their rowspans, and the
  level-"三、" label that no row carries is found among `header_labels`;
- anything else (table 四) is printed as one data row: each row becomes a band of its
  columns, and `Row.group` a band above those bands.

The declaration has no field for column bands, so table 三's header is read from
`header_labels` by the national convention: the first parenthesised text is the 勾稽
note, the first remaining text spans all columns, and each further one spans the
columns between the first and the last (the 总计) column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..formats import CellRef, Column, Kind, Row, Table
from ..report import Report, Value

NUMERALS = "一二三四五六七八九十"
LEVEL0 = re.compile(f"^([{NUMERALS}]+)、")
LEVEL1 = re.compile(f"^[（(][{NUMERALS}]+[）)]")


@dataclass(frozen=True, slots=True)
class Span:
    """One printed cell: its top-left grid position, its extent, and what it shows."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str = ""  # the label; empty for data cells
    header: bool = False  # a label cell (rendered as <th>)
    scope: str = ""  # "col" for column headers, "row" for row labels, "" for data
    ref: CellRef | None = None  # the data cell shown here
    kind: Kind = Kind.COUNT


@dataclass(frozen=True)
class TableLayout:
    table: Table
    n_rows: int
    n_cols: int
    header_rows: int  # leading rows that are all header (repeat on page breaks)
    label_cols: int  # leading columns that hold row labels
    rows: tuple[tuple[Span, ...], ...]  # the spans anchored in each grid row, by column

    def spans(self) -> list[Span]:
        return [span for row in self.rows for span in row]

    def grid(self) -> list[list[Span]]:
        """Each grid position mapped to the span that covers it."""
        grid: list[list[Span | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for span in self.spans():
            for r in range(span.row, span.row + span.rowspan):
                for c in range(span.col, span.col + span.colspan):
                    grid[r][c] = span
        missing = [(r, c) for r, row in enumerate(grid) for c, span in enumerate(row) if span is None]
        if missing:
            raise ValueError(f"layout of {self.table.key} leaves {missing} uncovered")
        return [[span for span in row if span is not None] for row in grid]


def value_text(value: Value) -> str:
    """None prints as an empty cell; money and text print exactly as stored."""
    return "" if value is None else str(value)


def cell_text(span: Span, report: Report) -> str:
    return span.text if span.ref is None else value_text(report.get(span.ref))


def level(label: str) -> int | None:
    """Numbering level of a label: 0 for "一、", 1 for "（一）", 2 for "1.", None if unnumbered."""
    if LEVEL0.match(label):
        return 0
    if LEVEL1.match(label):
        return 1
    if label[:1].isdigit():
        return 2
    return None


@lru_cache(maxsize=64)
def table_layout(table: Table) -> TableLayout:
    if any(row.caption for row in table.rows):
        return _sections(table)
    if any(level(row.label) is not None for row in table.rows):
        return _matrix(table)
    return _bands(table)


class _Builder:
    def __init__(self) -> None:
        self.rows: list[list[Span]] = []

    def add(self, span: Span) -> None:
        while len(self.rows) <= span.row:
            self.rows.append([])
        self.rows[span.row].append(span)

    def done(self, table: Table, n_cols: int, header_rows: int, label_cols: int) -> TableLayout:
        rows = tuple(tuple(sorted(row, key=lambda s: s.col)) for row in self.rows)
        return TableLayout(table, len(rows), n_cols, header_rows, label_cols, rows)


def _data(table: Table, row: Row, column: Column, r: int, c: int, colspan: int = 1) -> Span:
    return Span(r, c, 1, colspan, ref=CellRef(table.key, row.key, column.key), kind=column.kind)


def _value_cells(table: Table, row: Row, r: int, first: int, width: int) -> list[Span]:
    """The row's data cells from column `first`; the last one fills up to `width` columns."""
    columns = table.columns_of(row)
    cells = []
    for i, column in enumerate(columns):
        span = width - i if i == len(columns) - 1 else 1
        cells.append(_data(table, row, column, r, first + i, span))
    return cells


def _sections(table: Table) -> TableLayout:
    captions = {row.caption for row in table.rows}
    content = next((h for h in table.header_labels if h not in captions), "")
    width = max(len(table.columns_of(row)) for row in table.rows)
    n_cols = 1 + width
    b = _Builder()
    r = 0
    previous = None
    for row in table.rows:
        if row.caption != previous:
            previous = row.caption
            b.add(Span(r, 0, 1, n_cols, row.caption, header=True, scope="col"))
            r += 1
            b.add(Span(r, 0, 1, 1, content, header=True, scope="col"))
            columns = table.columns_of(row)
            for i, column in enumerate(columns):
                colspan = width - i if i == len(columns) - 1 else 1
                b.add(Span(r, 1 + i, 1, colspan, column.label, header=True, scope="col"))
            r += 1
        b.add(Span(r, 0, 1, 1, row.label, header=True, scope="row"))
        for cell in _value_cells(table, row, r, 1, width):
            b.add(cell)
        r += 1
    return b.done(table, n_cols, header_rows=0, label_cols=1)


def _numeral(label: str) -> int:
    match = LEVEL0.match(label)
    return NUMERALS.index(match.group(1)[-1]) if match else -1


def _paths(table: Table) -> list[tuple[str, ...]]:
    """The label cells of each row, outermost first ("三、本年度办理结果", "（三）不予公开", "1.…")."""
    row_labels = {row.label for row in table.rows}
    outers = [h for h in table.header_labels if level(h) == 0 and h not in row_labels]
    paths: list[tuple[str, ...]] = []
    outer = ""
    last = -1
    for row in table.rows:
        lv = level(row.label)
        if lv == 0:
            outer, last = "", _numeral(row.label)
            paths.append((row.label,))
            continue
        if not outer:
            outer = next((h for h in outers if _numeral(h) == last + 1), "")
        head = (outer,) if outer else ()
        paths.append((*head, row.group, row.label) if row.group else (*head, row.label))
    return paths


def _column_header(table: Table, b: _Builder, first: int, note_cols: int) -> int:
    """Column bands and labels from `header_labels`; returns the number of header rows."""
    columns = table.columns
    labels = {c.label for c in columns} | {row.group for row in table.rows}
    extras = [h for h in table.header_labels if h not in labels and level(h) is None]
    notes = [h for h in extras if h[:1] in "（("]
    bands = [h for h in extras if h[:1] not in "（("]
    header_rows = len(bands) + 1
    if note_cols:
        b.add(Span(0, 0, header_rows, note_cols, notes[0] if notes else "", header=True, scope="col"))
    r = 0
    if bands:
        b.add(Span(0, first, 1, len(columns), bands[0], header=True, scope="col"))
        r = 1
    inner = bands[1:]
    if inner and len(columns) > 2:
        for edge in (0, len(columns) - 1):
            b.add(Span(r, first + edge, header_rows - r, 1, columns[edge].label, header=True, scope="col"))
        for band in inner:
            b.add(Span(r, first + 1, 1, len(columns) - 2, band, header=True, scope="col"))
            r += 1
        middle = range(1, len(columns) - 1)
    else:
        middle = range(len(columns))
    for i in middle:
        b.add(Span(r, first + i, 1, 1, columns[i].label, header=True, scope="col"))
    return header_rows


def _matrix(table: Table) -> TableLayout:
    paths = _paths(table)
    depth = max(len(p) for p in paths)
    n_cols = depth + len(table.columns)
    b = _Builder()
    top = _column_header(table, b, depth, depth)
    for i, (row, path) in enumerate(zip(table.rows, paths, strict=True)):
        r = top + i
        for d, label in enumerate(path):
            if i > 0 and d < len(path) - 1 and paths[i - 1][: d + 1] == path[: d + 1]:
                continue  # covered by the rowspan of the same label above
            if d < len(path) - 1:
                rowspan = 1
                while i + rowspan < len(paths) and paths[i + rowspan][: d + 1] == path[: d + 1]:
                    rowspan += 1
                b.add(Span(r, d, rowspan, 1, label, header=True, scope="row"))
            else:
                b.add(Span(r, d, 1, depth - d, label, header=True, scope="row"))
        for span in _value_cells(table, row, r, depth, len(table.columns)):
            b.add(span)
    return b.done(table, n_cols, header_rows=top, label_cols=depth)


def _bands(table: Table) -> TableLayout:
    """All rows side by side as column bands over a single data row (table 四)."""
    grouped = any(row.group for row in table.rows)
    header_rows = (2 if grouped else 1) + 1
    b = _Builder()
    c = 0
    i = 0
    rows = table.rows
    while i < len(rows):
        row = rows[i]
        if row.group:
            j = i
            while j < len(rows) and rows[j].group == row.group:
                j += 1
            members = list(rows[i:j])
            width = sum(len(table.columns_of(m)) for m in members)
            b.add(Span(0, c, 1, width, row.group, header=True, scope="col"))
            for member in members:
                n = len(table.columns_of(member))
                b.add(Span(1, c, 1, n, member.label, header=True, scope="col"))
                c = _band_columns(table, b, member, c, header_rows)
            i = j
        else:
            n = len(table.columns_of(row))
            b.add(Span(0, c, header_rows - 1, n, row.label, header=True, scope="col"))
            c = _band_columns(table, b, row, c, header_rows)
            i += 1
    return b.done(table, c, header_rows=header_rows, label_cols=0)


def _band_columns(table: Table, b: _Builder, row: Row, c: int, header_rows: int) -> int:
    for column in table.columns_of(row):
        b.add(Span(header_rows - 1, c, 1, 1, column.label, header=True, scope="col"))
        b.add(_data(table, row, column, header_rows, c))
        c += 1
    return c
