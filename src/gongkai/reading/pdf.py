"""PDF with a text layer: one line per visual line, one cell per word, each with its page and box.

pypdfium2 (PDFium, Apache-2.0/BSD) because it is fast, ships wheels for every platform and has
a permissive licence; PyMuPDF is AGPL and pdfplumber is an order of magnitude slower. PDFium
already groups characters into lines (separated by CRLF) and inserts a space between words that
are apart, so its page text is split on whitespace and only each word's first and last
character are asked for a box: reading costs little more than dumping the text.

A page without a text layer but with an image on it is a scan: it is rendered and read by
OCR (`ocr`). A PDF with neither text nor images is refused rather than read as an empty report.
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_left
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..limits import MAX_CELLS, MAX_CHARS, MAX_PAGES, exceeded
from .document import Cell, Document, Line, Loc, ReadError
from .pdf_streams import check_streams

if TYPE_CHECKING:
    from .ocr import Budget

# PDFium splits a character outside the BMP into two (UTF-16 surrogates); Python counts it once.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_TOKEN = re.compile(r"\S+|\n")

_DASH = r"[-‐‑‒–—―－─~～·]"
# "- 3 -", "—3—", "第 3 页", "第3页 共5页", "共5页 第3页", "3/5", "Page 3 of 5": only page numbers.
_PAGE_NUMBER = re.compile(
    rf"{_DASH}+ ?\d{{1,4}} ?{_DASH}+|{_DASH}* ?\d{{1,4}} ?[/／] ?\d{{1,4}} ?{_DASH}*"
    r"|(共 ?\d{1,4} ?页[ ，,/]*)?第 ?\d{1,4} ?页([ ，,/]*共 ?\d{1,4} ?页)?"
    r"|page \d{1,4}( ?(of|/) ?\d{1,4})?",
    re.IGNORECASE,
)
# A bare "3" could also be a table value, so it only counts when it stands apart above or
# below everything else on the page, as in a header or footer.
_BARE_NUMBER = re.compile(r"\d{1,4}")

_OPEN_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: (
        "PDF 已加密，需要密码才能打开；请提供未加密的文件",
        "the PDF is encrypted and needs a password; provide an unencrypted copy",
    ),
    pdfium_c.FPDF_ERR_SECURITY: (
        "PDF 使用了不支持的加密方式",
        "the PDF uses an unsupported security handler",
    ),
}
_CORRUPT = (
    "PDF 文件已损坏或不完整（可能下载未完成）",
    "the PDF is corrupt or truncated (incomplete download?)",
)


def read_pdf(data: bytes, path: str) -> Document:
    """Read every page's words in PDFium's reading order. Raises ReadError, never PdfiumError."""
    check_streams(data, path)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReadError(*_OPEN_ERRORS.get(exc.err_code, _CORRUPT)) from exc
    lines: list[Line] = []
    scanned = 0
    pages = len(pdf)
    budget: Budget | None = None
    chars = words = 0
    try:
        if pages > MAX_PAGES:
            raise ReadError(*exceeded(path, "PDF 页数", "number of PDF pages", MAX_PAGES))
        for index in range(pages):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    chars += textpage.count_chars()
                    if chars > MAX_CHARS:
                        raise ReadError(
                            *exceeded(
                                path, "PDF 文字长度（字符数）", "PDF text length (characters)", MAX_CHARS
                            )
                        )
                    text_lines = _page_lines(textpage, index + 1)
                finally:
                    textpage.close()
                if not text_lines and _has_image(page):
                    from .ocr import Budget  # numpy, OpenCV and the models only for scans

                    budget = budget or Budget(path, pages)
                    budget.check(index + 1)
                    text_lines = _scanned_page(page, index + 1)
                    scanned += 1
                page_lines = _strip_page_numbers(text_lines)
                words += sum(map(len, page_lines))
                if words > MAX_CELLS:
                    raise ReadError(*exceeded(path, "PDF 词数", "number of PDF words", MAX_CELLS))
                lines += page_lines
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise ReadError(*_CORRUPT) from exc
    finally:
        pdf.close()
    if not lines:
        raise ReadError(
            "PDF 没有文字层（可能是扫描件），需要先进行文字识别（OCR）"
            + ("，但没有识别出文字" if scanned else ""),
            "the PDF has no text layer (probably a scan); it needs OCR first"
            + (", which found no text" if scanned else ""),
        )
    if scanned:
        from .ocr import harmonise

        lines = harmonise(lines)
    return Document(path=path, kind="scan" if scanned == pages else "pdf", lines=lines)


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))


def _scanned_page(page: pdfium.PdfPage, number: int) -> list[Line]:
    """Render the page at `RENDER_DPI` (fewer dpi for an oversized page) and read it by OCR."""
    from .ocr import MAX_PIXELS, RENDER_DPI, ocr_page

    width, height = page.get_size()
    scale = min(RENDER_DPI / 72, (MAX_PIXELS / max(width * height, 1)) ** 0.5)
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        gray = bitmap.to_numpy()
        if gray.ndim == 3:
            gray = gray[..., 0]
        return ocr_page(gray.copy(), number, scale * 72)
    finally:
        bitmap.close()


def _page_lines(textpage: pdfium.PdfTextPage, page: int) -> list[Line]:
    text: str = textpage.get_text_range()
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()

    def box(i: int) -> tuple[float, float, float, float]:
        # Python index -> PDFium text index (UTF-16 units) -> character index.
        char = pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw, i + bisect_left(astral, i))
        # The loose box is the font's em box: one height per line, unlike the glyph-tight box.
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, char, ctypes.byref(rect)):
            raise pdfium.PdfiumError(f"no box for character {i} on page {page}")
        return rect.left, rect.bottom, rect.right, rect.top

    lines: list[Line] = []
    words: Line = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if word == "\n":
            if words:
                lines.append(words)
                words = []
            continue
        x0, y0, x1, y1 = box(match.start())
        if len(word) > 1:
            a0, b0, a1, b1 = box(match.end() - 1)
            x0, y0, x1, y1 = min(x0, a0), min(y0, b0), max(x1, a1), max(y1, b1)
        words.append(Cell(word, Loc(page=page, bbox=(x0, y0, x1, y1))))
    if words:
        lines.append(words)
    return lines


def _strip_page_numbers(lines: list[Line]) -> list[Line]:
    """Drop a page-number header or footer: in a table it would read as a stray value."""
    for end in (-1, 0):
        if lines and _is_page_number(lines, end):
            del lines[end]
    return lines


def _is_page_number(lines: list[Line], end: int) -> bool:
    text = " ".join(cell.text for cell in lines[end])
    if _PAGE_NUMBER.fullmatch(text):
        return True
    if not _BARE_NUMBER.fullmatch(text):
        return False
    if len(lines) == 1:
        return True
    y0, y1 = _span(lines[end])
    gap = y1 - y0  # a margin: at least one line height clear of everything else
    others = [_span(line) for i, line in enumerate(lines) if i != end % len(lines)]
    return y1 + gap <= min(low for low, _ in others) or y0 - gap >= max(high for _, high in others)


def _span(line: Line) -> tuple[float, float]:
    boxes = [cell.loc.bbox for cell in line if cell.loc.bbox]
    return min(b[1] for b in boxes), max(b[3] for b in boxes)
