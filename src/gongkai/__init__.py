"""gongkai (公开): read, check, write and produce 政府信息公开工作年度报告."""

from __future__ import annotations

__version__ = "0.1.0"

from pathlib import Path

from .report import Report


def read(path: str | Path) -> Report:
    """Read a published annual report (text, HTML, DOCX, XLSX, PDF, .doc) into a Report.

    Raises `gongkai.reading.ReadError` or `gongkai.extraction.ExtractError`, both with a
    reason in Chinese (`.zh`) and English (`.en`).
    """
    from .extraction import extract
    from .reading import load
    from .scan_review import review

    return review(extract(load(path)))


__all__ = ["Report", "__version__", "read"]
