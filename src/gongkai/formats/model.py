"""Building blocks for declaring a national report format as data.

A format is a set of tables; a table is rows x columns with official labels, the label
variants real reports print, and the arithmetic identities that hold between its cells.
The reader, the checks, the writers and the desk all derive their behaviour from these
declarations, so a new format year is a new declaration, not new code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from operator import itemgetter
from typing import Any, NamedTuple


class Kind(StrEnum):
    """What a cell holds."""

    COUNT = "count"  # non-negative integer
    SIGNED = "signed"  # integer that may be negative (2019 本年增/减)
    MONEY = "money"  # decimal string as printed, e.g. "0.0000"
    TEXT = "text"  # free text as printed, e.g. "251000元"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    kind: Kind = Kind.COUNT
    short: str = ""  # compact label for narrow layouts ("自然人")

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()  # empty: the table's columns
    group: str = ""  # merged label cell above this row, e.g. "（三）不予公开"
    caption: str = ""  # section caption in table 二, e.g. "第二十条第（一）项"
    leaf: bool = False  # an outcome row that (七)总计 sums

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


class CellRef(NamedTuple):
    """One cell of one table, by canonical keys. A tuple: hashed in C, which the reader needs."""

    table: str
    row: str
    column: str

    def __str__(self) -> str:
        return f"{self.table}.{self.row}.{self.column}"


Slot = tuple[CellRef, str, str, str, Kind]  # a cell, its row and column keys, canonical key, kind
Pick = Callable[[Sequence[Any]], tuple[Any, ...]]  # an identity's values out of its table's values


@dataclass(frozen=True)
class Identity:
    """sum(left) == sum(right) over cells of one table.

    `rule` names the family (row-sum, column-sum, balance, appeal-total) so that
    checks can map a broken identity to its rule id.
    """

    rule: str
    left: tuple[CellRef, ...]
    right: tuple[CellRef, ...]

    @cached_property  # the reader and the checks ask it thousands of times a report
    def cells(self) -> tuple[CellRef, ...]:
        return self.left + self.right

    @cached_property
    def keys(self) -> frozenset[str]:
        """Its cells' canonical keys, as `reading.uncertain` and provenance name cells."""
        return frozenset(map(str, self.cells))


