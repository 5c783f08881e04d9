"""Every cap on reading, declared once: what a hostile or broken file cannot make a reader exceed.

A published annual report is about 20,000 characters, 1,500 table cells and a few pages; each cap
is a hundred times or more above that, and low enough that one file stays under 500 MB and a few
seconds. Readers check them where the data is produced (before a grid, a page or an XML body is
built), and a hit raises `ReadError` naming the cap (`exceeded`), never a hang or a MemoryError.
The extraction searches have step budgets instead: hitting one leaves the cells null with a note.
"""

from __future__ import annotations

from pathlib import PurePath

MAX_FILE_BYTES = 64 * 1024 * 1024  # a file on disk
MAX_CHARS = 8_000_000  # decoded characters of one document
MAX_CELLS = 100_000  # cells (text lines, table cells, PDF words) of one document: extraction is ~10 µs each
MAX_GRID_CELLS = 100_000  # one table's grid after expanding colspan/rowspan/gridSpan
MAX_SHEET_CELLS = 20_000  # cells declared in an XLSX's worksheets (a report has about 500)
MAX_SPAN = 1_000  # one cell's colspan, rowspan or gridSpan; beyond this it is a typo
MAX_NESTING = 200  # element depth of an HTML or XML tree
MAX_XML_BYTES = 8 * 1024 * 1024  # one unpacked DOCX or XLSX part: its tree takes 20-30× that
MAX_HTML_BYTES = 4 * 1024 * 1024  # an HTML file (UTF-8): lxml's tree of tiny elements takes ~50× that
MAX_UNZIPPED_BYTES = 128 * 1024 * 1024  # all unpacked parts of a DOCX or XLSX together
MAX_ZIP_MEMBERS = 10_000  # entries in a DOCX or XLSX archive
MAX_PAGES = 300  # pages of a PDF (a report has 5 to 30)
MAX_PDF_STREAM_BYTES = 128 * 1024 * 1024  # a PDF's non-image Flate streams (content, fonts) inflated
MAX_SOLVE_STEPS = 10_000  # steps reading one row's run-together digits (a 22-digit 总计 row: ~5,000)
MAX_FIGURES = 1_000  # figures stated in the prose kept for checking (a report states about 20)
MAX_STATED_PROSE = 100_000  # characters of part 一 searched for figures restating table cells
MAX_SENTENCE = 300  # characters of a figure's sentence kept on each side of the figure


def exceeded(path: str, zh_what: str, en_what: str, limit: int) -> tuple[str, str]:
    """The (Chinese, English) reason for a hit cap, to pass to `ReadError(*...)`."""
    name = PurePath(path).name
    return (
        f"{name}：{zh_what}超过上限 {limit:,}，文件可能已损坏或是恶意构造的，已停止读取",
        f"{name}: {en_what} exceeds the limit of {limit:,}; the file is damaged or hostile, reading stopped",
    )
