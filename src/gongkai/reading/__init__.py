"""Readers: turn any published report file into a `Document` of located cells.

The type is decided by content (`sniff`), never by extension. Every failure is a
`ReadError` with a reason in Chinese and English; nothing here prints or exits.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

from ..limits import MAX_FILE_BYTES, MAX_ZIP_MEMBERS, exceeded
from .document import Cell, Document, Line, Loc, ReadError
from .sniff import sniff
from .text import read_text

Reader = Callable[[bytes, str], Document]


# Each reader is imported on first use of its kind, so reading text or HTML never pays for lxml,
# pdfium, or OpenCV and the OCR models (nor their address space under a memory cap).
_READERS = {
    "html": ("html", "read_html"),
    "docx": ("docx", "read_docx"),
    "xlsx": ("xlsx", "read_xlsx"),
    "pdf": ("pdf", "read_pdf"),
    "legacy": ("legacy", "read_legacy"),
    "odf": ("legacy", "read_legacy"),
    "image": ("ocr", "read_image"),
}


def _reader(kind: str) -> Reader:
    module, name = _READERS[kind]
    return cast(Reader, getattr(importlib.import_module(f"{__name__}.{module}"), name))


def load(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read one file into a Document. Raises ReadError with a plain reason."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ReadError(f"无法打开文件：{exc.strerror}", f"cannot open file: {exc.strerror}") from exc
    if p.is_dir():
        raise ReadError("这是一个目录，不是文件", "this is a directory, not a file")
    check_size(size, max_bytes)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"无法读取文件：{exc.strerror}", f"cannot read file: {exc.strerror}") from exc
    return load_bytes(data, str(path))


def check_size(size: int, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Refuse an empty file, and one too large to be a report before any of it is read."""
    if size == 0:
        raise ReadError("文件为空（0 字节）", "the file is empty (0 bytes)")
    if size > max_bytes:
        mb, limit = size / 1048576, max_bytes / 1048576
        raise ReadError(
            f"文件过大（{mb:.0f} MB，上限 {limit:.0f} MB），不像一份年度报告",
            f"file too large ({mb:.0f} MB, limit {limit:.0f} MB) for an annual report",
        )


def load_bytes(data: bytes, path: str = "<bytes>") -> Document:
    # Each member costs a ZipInfo before any reader can look: count central-directory entries first.
    if data.startswith(b"PK\x03\x04") and data.count(b"PK\x01\x02") > MAX_ZIP_MEMBERS:
        raise ReadError(*exceeded(path, "压缩包内的文件数", "number of archive members", MAX_ZIP_MEMBERS))
    kind = sniff(data)
    if kind == "text":
        return read_text(data, path)
    if kind == "zip":
        raise ReadError(
            "压缩包或未知的 ZIP 格式，不是 DOCX/XLSX", "a ZIP archive that is neither DOCX nor XLSX"
        )
    return _reader(kind)(data, path)


__all__ = ["Cell", "Document", "Line", "Loc", "ReadError", "load", "load_bytes", "sniff"]
