"""Scans: photos and image-only PDF pages read by offline OCR into located cells.

RapidOCR (PaddleOCR's PP-OCR models on ONNX Runtime, Apache-2.0) because its wheel carries
the Chinese detection and recognition models: nothing is downloaded, ever; the model files
are named by path so that RapidOCR's downloader is never reached. Each page is deskewed,
read, and laid out by `layout` (ruled cells become table rows). Every cell keeps its page,
its box in points and the OCR confidence; a number printed with a letter-like glyph ("O",
"l", "一") is read as the digit and keeps what OCR saw, so the report can flag it.

Bounded by construction: at most `MAX_PAGES` pages and `MAX_PIXELS` pixels a page are
accepted, and a document that takes longer than `MAX_SECONDS` stops with a clear error.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import replace
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from ..scan_review import NAME_LOOKALIKES
from .document import Cell, Document, Line, Loc, ReadError
from .layout import Box, Gray, deskew, flatten, ink_spans, page_units, rectify, ruling, skew_angle

MAX_PAGES = 60
MAX_PIXELS = 40_000_000  # a page at 300 dpi on A3 is 17 Mpx
MAX_SECONDS = 600.0
RENDER_DPI = 200  # PDF pages are rendered at this resolution for OCR
DEFAULT_DPI = 200  # an image without a resolution tag is taken to be scanned at this one
DETECT_SIDE = 1100  # px: the long side of the copy text boxes are detected on

# Glyphs OCR confuses with digits, read as the digit when a cell is otherwise a number.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0", "l": "1", "I": "1"})
_DIGIT_LOOKALIKES |= str.maketrans({"|": "1", "丨": "1", "一": "1", "i": "1", "Z": "2", "S": "5"})
_LOOKALIKE_CHARS = "OoDQ〇lI|丨一iZS"
# Characters OCR confuses in the printed labels, each with the one the official labels use. A word
# is corrected only when the official labels hold the corrected word and not the word as read.
_LABEL_LOOKALIKES = str.maketrans({"子": "予", "己": "已", "末": "未", "木": "本", "汁": "计", "沐": "沭"})
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_NUMBERISH = re.compile(rf"[0-9{re.escape(_LOOKALIKE_CHARS)}.]+")


@cache
def _engine() -> Any:
    """One RapidOCR per process, built from the model files inside the installed wheel."""
    try:
        import rapidocr
    except ImportError as exc:  # pragma: no cover - a dependency of gongkai
        raise ReadError("未安装文字识别组件 rapidocr", "the OCR engine rapidocr is not installed") from exc
    models = Path(rapidocr.__file__).parent / "models"
    params = {
        "Global.log_level": "error",
        "Global.use_cls": False,  # pages are deskewed; upside-down text does not occur in reports
        "Global.text_score": 0.0,  # keep weak boxes: they are flagged, never dropped
        # Text is found on a copy whose long side is DETECT_SIDE px (10.5 pt text on A4 is then
        # about 13 px high, enough for the detector), but recognised from crops of the page at its
        # own resolution: detection costs half what it did at 1400 px and reading is sharper.
        "Global.max_side_len": 100_000,  # no shrinking before detection: MAX_PIXELS bounds the page
        "Det.limit_type": "max",
        "Det.limit_side_len": DETECT_SIDE,
        # A lone "0" in an unruled table scores below the default 0.5 at this size: keep it, its
        # recognition score decides whether it is flagged.
        "Det.box_thresh": 0.3,
        "Det.model_path": str(models / "PP-OCRv6_det_small.onnx"),
        "Rec.model_path": str(models / "PP-OCRv6_rec_small.onnx"),
        "Cls.model_path": str(models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
        # Short crops (a cell's "0") are recognised at their own width, not padded to 320 px.
        "Rec.rec_img_shape": [3, 48, 64],
        # One crop a run: a batch pads every crop to its widest member, and on a page of short
        # cells beside long lines the padding cost more than the batching saved.
        "Rec.rec_batch_num": 1,
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }
    return rapidocr.RapidOCR(params=params)


class Budget:
    """The document's time limit, checked before each page."""

    def __init__(self, path: str, pages: int) -> None:
        if pages > MAX_PAGES:
            raise ReadError(
                f"扫描件页数过多（{pages} 页，上限 {MAX_PAGES} 页），不像一份年度报告",
                f"too many scanned pages ({pages}, limit {MAX_PAGES}) for an annual report",
            )
        self.path = path
        self.deadline = time.monotonic() + MAX_SECONDS

    def check(self, page: int) -> None:
        if time.monotonic() > self.deadline:
            raise ReadError(
                f"文字识别超时（超过 {MAX_SECONDS:.0f} 秒，停在第 {page} 页）",
                f"OCR timed out after {MAX_SECONDS:.0f} s, at page {page}",
            )


