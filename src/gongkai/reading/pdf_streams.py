"""A PDF's compressed streams measured before PDFium sees them: the defence against stream bombs.

PDFium inflates a page's content streams whole when it loads the page, so a 500 KB FlateDecode
stream that inflates to gigabytes takes gigabytes. Here every Flate stream that is not an image
(images are never decoded to read text) is inflated chunk by chunk and only counted; past
`MAX_PDF_STREAM_BYTES` in all, the file is refused. The cost is bounded by that cap.
"""

from __future__ import annotations

import re
import zlib

from ..limits import MAX_PDF_STREAM_BYTES, exceeded
from .document import ReadError

STREAM = re.compile(rb"stream\r?\n")
CHUNK = 1024 * 1024
DICT_WINDOW = 2048  # bytes before `stream` searched for the stream's dictionary


def check_streams(data: bytes, path: str) -> None:
    """Raise ReadError when the non-image Flate streams inflate past `MAX_PDF_STREAM_BYTES`."""
    view = memoryview(data)
    total = 0
    for match in STREAM.finditer(data):
        start = match.end()
        head = data[max(0, match.start() - DICT_WINDOW) : match.start()]
        head = head[head.rfind(b"obj") + 1 :]
        if b"/Fl" not in head or b"/Image" in head:
            continue
        end = data.find(b"endstream", start)
        total += _inflated(view[start : len(data) if end < 0 else end], MAX_PDF_STREAM_BYTES - total)
        if total > MAX_PDF_STREAM_BYTES:
            raise ReadError(
                *exceeded(
                    path,
                    "PDF 压缩数据流解压后的大小（字节）",
                    "inflated size of the PDF's streams (bytes)",
                    MAX_PDF_STREAM_BYTES,
                )
            )


def _inflated(compressed: memoryview, budget: int) -> int:
    """Bytes `compressed` inflates to, counted to just past `budget`; damaged data as far as it goes."""
    inflater = zlib.decompressobj()
    size = 0
    pending: bytes | memoryview = compressed
    try:
        while pending and size <= budget:
            size += len(inflater.decompress(pending, CHUNK))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass
    return size
