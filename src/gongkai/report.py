"""The canonical annual report (`gongkai.report/1`) and what travels with it.

A `Report` holds the three tables exactly as printed (or as computed by the desk), plus
optional extras: where each cell came from, the printed row labels, the narrative
sections and figures, and the reader's notes. `to_json` writes the interchange contract
of `shared/spec/report-json.md`; extras go under additional keys that the contract allows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .formats import CellRef, Format, Kind, Table, get_format

SCHEMA = "gongkai.report/1"
TABLE_KEYS = ("proactive", "requests", "appeals")
# The long form of a report (one row per cell), as the XLSX writer's analysis sheet prints it.
LONG_HEADER = ("表", "行键", "行标签", "列键", "列标签", "值")

Value = int | str | None
Grid = dict[str, dict[str, Value]]


@dataclass
class Figure:
    """A number stated in the narrative, with the sentence that states it."""

    kind: str  # e.g. "requests_received"; see extraction.narrative.FIGURES
    value: int | str
    sentence: str
    location: dict[str, Any] = field(default_factory=dict)
    scope: str = ""  # non-empty when the figure covers only part of the agency

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "value": self.value, "sentence": self.sentence}
        if self.scope:
            data["scope"] = self.scope
        if self.location:
            data["location"] = self.location
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figure:
        return cls(
            data["kind"], data["value"], data["sentence"], data.get("location", {}), data.get("scope", "")
        )


@dataclass
class Note:
    """Something the reader wants a person to know about one place in the document."""

    code: str  # "inferred", "undecidable", "missing-row", "label-variant", ...
    message_zh: str
    message_en: str
    cell: str = ""  # canonical cell or row reference, "requests.received.total"
    location: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message_zh, "message_en": self.message_en}
        if self.cell:
            data["cell"] = self.cell
        if self.location:
            data["location"] = self.location
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Note:
        return cls(
            data["code"],
            data["message"],
            data.get("message_en", ""),
            data.get("cell", ""),
            data.get("location", {}),
        )


_NO_CELLS: dict[str, Value] = {}


def empty_grid(table: Table, value: Value = None) -> Grid:
    return {row: dict.fromkeys(columns, value) for row, columns in table.column_keys.items()}


def zero_grid(table: Table) -> Grid:
    grid = empty_grid(table, 0)
    for row in table.rows:
        for column in table.columns_of(row):
            if column.kind in (Kind.MONEY, Kind.TEXT):
                grid[row.key][column.key] = "0"
    return grid


@dataclass
class Report:
    format: str
    agency: str | None = None
    year: int | None = None
    proactive_format: str | None = None
    proactive: Grid = field(default_factory=dict)
    requests: Grid = field(default_factory=dict)
    appeals: Grid = field(default_factory=dict)
    source: str | None = None
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # "requests.received" -> printed label
    sections: dict[str, str] = field(default_factory=dict)  # "一".."六" -> text
    figures: list[Figure] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @classmethod
    def blank(
        cls, format_key: str = "2021", proactive_format: str | None = None, zero: bool = False
    ) -> Report:
        """A report whose cells are all empty (or all zero)."""
        report = cls(format=format_key, proactive_format=proactive_format)
        make = zero_grid if zero else empty_grid
        for key in TABLE_KEYS:
            setattr(report, key, make(report.table(key)))
        return report

    # -- format access -------------------------------------------------------------

    @property
    def fmt(self) -> Format:
        return get_format(self.format)

    def table(self, key: str) -> Table:
        """The declaration of one table; table 二 may follow the other format."""
        if key == "proactive" and self.proactive_format:
            return get_format(self.proactive_format).table(key)
        return self.fmt.table(key)

    def tables(self) -> list[Table]:
        return [self.table(key) for key in TABLE_KEYS]

    def grid(self, table: str) -> Grid:
        grid: Grid = getattr(self, table)
        return grid

    def get(self, ref: CellRef) -> Value:
        row = getattr(self, ref.table).get(ref.row)  # the checks ask this thousands of times a report
        return None if row is None else row.get(ref.column)

    def set(self, ref: CellRef, value: Value) -> None:
        self.grid(ref.table).setdefault(ref.row, {})[ref.column] = value

    def cells(self) -> list[tuple[CellRef, Value]]:
        return [pair for table in self.tables() for pair in self.values(table)]

    def values(self, table: Table) -> list[tuple[CellRef, Value]]:
        """Every cell of `table` with its value, row by row: one lookup per row, not per cell
        (the checks, the roll-up and the summary walk every cell of every report)."""
        grid = self.grid(table.key)
        pairs: list[tuple[CellRef, Value]] = []
        for row, refs in table.row_refs.items():
            cells = grid.get(row)
            if cells is None:
                pairs.extend((ref, None) for ref in refs)
            else:
                pairs.extend((ref, cells.get(ref.column)) for ref in refs)
        return pairs

    # -- JSON ----------------------------------------------------------------------

    def to_json(self, extras: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {"schema": SCHEMA, "format": self.format}
        if self.proactive_format:
            data["proactive_format"] = self.proactive_format
        data["agency"] = self.agency
        data["year"] = self.year
        for key in TABLE_KEYS:
            grid = self.grid(key)
            rows: dict[str, dict[str, Value]] = {}
            for row, columns in self.table(key).column_keys.items():
                cells = grid.get(row, _NO_CELLS)
                rows[row] = {column: cells.get(column) for column in columns}
            data[key] = rows
        if extras:
            if self.source:
                data["source"] = self.source
            if self.labels:
                data["labels"] = dict(self.labels)
            if self.sections:
                data["sections"] = dict(self.sections)
            if self.figures:
                data["figures"] = [f.to_json() for f in self.figures]
            if self.notes:
                data["notes"] = [n.to_json() for n in self.notes]
            if self.provenance:
                data["provenance"] = dict(self.provenance)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        schema = data.get("schema", SCHEMA)
        if schema != SCHEMA:
            raise ValueError(f"unsupported schema {schema!r}, expected {SCHEMA!r}")
        report = cls.blank(str(data["format"]), data.get("proactive_format"))
        report.agency = data.get("agency")
        report.year = data.get("year")
        for key in TABLE_KEYS:
            grid = report.grid(key)
            for row_key, columns in (data.get(key) or {}).items():
                grid.setdefault(row_key, {}).update(columns or {})
        report.source = data.get("source")
        report.labels = dict(data.get("labels", {}))
        report.sections = dict(data.get("sections", {}))
        report.figures = [Figure.from_json(f) for f in data.get("figures", [])]
        report.notes = [Note.from_json(n) for n in data.get("notes", [])]
        report.provenance = dict(data.get("provenance", {}))
        return report

    def canonical(self) -> dict[str, Any]:
        """The contract keys only: what gold files hold and round trips must keep."""
        return self.to_json(extras=False)