def read_image(data: bytes, path: str) -> Document:
    """A photo or scan (PNG, JPEG, TIFF with one page a frame) read by OCR."""
    try:
        image = Image.open(BytesIO(data))
    except (UnidentifiedImageError, OSError) as exc:
        raise ReadError(
            "图片文件已损坏或格式不受支持", "the image is damaged or of an unsupported kind"
        ) from exc
    frames = getattr(image, "n_frames", 1)
    budget = Budget(path, frames)
    lines: list[Line] = []
    for page, frame in enumerate(ImageSequence.Iterator(image), 1):
        budget.check(page)
        dpi = _dpi(frame)
        lines += ocr_page(_gray(frame, page), page, dpi)
    if not lines:
        raise ReadError("图片中没有识别出文字", "no text was recognised in the image")
    return Document(path=path, kind="scan", lines=harmonise(lines))


def _dpi(frame: Image.Image) -> float:
    value = frame.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0]
    try:
        dpi = float(value)
    except (TypeError, ValueError):
        return DEFAULT_DPI
    return dpi if 72 <= dpi <= 1200 else DEFAULT_DPI


def _gray(frame: Image.Image, page: int) -> Gray:
    """The frame as 8-bit gray, refused before decoding when it has too many pixels."""
    width, height = frame.size
    if width * height > MAX_PIXELS:
        raise ReadError(
            f"第 {page} 页图像过大（{width}×{height} 像素，上限 {MAX_PIXELS // 1_000_000} 百万像素）",
            f"page {page} image too large ({width}x{height} px, limit {MAX_PIXELS // 1_000_000} Mpx)",
        )
    try:
        if frame.mode in ("RGBA", "LA", "P"):
            frame = frame.convert("RGBA")
            white = Image.new("RGBA", frame.size, "white")
            frame = Image.alpha_composite(white, frame)
        return np.asarray(frame.convert("L"), dtype=np.uint8)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ReadError(
            f"第 {page} 页图像无法解码：{exc}", f"page {page} image cannot be decoded: {exc}"
        ) from exc


def ocr_page(gray: Gray, page: int, dpi: float) -> list[Line]:
    """One page image as lines of located cells, in points from the page's bottom-left corner.

    A photographed page is first cut out of its frame and warped flat (its resolution then
    follows from the page's width), and uneven light is evened out, before deskewing.
    """
    flat, measured = rectify(gray)
    dpi = measured or dpi
    flat = flatten(flat)
    level = deskew(flat, skew_angle(flat))
    rules = ruling(level)
    rgb = np.stack([level] * 3, axis=-1)
    # Every step named on every call: RapidOCR keeps the last call's choice for the next one.
    result = _engine()(rgb, use_det=True, use_cls=False, use_rec=True)
    boxes = [
        piece
        for quad, text, score in zip(
            result.boxes if result.boxes is not None else [],
            result.txts or (),
            result.scores or (),
            strict=True,
        )
        if text.strip()
        for piece in _pieces(Box(text, float(score), *_rect(quad)), rgb)
    ]
    scale = 72 / dpi
    height = level.shape[0]
    lines: list[Line] = []
    for units in page_units(boxes, rules):
        line: Line = []
        for unit in units:
            bbox = (unit.x0 * scale, (height - unit.y1) * scale, unit.x1 * scale, (height - unit.y0) * scale)
            for text, seen in _cells(unit.text):
                line.append(Cell(text, Loc(page=page, bbox=bbox, ocr=round(unit.score, 3), ocr_read=seen)))
        lines.append(line)
    return lines


def _pieces(box: Box, rgb: Any) -> list[Box]:
    """A text box split where its ink stands far apart, each piece recognised again on its own.

    Without ruling, the detector takes the headers or values of neighbouring columns ("维持 纠正",
    "0 0") as one line of text, and the recogniser may read the two values as one number ("00").
    The white space between columns is wider than any space inside a cell's text.
    """
    spans = ink_spans(rgb[..., 0], box)
    if len(spans) < 2:
        return [box]
    y0, y1 = int(box.y0), int(box.y1)
    pieces = []
    for x0, x1 in spans:
        read = _engine()(rgb[y0:y1, x0:x1], use_det=False, use_cls=False, use_rec=True)
        text, score = (read.txts or ("",))[0], (read.scores or (0.0,))[0]
        if text.strip():
            pieces.append(Box(text, min(float(score), box.score), x0, box.y0, x1, box.y1))
    return pieces


