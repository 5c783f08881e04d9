"""Excel 2007+ workbooks: every worksheet's non-empty rows, each as one line of cells.

openpyxl is loaded in normal (not read-only) mode because only that mode knows the merged
ranges; reports are a few hundred cells, so the cost is small. Covered cells of a merge are
`MergedCell`s without a value and read as "". Cells are taken from the sheet's cell store rather
than by walking its declared dimension, which formatting alone can stretch to a million rows.

Forms filled in a spreadsheet end with a signature block under the table (填报人：张三,
审核人, 填报日期：2024年1月10日, or a bare date). Its numbers are no cells of the table, yet
the extraction would read them into the last row. Those trailing rows are therefore moved
to the front of the document, ahead of every table, where the text is kept and read as
preamble but never as values.
"""

from __future__ import annotations

import datetime
import re
import warnings
import zipfile
import zlib
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..report import LONG_HEADER
from .bounded import check_archive
from .document import Cell, Document, Line, Loc, ReadError, check_grid

DECIMALS = re.compile(r"0\.(0+)")
SIGNATURE_WORDS = r"填报|填表|制表|审核|审批|复核|报送|统计|负责|联系|经办|签发|盖章|日期"
# The first filled cell of a signature row: a signature word with what follows, or a bare date.
TRAILER = re.compile(
    rf"^\s*(?:(?:单位|部门)?(?:{SIGNATURE_WORDS})[^\d]{{0,8}}(?:[:：]|$)"
    r"|(?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}\s*日?\s*$)"
)


def read_xlsx(data: bytes, path: str) -> Document:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            check_archive(archive, path)  # openpyxl unpacks whatever it is given
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        raise ReadError(
            f"XLSX 文件已损坏或不完整：{exc}", f"XLSX file is damaged or truncated: {exc}"
        ) from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore"
            )  # openpyxl warns about unsupported extensions; not our reader's news
            workbook = load_workbook(BytesIO(data), data_only=True, rich_text=False, keep_links=False)
    except Exception as exc:  # openpyxl raises anything from KeyError to TypeError on damaged files
        raise ReadError(
            f"XLSX 文件已损坏或无法读取：{exc}", f"XLSX file is damaged or unreadable: {exc}"
        ) from exc
    lines: list[Line] = []
    trailers: list[Line] = []
    sheets = [s for s in workbook.worksheets if isinstance(s, Worksheet)]
    for sheet in sheets:
        sheet_lines = _sheet_lines(sheet, path)
        if len(sheets) > 1 and sheet_lines and tuple(c.text for c in sheet_lines[0]) == LONG_HEADER:
            continue  # gongkai's own long-form sheet repeats the tables cell by cell
        body, trailer = _split_trailer(sheet_lines)
        lines += body
        trailers += trailer
    lines = trailers + lines
    if not lines:
        raise ReadError("文件内容为空", "the file is empty")
    return Document(path=path, kind="xlsx", lines=lines)


def _sheet_lines(sheet: Worksheet, path: str) -> list[Line]:
    texts: dict[tuple[int, int], str] = {}
    for (row, col), cell in sheet._cells.items():
        text = _format(cell.value, cell.number_format)
        if text:
            texts[row, col] = text
    if not texts:
        return []
    width = max(col for _, col in texts)
    for merged in sheet.merged_cells.ranges:
        if (merged.min_row, merged.min_col) in texts:
            width = max(width, merged.max_col)
    rows = sorted({row for row, _ in texts})
    check_grid(len(rows) * width, path)
    return [
        [
            Cell(texts.get((row, col), ""), Loc(sheet=sheet.title, row=row, col=col))
            for col in range(1, width + 1)
        ]
        for row in rows
    ]


def _split_trailer(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """The sheet's rows, and the signature rows that close it (see the module docstring)."""
    end = len(lines)
    while end > 1:
        first = next((cell.text for cell in lines[end - 1] if cell.text), "")
        if not TRAILER.match(first):
            break
        end -= 1
    return lines[:end], lines[end:]


def _format(value: object, number_format: str) -> str:
    """The cell as printed: whole numbers without ".0", other numbers to the format's decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        decimals = DECIMALS.search(number_format.split(";")[0])
        places = len(decimals.group(1)) if decimals else None
        if "%" in number_format:
            return f"{value * 100:.{places or 0}f}%"
        if isinstance(value, int) or (value.is_integer() and abs(value) < 1e15):
            return str(int(value))
        return f"{value:.{places}f}" if places else f"{value:.15g}"
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return " ".join(str(value).split())
