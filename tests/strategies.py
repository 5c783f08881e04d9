"""Hypothesis strategies for valid annual reports of both formats.

A valid report satisfies every identity its format declares: the strategies draw the
free cells and compute the totals, so any drawn report is one a desk could publish.
"""

from __future__ import annotations

from hypothesis import strategies as st

from gongkai.formats import FORMATS, Kind
from gongkai.report import Report

AGENCIES = ("北关区曙光路街道办事处", "平潭综合实验区公安局", "淮安市洪泽区人民政府", "鲁山县汇源街道办事处")
counts = st.integers(min_value=0, max_value=999)
small = st.integers(min_value=0, max_value=30)
money = st.one_of(
    st.just("0"),
    st.decimals(min_value=0, max_value=9999, places=2, allow_nan=False).map(str),
    st.decimals(min_value=0, max_value=99, places=4, allow_nan=False).map(str),
)


@st.composite
def reports(draw: st.DrawFn, format_key: str | None = None) -> Report:
    key = format_key or draw(st.sampled_from(sorted(FORMATS)))
    mixed = draw(st.booleans()) and draw(st.booleans())
    proactive_key = ("2019" if key == "2021" else "2021") if mixed else None
    report = Report.blank(key, proactive_key, zero=True)
    report.agency = draw(st.sampled_from(AGENCIES))
    report.year = draw(st.integers(2021, 2025) if key == "2021" else st.integers(2019, 2020))

    proactive = report.table("proactive")
    for row in proactive.rows:
        for column in proactive.columns_of(row):
            if column.kind is Kind.MONEY:
                value: int | str = draw(money)
            elif column.kind is Kind.SIGNED:
                value = draw(st.integers(-50, 50))
            elif column.kind is Kind.TEXT:
                value = draw(st.sampled_from(["251000元", "45.82万元", "0"]))
            else:
                value = draw(counts)
            report.proactive[row.key][column.key] = value

    requests = report.table("requests")
    parts = [c.key for c in requests.columns if c.key != "total"]
    leaves = [r.key for r in requests.rows if r.leaf]
    grid = report.requests
    for column in parts:
        for row in leaves:
            grid[row][column] = draw(small)
        handled = sum(grid[row][column] for row in leaves)  # type: ignore[misc]
        carried_over = draw(small)
        forward = draw(small)
        received = handled + forward - carried_over
        if received < 0:
            forward -= received
            received = 0
        grid["handled_total"][column] = handled
        grid["carried_over"][column] = carried_over
        grid["carried_forward"][column] = forward
        grid["received"][column] = received
    for row in requests.rows:
        grid[row.key]["total"] = sum(grid[row.key][c] for c in parts)  # type: ignore[misc]

    for row in report.table("appeals").rows:
        cells = report.appeals[row.key]
        for column in ("upheld", "corrected", "other", "pending"):
            cells[column] = draw(small)
        cells["total"] = sum(cells[c] for c in ("upheld", "corrected", "other", "pending"))  # type: ignore[misc]
    return report


def distinct_report(
    format_key: str, agency: str = "北关区曙光路街道办事处", year: int = 2023, money: str = "1.2500"
) -> Report:
    """Every cell a distinct value, so a value written or read in the wrong place cannot pass."""
    report = Report.blank(format_key, zero=True)
    report.agency, report.year = agency, year
    for i, (ref, _) in enumerate(report.cells()):
        kind = report.table(ref.table).kinds[ref]
        report.set(ref, {Kind.MONEY: money, Kind.TEXT: "251000元"}.get(kind, 100 + i))
    return report
