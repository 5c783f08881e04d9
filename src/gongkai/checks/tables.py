"""Checks on the three tables as printed: their identities, values, template and labels.

The arithmetic rules are not written here: each identity the format declares
(`Table.identities`) is evaluated and a broken one is reported under the rule its family
maps to, so a new format year brings its own arithmetic with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation

from ..formats import CellRef, Identity, Kind, Table, format_for_year, get_format
from ..formats.common import APPLICANT_COLUMNS
from ..report import Report, Value
from .levels import Level, level_of
from .model import Context, Finding, Rule, Severity
from .reading import NO_TABLE, uncertain

RULE_OF_IDENTITY = {"balance": "R1", "leaf-sum": "R2", "row-sum": "R3", "appeal-total": "R4"}
FAMILIES_OF_RULE = {
    rule: tuple(f for f, r in RULE_OF_IDENTITY.items() if r == rule) for rule in RULE_OF_IDENTITY.values()
}
NOT_CHECKABLE_ZH = "{where}：{blank}留空，无法核对"
NOT_CHECKABLE_EN = "{where}: {blank_en} printed empty, not checkable"
_NO_ROW: Mapping[str, Value] = {}


def place(table: Table, identity: Identity) -> str:
    """The Chinese name of where an identity lives: one cell, one column or one row."""
    rows = {ref.row for ref in identity.cells}
    columns = {ref.column for ref in identity.cells}
    if len(columns) == 1 and len(identity.right) == 1:
        return table.cell_zh(identity.right[0])
    if len(columns) == 1:
        ref = identity.cells[0]
        return f"表{table.number}“{table.column(table.row(ref.row), ref.column).label}”列"
    if len(rows) == 1:
        return table.row_zh(identity.cells[0].row)
    return table.name_zh()


def _short(table: Table, ref: CellRef, identity: Identity) -> str:
    """A blank cell named by what varies within the identity (its row, or its column)."""
    row = table.row(ref.row)
    if len({r.row for r in identity.cells}) == 1:
        return f"“{table.column(row, ref.column).label}”"
    return f"“{row.group}{row.label}”"


def _sums(identity: Identity, values: Sequence[Value]) -> tuple[int, int] | None:
    """The identity's two sides over its cells' `values`; None when a cell is blank or not a count."""
    counts = [v for v in values if isinstance(v, int)]
    if len(counts) != len(values):
        return None
    split = len(identity.left)
    return sum(counts[:split]), sum(counts[split:])


def _holds(report: Report, identity: Identity) -> bool | None:
    """Whether the identity holds; None when a cell is blank or not a count."""
    sums = _sums(identity, [report.get(ref) for ref in identity.cells])
    return None if sums is None else sums[0] == sums[1]


def unchecked(report: Report, unsure: Mapping[str, str]) -> Iterator[tuple[Table, Identity, list[CellRef]]]:
    """Identities the reader's uncertainty leaves open, each with its uncertain cells.

    An identity with a cell the reader could not read cannot be evaluated; one with an
    inferred cell is only in doubt when it fails (the inference assumed it holds). Either
    way the outcome is the reader's, so it is reported as such (X-UNCHECKED), never under
    the identity's own rule.
    """
    if not unsure:
        return
    for table in report.tables():
        for identity in table.identities:
            doubt = [ref for ref in identity.cells if str(ref) in unsure]
            if doubt and (any(report.get(ref) is None for ref in doubt) or _holds(report, identity) is False):
                yield table, identity, doubt


def table_values(report: Report, table: Table, context: Context) -> list[tuple[CellRef, Value]]:
    """`report.values(table)`, listed once per check run: the value, blank-cell and identity rules walk it."""
    return context.remembered(report, f"values {table.key}", lambda: report.values(table))


def cell_values(report: Report, table: Table, context: Context) -> list[Value]:
    """The values alone of `table_values`, in the same order, for the identities' getters."""
    return context.remembered(
        report,
        f"cell values {table.key}",
        lambda: [value for _, value in table_values(report, table, context)],
    )


