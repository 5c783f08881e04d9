"""Plain text laid out like reports copied off web pages, which gongkai's text reader reads.

One table row per line with its cells separated by tabs (a merged cell's text at its
top-left position, the positions it covers left empty), headings on their own lines,
blank lines between paragraphs.
"""

from __future__ import annotations

from ..report import Report
from .layout import TableLayout, cell_text, table_layout
from .narrative import parts, title

SUFFIX = ".txt"


def grid_rows(layout: TableLayout, report: Report) -> list[list[str]]:
    """The layout expanded to a full grid: text at each merged cell's anchor, empty elsewhere."""
    rows = [[""] * layout.n_cols for _ in range(layout.n_rows)]
    for span in layout.spans():
        rows[span.row][span.col] = cell_text(span, report)
    return rows


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def write(report: Report) -> bytes:
    out = [title(report), ""]
    for part in parts(report):
        out += [part.heading, ""]
        for paragraph in part.paragraphs:
            out += [paragraph, ""]
        if part.table:
            if part.unit_note:
                out.append(part.unit_note)
            layout = table_layout(report.table(part.table))
            out += ["\t".join(_clean(cell) for cell in row) for row in grid_rows(layout, report)]
            out.append("")
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")