@dataclass(frozen=True)
class Table:
    key: str  # "proactive", "requests", "appeals"
    number: str  # "二", "三", "四"
    title: str
    title_variants: tuple[str, ...]
    rows: tuple[Row, ...]
    columns: tuple[Column, ...] = ()
    identities: tuple[Identity, ...] = ()
    header_labels: tuple[str, ...] = ()  # non-row text printed inside the table
    markers: tuple[str, ...] = ()  # labels that only this format prints (detection)

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"{self.key} has no row {key!r}")

    def columns_of(self, row: Row) -> tuple[Column, ...]:
        return row.columns or self.columns

    @cached_property
    def row_refs(self) -> dict[str, tuple[CellRef, ...]]:
        """Each row's cells in column order."""
        return {r.key: tuple(CellRef(self.key, r.key, c.key) for c in self.columns_of(r)) for r in self.rows}

    @cached_property
    def column_keys(self) -> dict[str, tuple[str, ...]]:
        """Each row's column keys in order: the shape of an empty grid, made once."""
        return {row: tuple(ref.column for ref in refs) for row, refs in self.row_refs.items()}

    @cached_property
    def ref_keys(self) -> dict[CellRef, str]:
        """Each cell's canonical key, "requests.received.total"."""
        return {ref: str(ref) for refs in self.row_refs.values() for ref in refs}

    @cached_property
    def kinds(self) -> dict[CellRef, Kind]:
        return {CellRef(self.key, r.key, c.key): c.kind for r in self.rows for c in self.columns_of(r)}

    @cached_property
    def families(self) -> dict[str, tuple[tuple[Identity, Pick], ...]]:
        """The identities of each family ("row-sum", "balance"…) in declared order, each with a
        getter of its cells' values from a list of the table's values in `cells()` order (as
        `Report.values` lists them): `itemgetter` picks them in C."""
        position = {ref: index for index, ref in enumerate(self.cells())}
        grouped: dict[str, list[tuple[Identity, Pick]]] = {}
        for identity in self.identities:
            indexes = [position[ref] for ref in identity.cells]
            # itemgetter of one index gives the value itself, not a tuple of one
            pick = itemgetter(*indexes) if len(indexes) > 1 else (lambda values, i=indexes[0]: (values[i],))
            grouped.setdefault(identity.rule, []).append((identity, pick))
        return {family: tuple(members) for family, members in grouped.items()}

    def identities_within(self, refs: tuple[CellRef, ...]) -> tuple[Identity, ...]:
        """The identities all of whose cells are among `refs` (e.g. a row's own total)."""
        cache: dict[tuple[CellRef, ...], tuple[Identity, ...]] = self.__dict__.setdefault("_within", {})
        if refs not in cache:
            chosen = set(refs)
            cache[refs] = tuple(i for i in self.identities if chosen.issuperset(i.cells))
        return cache[refs]

    def slots(self, refs: tuple[CellRef, ...]) -> tuple[Slot, ...]:
        """Each of `refs` with its row and column keys, canonical key and kind, looked up once per
        group of cells: the reader fills hundreds of cells a report through these."""
        cache: dict[tuple[CellRef, ...], tuple[Slot, ...]] = self.__dict__.setdefault("_slots", {})
        if refs not in cache:
            keys, kinds = self.ref_keys, self.kinds
            cache[refs] = tuple((ref, ref.row, ref.column, keys[ref], kinds[ref]) for ref in refs)
        return cache[refs]

    def cells(self) -> list[CellRef]:
        """Every cell, row by row (a new list of the refs made once: the checks ask for it per report)."""
        return [ref for refs in self.row_refs.values() for ref in refs]

    def column(self, row: Row, key: str) -> Column:
        for column in self.columns_of(row):
            if column.key == key:
                return column
        raise KeyError(f"{self.key}.{row.key} has no column {key!r}")

    def name_zh(self) -> str:
        return f"表{self.number}"

    def row_zh(self, row_key: str) -> str:
        """How a person names a row: 表三“（七）总计”行 (group added when the label repeats)."""
        row = self.row(row_key)
        label = f"{row.group}{row.label}" if row.group else row.label
        return f"表{self.number}“{label}”行"

    def cell_zh(self, ref: CellRef) -> str:
        """How a person names a cell: 表三“（七）总计”行“自然人”列."""
        row = self.row(ref.row)
        return f"{self.row_zh(ref.row)}“{self.column(row, ref.column).label}”列"

    def cell_en(self, ref: CellRef) -> str:
        return f"table {self.number} ({self.key}), row {ref.row}, column {ref.column}"


@dataclass(frozen=True)
class Format:
    key: str  # "2021", "2019"
    name: str
    document: str  # the issuing document, e.g. 国办公开办函〔2021〕30号
    years: tuple[int, int]  # report years it applies to (inclusive)
    tables: tuple[Table, ...]
    sections: tuple[tuple[str, ...], ...] = field(default=())  # part titles with variants

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(f"format {self.key} has no table {key!r}")


def row_sums(table: str, rows: tuple[Row, ...], parts: tuple[str, ...], total: str) -> list[Identity]:
    """In each row, the `total` column equals the sum of the `parts` columns."""
    return [
        Identity(
            "row-sum",
            tuple(CellRef(table, row.key, column) for column in parts),
            (CellRef(table, row.key, total),),
        )
        for row in rows
    ]


def column_sums(
    table: str, parts: tuple[str, ...], total: str, columns: tuple[str, ...], rule: str
) -> list[Identity]:
    """In each column, the `total` row equals the sum of the `parts` rows."""
    return [
        Identity(rule, tuple(CellRef(table, row, column) for row in parts), (CellRef(table, total, column),))
        for column in columns
    ]


def balances(
    table: str, left: tuple[str, ...], right: tuple[str, ...], columns: tuple[str, ...]
) -> list[Identity]:
    """In each column, sum of the `left` rows equals sum of the `right` rows."""
    return [
        Identity(
            "balance",
            tuple(CellRef(table, row, column) for row in left),
            tuple(CellRef(table, row, column) for row in right),
        )
        for column in columns
    ]
