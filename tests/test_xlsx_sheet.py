"""`TextBook`: the same sheet XML as XlsxWriter's own worksheet, except that text is never markup."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.writing.xlsx_sheet import TextBook

from .test_inert_output import MARKUP, texts_and_formulas

INERT = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

# text with what XlsxWriter escapes or marks: control characters, its _xHHHH_ escapes, & < > ",
# leading and trailing (Unicode) whitespace, non-characters, and CJK
PIECE = st.sampled_from([*'\x00\x01\x09\x0a\x0d\x1f_x0041&<>" \u3000\ufffe\uffff东湖a', "_x0041_", "_X00aF_"])
TEXT = (
    st.lists(st.one_of(PIECE, st.just("<r>")), max_size=8)
    .map("".join)
    .filter(
        lambda text: not (text.startswith("<r>") and text.endswith("</r>"))  # markup: see below
    )
)
VALUE = st.one_of(
    st.none(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
    st.sampled_from([True, Decimal("1.5")]),  # types only XlsxWriter's own path writes
)
# (rows skipped before it, its values, whether in bold); a row is written once: a plain row goes out
# whole, and a later write into it is refused, as XlsxWriter refuses a row it has written
ROW = st.tuples(st.integers(1, 3), st.lists(VALUE, max_size=8), st.booleans())


def _sheet_xml(book_class: Any, rows: list[tuple[int, list[Any], bool]], constant_memory: bool) -> bytes:
    buffer = io.BytesIO()
    book = book_class(buffer, {"constant_memory": constant_memory, "in_memory": not constant_memory, **INERT})
    sheet = book.add_worksheet("数据")
    bold = book.add_format({"bold": True})
    row = -1
    for gap, values, formatted in rows:
        row += gap
        sheet.write_row(row, gap, values, bold if formatted else None)  # from column `gap`
    book.close()
    with zipfile.ZipFile(buffer) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


@settings(max_examples=150, deadline=None)
@given(st.lists(ROW, max_size=6))
def test_rows_are_written_as_xlsxwriter_writes_them(rows: list[tuple[int, list[Any], bool]]) -> None:
    for constant_memory in (True, False):
        ours = _sheet_xml(TextBook, rows, constant_memory)
        assert ours == _sheet_xml(xlsxwriter.Workbook, rows, constant_memory)


def test_a_plain_row_is_complete() -> None:
    book = TextBook(io.BytesIO(), {"constant_memory": True})
    sheet = book.add_worksheet()
    assert sheet.write_row(0, 0, [1, "a"]) == 0
    assert sheet.write(0, 2, 3) == -1  # refused, as XlsxWriter refuses a write into a row it has written
    assert sheet.write(1, 0, 3) == 0
    book.close()


def test_a_row_past_the_first_256_columns() -> None:
    rows = [(1, [None] * 300 + [1, "东湖"], False)]  # from column B, so the 1 is in column 302
    assert _sheet_xml(TextBook, rows, True) == _sheet_xml(xlsxwriter.Workbook, rows, True)
    assert b'<c r="KP1"><v>1</v></c>' in _sheet_xml(TextBook, rows, True)


def test_markup_is_written_as_text() -> None:
    for constant_memory in (True, False):
        buffer = io.BytesIO()
        book = TextBook(buffer, {"constant_memory": constant_memory, "in_memory": not constant_memory})
        sheet = book.add_worksheet()
        look = book.add_format({"bold": True})
        sheet.write_row(0, 0, [MARKUP, 1])  # a plain row
        sheet.write_row(1, 0, [MARKUP, Decimal(1)])  # a row XlsxWriter's own path writes
        sheet.write(2, 0, MARKUP, look)
        sheet.merge_range(3, 0, 3, 2, MARKUP, look)
        book.close()
        texts, formula = texts_and_formulas(buffer.getvalue())
        assert not formula
        assert [text for text in texts if text is not None] == [MARKUP, 1, MARKUP, 1, MARKUP, MARKUP]
