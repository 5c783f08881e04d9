"""Scans made from a gold report: rendered to PDF, rasterised, skewed and noised like a scanner,
or photographed like a phone; and the report printed without ruling, as Word tables often are.

Used by the OCR tests (one page, one resolution) and by `benchmarks/bench_ocr.py` (every seed at
150, 200 and 300 dpi, and as phone photos and unruled). The gold report is written in the official
layout by gongkai's own PDF writer (LibreOffice), rasterised by poppler's pdftoppm, then turned by
up to a degree and given Gaussian noise and specks with a fixed seed, so every run makes the same
images. A phone photo is the page warped in perspective onto a darker desk that it does not fill,
lit unevenly, blurred, noised and saved as JPEG.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

from gongkai.report import Report
from gongkai.writing import docx, pdf, write


def rendered_pdf(gold: Path | Report) -> bytes:
    """The gold report written as a PDF in the official layout."""
    return write(_report(gold), "pdf")


def unruled_pdf(gold: Path | Report) -> bytes:
    """The gold report as a PDF whose tables have no ruling at all: the DOCX writer's table borders
    switched off, so cells are aligned by white space only, as many Word documents print."""
    source = io.BytesIO(docx.write(_report(gold)))
    target = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(rb'w:val="single"', b'w:val="nil"', data)
            zout.writestr(item, data)
    return pdf.convert(target.getvalue())


def _report(gold: Path | Report) -> Report:
    if isinstance(gold, Report):
        return gold
    return Report.from_json(json.loads(gold.read_text(encoding="utf-8")))


def rasterise(document: bytes, dpi: int, chosen: list[int] | None = None) -> list[Image.Image]:
    """The PDF's pages rasterised by pdftoppm, in grey."""
    with tempfile.TemporaryDirectory(prefix="gongkai-scan-") as tmp:
        source = Path(tmp, "report.pdf")
        source.write_bytes(document)
        command = ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(tmp, "page"))]
        subprocess.run(command, check=True, capture_output=True, timeout=120)
        files = sorted(Path(tmp).glob("page-*.png"))
        images = []
        for file in [files[i - 1] for i in chosen] if chosen else files:
            with Image.open(file) as page:
                images.append(page.convert("L"))
    return images


def scan(document: bytes, dpi: int, seed: int, pages: list[int] | None = None) -> list[Image.Image]:
    """Grey page images as a scanner gives them: a slight rotation (within ±1°), noise and specks."""
    rng = np.random.default_rng(seed)
    images = []
    for page in rasterise(document, dpi, pages):
        angle = float(rng.uniform(-1.0, 1.0))
        turned = page.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
        pixels = np.asarray(turned, dtype=np.float32)
        pixels = pixels + rng.normal(0, 12, pixels.shape)
        specks = rng.random(pixels.shape)
        pixels[specks < 0.001] = 0
        pixels[specks > 0.999] = 255
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
        image.info["dpi"] = (dpi, dpi)
        images.append(image)
    return images


def photo(page: Image.Image, seed: int) -> bytes:
    """A phone photo of a grey page, as JPEG without a resolution tag.

    The page fills about 80% of the frame on a darker, textured desk; its corners are pulled
    inwards independently (perspective, up to 5% of the frame), the light falls off by up to 35%
    across the frame, the lens blurs (σ 1 px) and the sensor adds noise (σ 5).
    """
    rng = np.random.default_rng(seed)
    paper = np.asarray(page, dtype=np.uint8)
    h, w = paper.shape
    frame_h, frame_w = int(h * 1.2), int(w * 1.25)
    margin = np.array([(frame_w - w) / 2, (frame_h - h) / 2])
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    jitter = rng.uniform(-0.05, 0.05, (4, 2)) * [frame_w, frame_h]
    target = (corners + margin + jitter).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    warped = cv2.warpPerspective(paper, matrix, (frame_w, frame_h), flags=cv2.INTER_LINEAR, borderValue=0)
    inside = cv2.warpPerspective(np.full_like(paper, 255), matrix, (frame_w, frame_h), borderValue=0) > 128
    desk = rng.normal(70, 12, (frame_h, frame_w))
    pixels = np.where(inside, warped, desk).astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:frame_h, 0:frame_w]
    along = (xs / frame_w - 0.5) * np.cos(angle) + (ys / frame_h - 0.5) * np.sin(angle)
    pixels *= 1.0 - 0.35 * (along - along.min()) / (along.max() - along.min())
    pixels = cv2.GaussianBlur(pixels, (0, 0), 1.0)
    pixels += rng.normal(0, 5, pixels.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def as_pdf(images: list[Image.Image], dpi: int) -> bytes:
    """An image-only PDF, one scanned page a PDF page."""
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return buffer.getvalue()


def as_png(image: Image.Image, dpi: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def as_tiff(images: list[Image.Image], dpi: int) -> bytes:
    """A multi-page TIFF, as document scanners save a whole report."""
    buffer = io.BytesIO()
    images[0].save(
        buffer, "TIFF", dpi=(dpi, dpi), save_all=True, append_images=images[1:], compression="tiff_lzw"
    )
    return buffer.getvalue()


def photographed(document: bytes, seed: int, dpi: int = 200) -> bytes:
    """Each page of the PDF photographed by a phone, the photos gathered into one PDF as phone
    scanning apps save them."""
    shots = [Image.open(io.BytesIO(photo(page, seed + i))) for i, page in enumerate(rasterise(document, dpi))]
    return as_pdf(shots, dpi)


def score(report: Report, gold: dict[str, Any]) -> tuple[int, int, int, int]:
    """(cells, exact, flagged, silent) over gold's table cells: *flagged* is wrong but left null or
    named in a note (the cell or its row), *silent* is wrong with no flag, the number that must be 0."""
    got = report.canonical()
    flagged = {note.cell for note in report.notes}
    cells = exact = wrong_flagged = silent = 0
    for table in ("proactive", "requests", "appeals"):
        for row, columns in gold[table].items():
            for column, value in columns.items():
                cells += 1
                read = got[table].get(row, {}).get(column)
                if read == value:
                    exact += 1
                elif read is None or f"{table}.{row}.{column}" in flagged or f"{table}.{row}" in flagged:
                    wrong_flagged += 1
                else:
                    silent += 1
    return cells, exact, wrong_flagged, silent