# Characters OCR confuses in proper names (沭阳县, 临沭县 and 沐川县 are all real places), which no
# list of labels can settle. The document itself can: a name is printed the same way each time.
_NAME_GROUP = {char: group for group in NAME_LOOKALIKES for char in group}
CONTEXT = 2  # characters after a look-alike that name the word it stands in ("阳县")


def harmonise(lines: list[Line]) -> list[Line]:
    """One spelling for each name the scan prints several times, where OCR read it two ways.

    Each look-alike character is counted with the characters after it ("沭" + "阳县"), weighted
    by its cell's OCR confidence; where both spellings occur, the minority is rewritten to the
    spelling that has the strictly greater weight, keeping what OCR saw. A tie, or a name read
    only one way, is left as read (`scan_review` then asks for the name to be checked).
    """
    votes: dict[tuple[str, str], dict[str, float]] = {}
    for line in lines:
        for cell in line:
            if cell.loc.ocr is not None:
                for char, context in _lookalikes(cell.text):
                    tally = votes.setdefault((_NAME_GROUP[char], context), {})
                    tally[char] = tally.get(char, 0.0) + cell.loc.ocr
    spelling: dict[tuple[str, str], str] = {}
    for key, tally in votes.items():
        ranked = sorted(tally.values(), reverse=True)
        if len(ranked) > 1 and ranked[0] > ranked[1]:
            spelling[key] = max(tally, key=lambda char: tally[char])
    if not spelling:
        return lines
    return [[_respell(cell, spelling) for cell in line] for line in lines]


def _lookalikes(text: str) -> list[tuple[str, str]]:
    return [(char, text[i + 1 : i + 1 + CONTEXT]) for i, char in enumerate(text) if char in _NAME_GROUP]


def _respell(cell: Cell, spelling: dict[tuple[str, str], str]) -> Cell:
    if cell.loc.ocr is None:
        return cell
    chars = list(cell.text)
    for i, char in enumerate(chars):
        if char in _NAME_GROUP:
            chars[i] = spelling.get((_NAME_GROUP[char], cell.text[i + 1 : i + 1 + CONTEXT]), char)
    text = "".join(chars)
    if text == cell.text:
        return cell
    return Cell(text, replace(cell.loc, ocr_read=cell.loc.ocr_read or cell.text))


def _rect(quad: Any) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return min(xs), min(ys), max(xs), max(ys)


def _cells(text: str) -> list[tuple[str, str | None]]:
    """A unit's text as cells: (text, what OCR saw when a digit look-alike was read as a digit).

    Full-width digits and letters are folded (NFKC). Words apart become separate cells, as the
    PDF reader splits them; the spaces OCR puts inside Chinese text are dropped first.
    """
    words = _cjk_join(unicodedata.normalize("NFKC", text)).split()
    return [_number(word) if _NUMBERISH.fullmatch(word) else _label(word) for word in words]


def _label(word: str) -> tuple[str, str | None]:
    """A word with a label look-alike ("子以公开") read as the official label has it ("予以公开")."""
    fixed = word.translate(_LABEL_LOOKALIKES)
    if fixed != word and fixed in _label_text() and word not in _label_text():
        return fixed, word
    return word, None


@cache
def _label_text() -> str:
    """Every label, title and heading the formats declare, folded as OCR text is (NFKC)."""
    from ..formats import FORMATS

    parts: list[str] = []
    for fmt in FORMATS.values():
        parts += [title for titles in fmt.sections for title in titles]
        for table in fmt.tables:
            parts += [table.title, *table.title_variants, *table.header_labels]
            for row in table.rows:
                parts += [*row.labels, row.group, row.caption]
                parts += [label for column in table.columns_of(row) for label in column.labels]
    return unicodedata.normalize("NFKC", "\n".join(parts))


def _number(token: str) -> tuple[str, str | None]:
    """A numeric-looking token: digits as printed; look-alikes read as digits, keeping the original."""
    if _NUMBER.fullmatch(token):
        return token, None
    fixed = token.translate(_DIGIT_LOOKALIKES)
    if _NUMBER.fullmatch(fixed) and (any(c.isdigit() for c in token) or len(token) == 1):
        return fixed, token
    return token, None


def _cjk_join(text: str) -> str:
    """Drop the spaces OCR puts between CJK characters and after an ordinal ("1. 属于" -> "1.属于")."""
    return re.sub(r"(?<=[^\x00-\x7f.．、])\s+(?=[^\x00-\x7f])|(?<=[.．、])\s+(?=[^\x00-\x7f])", "", text)
