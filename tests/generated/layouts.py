"""A report as the official tab-text layout, kept as cells so that converters' damage can be mimicked.

The text writer prints each table row as one line of tab-separated cells. Here the same
layout is kept as lines of `Cell`s (label text, or the reference of a value cell), so a
transformation can move labels, values and headers the way PDF converters do and the
result is still rendered with the gold values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.formats import CellRef
from gongkai.report import Report
from gongkai.writing.layout import table_layout, value_text
from gongkai.writing.narrative import parts, title


@dataclass(frozen=True)
class Cell:
    text: str = ""  # printed text of a label or header cell
    ref: CellRef | None = None  # a value cell: printed from the report

    def show(self, report: Report) -> str:
        return self.text if self.ref is None else value_text(report.get(self.ref))


Line = list[Cell]


def is_row(line: Line) -> bool:
    return any(cell.ref is not None for cell in line)


def labels_of(line: Line) -> Line:
    return [cell for cell in line if cell.ref is None and cell.text]


def values_of(line: Line) -> Line:
    return [cell for cell in line if cell.ref is not None]


@dataclass
class Laid:
    """A report's text around its three tables, and each table's lines as cells."""

    report: Report
    before: dict[str, list[str]] = field(default_factory=dict)  # lines printed before each table
    tables: dict[str, list[Line]] = field(default_factory=dict)
    after: list[str] = field(default_factory=list)  # everything after table 四 (parts 五, 六)

    @classmethod
    def of(cls, report: Report) -> Laid:
        laid = cls(report)
        pending: list[str] = [title(report), ""]
        for part in parts(report):
            pending += [part.heading, ""]
            for paragraph in part.paragraphs:
                pending += [paragraph, ""]
            if part.table:
                if part.unit_note:
                    pending.append(part.unit_note)
                laid.before[part.table] = pending
                pending = [""]
                layout = table_layout(report.table(part.table))
                grid = [[Cell() for _ in range(layout.n_cols)] for _ in range(layout.n_rows)]
                for span in layout.spans():
                    grid[span.row][span.col] = Cell(" ".join(span.text.split()), span.ref)
                laid.tables[part.table] = grid
        laid.after = pending
        return laid

    def text(self, markdown: bool = False) -> str:
        """Tab text, or Markdown table rows (`| a | b |`) when `markdown`."""
        out: list[str] = []
        for key, lines in self.tables.items():
            out += self.before[key]
            for line in lines:
                cells = [cell.show(self.report) for cell in line]
                out.append(f"| {' | '.join(cells)} |" if markdown else "\t".join(cells))
        out += self.after
        return "\n".join(out).rstrip("\n") + "\n"
