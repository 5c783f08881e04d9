"""The XlsxWriter workbook gongkai writes: text stays text, and plain rows go out in one piece.

A `TextBook` takes every str as a string cell, never a formula, a link or a number. Its sheets do
two things XlsxWriter's own `Worksheet` does not, through the documented `worksheet_class` hook:

- **Text is never markup.** XlsxWriter writes a string that starts with "<r>" and ends with
  "</r>" into the file as raw rich-text XML, so an agency name read from a hostile document could
  put a live formula into a workbook. Here such a string is written as the text it is.
- **Rows of plain values are written at once** in constant-memory mode. XlsxWriter's cell by cell
  path (a type dispatch, a stored tuple, an element and a file write per cell) cost some 30,000
  instructions a cell, the largest single cost of `gongkai batch`. A row of int, finite float,
  str and None is written here as one string, the same XML XlsxWriter writes (tests compare the
  two); any other row takes XlsxWriter's own path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

# options that write every str as a string cell: never a formula (nor an array formula), a link
# or a number guessed from text
_INERT = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

# what XlsxWriter escapes in text: control characters, its own _xHHHH_ escapes, & < >
_ESCAPED = re.compile("[\x00-\x08\x0b-\x1f_&<>\ufffe\uffff]")
_COLUMNS: list[str] = []  # column letters by index, grown as wider rows come


def _columns(width: int) -> list[str]:
    """Column letters for at least `width` columns."""
    _COLUMNS.extend(xl_col_to_name(column) for column in range(len(_COLUMNS), width))
    return _COLUMNS


def _looks_rich(text: str) -> bool:
    """Whether XlsxWriter would write `text` unescaped, as rich-text XML."""
    return text.startswith("<r>") and text.endswith("</r>")


class TextSheet(Worksheet):  # type: ignore[misc]  # XlsxWriter is untyped
    """A worksheet whose strings are always text, and whose plain rows are written fast."""

    previous_row: int  # XlsxWriter's: rows before it are written out (constant-memory mode)

    def _write_string(self, row: int, col: int, string: str, cell_format: Format | None = None) -> int:
        if not _looks_rich(string):
            return int(super()._write_string(row, col, string, cell_format))
        # a rich string of plain runs: XlsxWriter escapes each run, and the cell reads as `string`
        runs: list[Any] = [string[:1], string[1:2], string[2:]]
        if cell_format is not None:
            runs = [cell_format, runs[0], cell_format, runs[1], cell_format, runs[2], cell_format]
        return int(self._write_rich_string(row, col, *runs))

    def write_row(self, row: int, col: int, data: Sequence[Any], cell_format: Format | None = None) -> Any:
        if (
            cell_format is not None
            or not self.constant_memory
            or row < self.previous_row
            or row in self.table
            or row in self.row_info
            or self.col_info
            or row >= self.xls_rowmax
            or col + len(data) > self.xls_colmax
        ):
            return super().write_row(row, col, data, cell_format)
        cells = self._cells(row, col, data)
        if cells is None:
            return super().write_row(row, col, data, cell_format)
        if not cells:  # nothing but blanks: nothing to write, as XlsxWriter writes nothing
            return 0
        if row > self.previous_row:
            self._write_single_row(row)  # a row XlsxWriter's own path left pending
        self._check_dimensions(row, cells[0][0])
        self._check_dimensions(row, cells[-1][0])
        self._write_row(row, None)
        self.fh.write("".join(xml for _, xml in cells) + "</row>")
        self.previous_row = row + 1  # this row is written: nothing more goes into it
        return 0

    def _cells(self, row: int, col: int, data: Sequence[Any]) -> list[tuple[int, str]] | None:
        """Each non-blank cell's column and XML, or None if a value needs XlsxWriter's own path."""
        number = str(row + 1)
        names = _columns(col + len(data))
        longest = self.xls_strmax // 2  # XlsxWriter measures longer strings in UTF-16 units
        cells = []
        for column, value in enumerate(data, col):
            kind = value.__class__
            if kind is int or (kind is float and math.isfinite(value)):
                cells.append((column, f'<c r="{names[column]}{number}"><v>{value:.16G}</v></c>'))
            elif kind is str and len(value) <= longest:
                if value:  # "" is a blank, which XlsxWriter writes only with a format
                    text = self._text(value)
                    cells.append((column, f'<c r="{names[column]}{number}" t="inlineStr">{text}</c>'))
            elif value is not None:
                return None
        return cells

    def _text(self, text: str) -> str:
        """An inline string's <is> element, escaped as XlsxWriter escapes it (never as markup)."""
        escaped = text
        if _ESCAPED.search(text):
            text = self._escape_control_characters(text)
            escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if text[:1].isspace() or text[-1:].isspace():
            return f'<is><t xml:space="preserve">{escaped}</t></is>'
        return f"<is><t>{escaped}</t></is>"


class TextBook(Workbook):  # type: ignore[misc]  # XlsxWriter is untyped
    """An XlsxWriter workbook of `TextSheet`s, with text never read as a formula, a link or a number."""

    worksheet_class = TextSheet

    def __init__(self, target: Any, options: dict[str, Any] | None = None) -> None:
        super().__init__(target, {**(options or {}), **_INERT})


def write_sheet(target: Any, name: str, rows: Iterable[Sequence[Any]]) -> None:
    """One sheet of `rows` to `target` (a path or a binary file), streamed in constant memory."""
    book = TextBook(target, {"constant_memory": True})
    sheet = book.add_worksheet(name)
    for index, row in enumerate(rows):
        sheet.write_row(index, 0, row)
    book.close()
