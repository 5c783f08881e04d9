"""Scans made from a gold report: rendered to PDF, rasterised, skewed and noised like a scanner.

Used by the OCR tests (one page, one resolution) and by `benchmarks/bench_ocr.py` (every seed at
150, 200 and 300 dpi). The gold report is written in the official layout by gongkai's own PDF
writer (LibreOffice), rasterised by poppler's pdftoppm, then turned by up to a degree and given
Gaussian noise and specks with a fixed seed, so every run makes the same images.
"""

from __future__ import annotations

import io
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from gongkai.report import Report
from gongkai.writing import write


def rendered_pdf(gold: Path) -> bytes:
    """The gold report written as a PDF in the official layout."""
    return write(Report.from_json(json.loads(gold.read_text(encoding="utf-8"))), "pdf")


def scan(pdf: bytes, dpi: int, seed: int, pages: list[int] | None = None) -> list[Image.Image]:
    """Grey page images as a scanner gives them: a slight rotation (within ±1°), noise and specks."""
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory(prefix="gongkai-scan-") as tmp:
        source = Path(tmp, "report.pdf")
        source.write_bytes(pdf)
        command = ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(Path(tmp, "page"))]
        subprocess.run(command, check=True, capture_output=True, timeout=120)
        files = sorted(Path(tmp).glob("page-*.png"))
        chosen = [files[i - 1] for i in pages] if pages else files
        images = []
        for file in chosen:
            with Image.open(file) as page:
                angle = float(rng.uniform(-1.0, 1.0))
                turned = page.convert("L").rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
            pixels = np.asarray(turned, dtype=np.float32)
            pixels = pixels + rng.normal(0, 12, pixels.shape)
            specks = rng.random(pixels.shape)
            pixels[specks < 0.001] = 0
            pixels[specks > 0.999] = 255
            image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
            image.info["dpi"] = (dpi, dpi)
            images.append(image)
    return images


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
