"""R11: the numbers the prose states against the cells of the tables.

A figure is compared only when it speaks for the whole agency: a figure with a scope
(one office, one channel, one quarter, "其中") is a part, and a part that differs from
the whole is not a contradiction. Even an unscoped figure is only an error when no other
figure of the same kind in the text agrees with the table; prose often states a total
and then a subtotal in words the scope patterns miss, and a false accusation costs more
than a missed one.

"收到申请 N 件" is read both ways reports use it: the year's new requests (一), or every
request on the desk (一 + 二, new plus carried over from last year); either agrees.
A cell the reader could not read is not compared, and one it inferred only gives a notice.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from ..formats import CellRef
from ..report import Figure, Report
from .model import Context, Finding, Rule, Severity
from .reading import INFERRED, uncertain

FIGURE_CELLS: dict[str, tuple[tuple[str, ...], str]] = {
    "requests_received": (("requests.received.total",), "本年新收申请"),
    "requests_carried_over": (("requests.carried_over.total",), "上年结转申请"),
    "requests_carried_forward": (("requests.carried_forward.total",), "结转下年度的申请"),
    "reconsideration": (("appeals.reconsideration.total",), "行政复议"),
    "litigation": (
        ("appeals.litigation_direct.total", "appeals.litigation_after_reconsideration.total"),
        "行政诉讼",
    ),
}
# Other sums of cells a figure of the kind may state, besides its own cells.
ALSO: dict[str, tuple[tuple[str, ...], ...]] = {
    "requests_received": (("requests.received.total", "requests.carried_over.total"),),
}
FEE_CELL = "proactive.fees.amount_10k_yuan"


def _ref(key: str) -> CellRef:
    table, row, column = key.split(".")
    return CellRef(table, row, column)


def _table_value(report: Report, keys: tuple[str, ...]) -> int | None:
    values = [report.get(_ref(key)) for key in keys]
    if not all(isinstance(v, int) for v in values):
        return None
    return sum(int(v or 0) for v in values)


def _parts_sum(report: Report, keys: tuple[str, ...]) -> int | None:
    """The sum of the parts the table declares for a single total cell (e.g. its six applicant columns).

    When the prose equals that sum, the printed total is what is wrong (R3 says so) and the
    prose is right: reporting it again as a contradiction would accuse the text falsely.
    """
    if len(keys) != 1:
        return None
    ref = _ref(keys[0])
    for identity in report.table(ref.table).identities:
        if identity.right == (ref,):
            values = [report.get(part) for part in identity.left]
            if all(isinstance(v, int) for v in values):
                return sum(int(v or 0) for v in values)
    return None


def check_figures(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Whole-agency figures equal their cells; a scoped figure is never a contradiction."""
    by_kind: dict[str, list[Figure]] = {}
    for figure in report.figures:
        if figure.kind in FIGURE_CELLS and isinstance(figure.value, int):
            by_kind.setdefault(figure.kind, []).append(figure)
    doubtful = uncertain(report, context)
    for kind, figures in by_kind.items():
        keys, name = FIGURE_CELLS[kind]
        cell = _table_value(report, keys)
        if cell is None or any(doubtful.get(key) not in (None, INFERRED) for key in keys):
            continue
        readings = {cell, *(v for alt in ALSO.get(kind, ()) if (v := _table_value(report, alt)) is not None)}
        whole = [f for f in figures if not f.scope]
        agreed = any(f.value in readings for f in figures)
        detail = _parts_sum(report, keys)
        inferred = any(key in doubtful for key in keys)
        shown: int | str = cell
        if len(readings) > 1:
            shown = f"{cell}（加上年结转为 {max(readings)}）"
        for figure in whole:
            if figure.value in readings:
                continue
            unsure = agreed or figure.value == detail or inferred
            yield _finding(rule, report, figure, keys, name, shown, Severity.NOTICE if unsure else None)
    yield from _fees(rule, report)


def _finding(
    rule: Rule,
    report: Report,
    figure: Figure,
    keys: tuple[str, ...],
    name: str,
    cell: int | str,
    severity: Severity | None,
) -> Finding:
    table = keys[0].split(".")[0]
    where = "＋".join(report.table(table).cell_zh(_ref(key)) for key in keys)
    section = figure.location.get("section", "")
    return rule.finding(
        table,
        keys,
        severity,
        section=section,
        sentence=figure.sentence,
        what=name,
        value=figure.value,
        where=where,
        cell=cell,
        kind=figure.kind,
    )


def _fees(rule: Rule, report: Report) -> Iterator[Finding]:
    """Information-processing fees are administrative fees: the prose cannot exceed table 二's total.

    Only a warning: what (八) must cover is not specified, so a mismatch is a question, not a fault.
    """
    printed = report.get(_ref(FEE_CELL))
    if printed is None:
        return  # a 2019-shape table 二 counts fee items, not money
    try:
        amount = Decimal(str(printed)) * 10000
    except InvalidOperation:
        return
    for figure in report.figures:
        if figure.kind != "fee_yuan" or figure.scope or not isinstance(figure.value, int):
            continue
        if figure.value > amount:
            yield _finding(
                rule,
                report,
                figure,
                (FEE_CELL,),
                "收取的信息处理费（元）",
                f"{printed}万元（{amount.normalize():f}元）",
                Severity.WARNING,
            )
