"""Writers: one report out as DOCX, PDF, XLSX, HTML, Markdown, plain text or JSON.

Every writer lays the tables out from the format declaration through `layout`, so the
official merges are computed once and a new format year needs no writer change. Each
writer module exposes `write(report) -> bytes` and `SUFFIX`; writers are imported on
first use so that writing text never loads python-docx or openpyxl.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from ..report import Report


@dataclass(frozen=True)
class Writer:
    name: str
    module: str
    suffix: str
    media_type: str

    def write(self, report: Report) -> bytes:
        module = importlib.import_module(f"{__name__}.{self.module}")
        return cast(Callable[[Report], bytes], module.write)(report)


WRITERS: dict[str, Writer] = {
    w.name: w
    for w in (
        Writer(
            "docx", "docx", ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
        Writer("pdf", "pdf", ".pdf", "application/pdf"),
        Writer("xlsx", "xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        Writer("html", "html", ".html", "text/html; charset=utf-8"),
        Writer("markdown", "markdown", ".md", "text/markdown; charset=utf-8"),
        Writer("text", "text", ".txt", "text/plain; charset=utf-8"),
        Writer("json", "json_", ".json", "application/json"),
    )
}
ALIASES = {"md": "markdown", "txt": "text", "htm": "html", "word": "docx", "excel": "xlsx"}


class WriteError(Exception):
    """A report that cannot be written, with the reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


def writer_for(to: str) -> Writer:
    """The writer for a format name ("docx", "md"), a suffix (".docx") or a file name ("a.docx")."""
    key = to.lower().rsplit(".", 1)[-1] if "." in to else to.lower()
    key = ALIASES.get(key, key)
    if key not in WRITERS:
        known = ", ".join(WRITERS)
        raise WriteError(
            f"不支持的输出格式：{to}（可用：{known}）", f"unknown output format {to!r} (known: {known})"
        )
    return WRITERS[key]


def write(report: Report, to: str) -> bytes:
    """The report rendered in the format `to` names (see `writer_for`)."""
    return writer_for(to).write(report)


__all__ = ["ALIASES", "WRITERS", "WriteError", "Writer", "write", "writer_for"]