def check_identities(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Every declared identity of the rule's family; one with a blank cell is not checkable, not broken.

    An identity that involves a cell the reader could not read or had to infer is left to
    X-UNCHECKED: the agency is not told its arithmetic is broken, nor that it left a cell empty.
    """
    unsure = uncertain(report, context)
    families = FAMILIES_OF_RULE.get(rule.id, ())
    for table in report.tables():
        cells = cell_values(report, table, context)
        for identity, values_of in (i for family in families for i in table.families.get(family, ())):
            if unsure and any(key in unsure for key in identity.keys):
                continue
            refs = identity.cells
            values = values_of(cells)  # hundreds of times a report
            if None in values:
                blank = [ref for ref, value in zip(refs, values, strict=True) if value is None]
                names = (
                    "全部单元格"
                    if len(blank) == len(values)
                    else "、".join(_short(table, r, identity) for r in blank)
                )
                yield Finding(
                    rule.id,
                    Severity.NOTICE,
                    NOT_CHECKABLE_ZH.format(where=place(table, identity), blank=names),
                    NOT_CHECKABLE_EN.format(
                        where=table.cell_en(identity.right[0]), blank_en=", ".join(map(str, blank))
                    ),
                    table.key,
                    tuple(map(str, refs)),
                )
                continue
            sums = _sums(identity, values)
            if sums is None or sums[0] == sums[1]:
                continue  # holds (or is no arithmetic): nothing to name
            yield rule.finding(
                table.key,
                [str(ref) for ref in refs],
                where=place(table, identity),
                left=sums[0],
                right=sums[1],
                en=table.cell_en(identity.right[0]),
            )


def check_unchecked(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Identities left open by cells the reader could not read or had to infer: one finding per row.

    The finding names the uncertain cells and how many identities were therefore not
    checked, and says in so many words that this is a reading problem, not the agency's.
    """
    unsure = uncertain(report, context)
    groups: dict[tuple[str, str], tuple[Table, set[CellRef], set[str], int]] = {}
    for table, identity, doubt in unchecked(report, unsure):
        reason = unsure[str(doubt[0])]
        whole = reason == NO_TABLE
        key = (table.key, "" if whole else doubt[0].row)
        _, cells, rules, count = groups.get(key, (table, set(), set(), 0))
        groups[key] = (table, cells | set(doubt), rules | {RULE_OF_IDENTITY[identity.rule]}, count + 1)
    for (table_key, row), (table, cells, rules, count) in groups.items():
        ordered = [ref for ref in table.cells() if ref in cells]
        reasons = "、".join(dict.fromkeys(unsure[str(ref)] for ref in ordered))
        where = table.row_zh(row) if row else table.name_zh()
        yield rule.finding(
            table_key,
            [str(ref) for ref in ordered],
            where=where,
            reason=reasons,
            count=count,
            rules="、".join(sorted(rules, key=lambda r: int(r[1:]))),
            en=table.cell_en(ordered[0]) if row else f"table {table.number}",
        )


def _money(value: Value) -> Decimal | None:
    if not isinstance(value, str):
        return None
    try:
        return Decimal(value.replace(",", "").strip())
    except InvalidOperation:
        return None


def check_values(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Counts are non-negative integers and money a non-negative decimal; text cells are free."""
    for table in report.tables():
        kinds = table.kinds
        for ref, value in table_values(report, table, context):
            if value is None or (value.__class__ is int and value >= 0):  # fits every kind: most cells
                continue
            kind = kinds[ref]
            if kind is Kind.TEXT:
                continue
            if kind is Kind.MONEY:
                amount = _money(value)
                bad = amount is None or amount < 0
            elif kind is Kind.SIGNED:
                bad = not isinstance(value, int)
            else:
                bad = not isinstance(value, int) or value < 0
            if bad:
                yield rule.finding(table.key, [str(ref)], cell=table.cell_zh(ref), value=value, en=str(ref))


def _marker_rows(key: str, wrong: str, right: str) -> list[str]:
    """Rows the wrong template has and the right one lacks: the visible sign of the mistake."""
    have = get_format(wrong).table(key)
    lack = {row.key for row in get_format(right).table(key).rows}
    return [f"“{row.label}”" for row in have.rows if row.key not in lack]


def check_template(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Each table follows the template of the report's year; a mixed report is wrong in the odd table."""
    if report.year is None:
        return
    due = format_for_year(report.year)
    used = {"proactive": report.proactive_format or report.format, "requests": report.format}
    for key, fmt in used.items():
        if fmt == due.key:
            continue
        table = report.table(key)
        signs = "、".join(_marker_rows(key, fmt, due.key)) or "栏目设置"
        yield rule.finding(
            key,
            [],
            name=table.name_zh(),
            used=get_format(fmt).document,
            year=report.year,
            due=due.document,
            signs=signs,
            key=key,
        )


FEE_ROW, FEE_COLUMN = "fees", "amount_10k_yuan"
# 万元 above which a fee total stops being plausible for the level (warning), and above
# which it is worth a second look (notice). A street office or township collects almost no
# administrative fees itself; 1,000万元 (10 million yuan) would exceed its whole budget.
# A county or district government reporting for all its departments can reach some
# thousand 万元 (hzq2024 prints 7545 for 洪泽区), so only 100,000万元 (1 billion yuan) is
# implausible there; each level up allows ten times more.
FEE_LIMITS = {
    Level.TOWNSHIP: (Decimal(100), Decimal(1000)),
    Level.COUNTY: (Decimal(1000), Decimal(100000)),
    Level.CITY: (Decimal(10000), Decimal(1000000)),
    Level.PROVINCE: (Decimal(100000), Decimal(10000000)),
}


def check_fee_magnitude(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """A fee in 万元 far above what the body's level can collect was probably typed in 元."""
    table = report.table("proactive")
    if not any(row.key == FEE_ROW and FEE_COLUMN in {c.key for c in row.columns} for row in table.rows):
        return
    ref = CellRef("proactive", FEE_ROW, FEE_COLUMN)
    amount = _money(report.get(ref))
    level = level_of(report.agency)
    if amount is None or level not in FEE_LIMITS:
        return
    notice, warning = FEE_LIMITS[level]
    if amount <= notice:
        return
    severity = Severity.WARNING if amount > warning else Severity.NOTICE
    limit = warning if amount > warning else notice
    yield rule.finding(
        "proactive",
        [str(ref)],
        severity,
        cell=table.cell_zh(ref),
        value=report.get(ref),
        level=level.zh,
        limit=limit,
        yuan=amount / 10000,
        level_en=level.name.lower(),
    )


SUBTOTAL = re.compile(r"小计|法人或其他组织合计")


def check_extra_rows(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Subtotal rows or columns are not in the national tables; their presence changes the layout."""
    for number, key in (("二", "proactive"), ("三", "requests"), ("四", "appeals")):
        match = SUBTOTAL.search(report.sections.get(number, ""))
        if match:
            yield rule.finding(key, [], name=report.table(key).name_zh(), text=match.group(), key=key)


def check_empty_column(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """A column with outcomes but no applications: the counts went into the wrong column or year."""
    table = report.table("requests")
    heads = ("received", "carried_over")
    unsure = uncertain(report, context)
    grid = report.grid("requests")
    for column in APPLICANT_COLUMNS:
        applied = [grid.get(key, _NO_ROW).get(column.key) for key in heads]
        if any(value is None for value in applied) or any(applied):
            continue  # most columns: applications were counted
        values = {row.key: grid.get(row.key, _NO_ROW).get(column.key) for row in table.rows}
        if any(str(CellRef("requests", key, column.key)) in unsure for key in heads):
            continue  # "no applications" would rest on the reader's guess
        busy = [
            key for key, value in values.items() if key not in heads and isinstance(value, int) and value > 0
        ]
        if busy:
            yield rule.finding(
                "requests",
                [str(CellRef("requests", key, column.key)) for key in (*heads, *busy)],
                column=column.label,
                rows="、".join(f"“{table.row(key).label}”" for key in busy[:3]),
                column_en=column.key,
            )


def check_labels(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Printed labels that differ from the national format, as the reader noted them."""
    for note in report.notes:
        if note.code == "label-variant":
            table = note.cell.split(".", 1)[0]
            yield rule.finding(table, [note.cell], message=note.message_zh, message_en=note.message_en)


def check_blank(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Cells printed empty: the format expects 0 there. A cell the reader could not read is not one."""
    unsure = uncertain(report, context)
    for table in report.tables():
        blank = [
            str(ref)
            for ref, value in table_values(report, table, context)
            if value is None and str(ref) not in unsure and table.kinds[ref] is not Kind.TEXT
        ]
        if blank:
            yield rule.finding(table.key, blank, name=table.name_zh(), count=len(blank), key=table.key)
