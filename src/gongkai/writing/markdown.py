"""Markdown with GFM pipe tables.

GFM has no merged cells: a merged cell's text stands at its top-left position and the
positions it covers stay empty, so every data row is still one line that starts with
its own label. The first grid row serves as the pipe table's header row.
"""

from __future__ import annotations

import re

from ..report import Report
from .layout import table_layout
from .narrative import parts, title
from .text import grid_rows

SUFFIX = ".md"
BLOCK_START = re.compile(r"^(\d+)([.)])|^([#>*+-])")


def _paragraph(text: str) -> str:
    """Escape what Markdown would read as a list, quote or heading at the start of a line."""
    return BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def write(report: Report) -> bytes:
    out = [f"# {title(report)}", ""]
    for part in parts(report):
        out += [f"## {part.heading}", ""]
        for paragraph in part.paragraphs:
            out += [_paragraph(paragraph), ""]
        if part.table:
            if part.unit_note:
                out += [part.unit_note, ""]
            rows = grid_rows(table_layout(report.table(part.table)), report)
            out += [_line(rows[0]), "| " + " | ".join("---" for _ in rows[0]) + " |"]
            out += [_line(row) for row in rows[1:]]
            out.append("")
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")
