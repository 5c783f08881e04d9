"""A PDF page band rendered in a child process of its own, with a cap on time and memory.

The reader's caps bound what a stored PDF may hold, but drawing a page is another cost: a page
of millions of tiny paths passes every cap and can take minutes to rasterise. So the render runs
in a child that limits its own address space and is killed after RENDER_SECONDS; a render that
hits a cap yields no image, never a held server thread. Run as `python -m
gongkai.web.oversight.band PAGE X0 Y0 X1 Y1 MEMORY` with the PDF on stdin and the PNG on stdout.
"""

from __future__ import annotations

import io
import logging
import subprocess
import sys

RENDER_SECONDS = 10.0
MEMORY_BYTES = 1 << 30  # the child's address space: PDFium and Pillow with a band of 1600 x 600 pixels
MARGIN = 36.0  # points above and below the cell's box: the row and its neighbours
MAX_BAND = 300.0  # points of page height at most, whatever box the provenance names
MAX_PIXELS_WIDE = 1600
SCALE = 2.0

log = logging.getLogger(__name__)


def render(content: bytes, page_number: int, box: list[float]) -> bytes | None:
    """The band around `box` on page `page_number` (from 1) as PNG, the box outlined; None when the
    page or band does not exist, or the render hit its cap on time or memory (logged)."""
    command = [sys.executable, "-m", __name__, str(page_number), *map(repr, box), str(MEMORY_BYTES)]
    try:
        done = subprocess.run(
            command, input=content, capture_output=True, timeout=RENDER_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        log.warning("PDF band render stopped after %s s (page %s)", RENDER_SECONDS, page_number)
        return None
    if done.returncode != 0:
        log.warning("PDF band render failed (page %s): %s", page_number, done.stderr[-500:])
        return None
    return done.stdout or None


def band(content: bytes, page_number: int, box: list[float]) -> bytes | None:
    """The render itself, in the child: at most MAX_PIXELS_WIDE by MAX_BAND * SCALE pixels."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    try:
        pdf = pdfium.PdfDocument(content)
    except pdfium.PdfiumError:
        return None
    try:
        if not 1 <= page_number <= len(pdf):
            return None
        page = pdf[page_number - 1]
        width, height = page.get_size()
        x0, y0, x1, y1 = box
        top = min(height, y1 + MARGIN)
        bottom = max(0.0, y0 - MARGIN, top - MAX_BAND)
        if top <= bottom:
            return None
        scale = min(SCALE, MAX_PIXELS_WIDE / max(width, 1.0))
        image = page.render(scale=scale, crop=(0, bottom, 0, height - top)).to_pil()
        draw = ImageDraw.Draw(image)
        draw.rectangle(
            ((x0 - 2) * scale, (top - y1 - 2) * scale, (x1 + 2) * scale, (top - y0 + 2) * scale),
            outline=(200, 0, 0),
            width=3,
        )
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()
    finally:
        pdf.close()


def main(argv: list[str]) -> int:
    import resource

    memory = int(argv[5])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    png = band(sys.stdin.buffer.read(), int(argv[0]), [float(v) for v in argv[1:5]])
    if png:
        sys.stdout.buffer.write(png)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
