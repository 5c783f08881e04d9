"""Decide a file's type from its bytes, never from its name."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML_MARKERS = (b"<!doctype html", b"<html", b"<table", b"<body", b"<head", b"<meta", b"<div", b"<p>", b"<p ")
_HTML = re.compile(b"|".join(map(re.escape, HTML_MARKERS)))  # one scan of the head, not nine


IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def sniff(data: bytes) -> str:
    """One of: pdf, docx, xlsx, odf, legacy (OLE2 .doc/.wps/.xls, RTF), image, html, text, zip."""
    if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(IMAGE_MAGIC):
        return "image"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(OLE2) or data.startswith(b"{\\rtf"):
        return "legacy"
    head = data[:4096].lower()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.replace(b"\x00", b"")
    if _HTML.search(head):
        return "html"
    return "text"


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(BytesIO(data)).namelist())
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):
        return "zip"  # damaged headers (a flipped version field raises NotImplementedError)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names and "content.xml" in names:
        return "odf"
    return "zip"
