"""Fault injection: consistent reports stay clean; breaking any one identity names its rule and cells.

Run on reports built in memory and, for the text layout, on the same reports written out as
tab text like the seeds (gongkai.writing.text) and read back by the reader.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.checks import Context, Severity, check
from gongkai.checks.tables import RULE_OF_IDENTITY
from gongkai.extraction import extract
from gongkai.formats import CellRef, Identity
from gongkai.formats.common import APPLICANT_PARTS
from gongkai.reading import load_bytes
from gongkai.report import Report
from gongkai.writing import text

FORMATS = {"2021": 2023, "2019": 2020}
ARITHMETIC = set(RULE_OF_IDENTITY.values())
small = st.integers(min_value=0, max_value=40)


@st.composite
def consistent(draw: st.DrawFn) -> Report:
    """A report whose every declared identity holds, with random values."""
    fmt = draw(st.sampled_from(sorted(FORMATS)))
    report = Report.blank(fmt, zero=True)
    report.agency, report.year = "示例区示例街道办事处", FORMATS[fmt]
    requests = report.table("requests")
    leaves = [row.key for row in requests.rows if row.leaf]
    for column in APPLICANT_PARTS:
        for row in draw(st.lists(st.sampled_from(leaves), max_size=4)):
            report.set(CellRef("requests", row, column), draw(small))
        handled = sum(int(report.get(CellRef("requests", row, column)) or 0) for row in leaves)
        forward = draw(small)
        over = draw(st.integers(min_value=0, max_value=handled + forward))
        for row, value in (
            ("handled_total", handled),
            ("carried_forward", forward),
            ("carried_over", over),
            ("received", handled + forward - over),
        ):
            report.set(CellRef("requests", row, column), value)
    for row in requests.rows:
        total = sum(int(report.get(CellRef("requests", row.key, c)) or 0) for c in APPLICANT_PARTS)
        report.set(CellRef("requests", row.key, "total"), total)
    for row in report.table("appeals").rows:
        parts = [draw(small) for _ in range(4)]
        for column, value in zip(
            ("upheld", "corrected", "other", "pending", "total"), [*parts, sum(parts)], strict=True
        ):
            report.set(CellRef("appeals", row.key, column), value)
    return report


def identities(report: Report) -> list[Identity]:
    return [i for table in report.tables() for i in table.identities]


def broken(report: Report, index: int, delta: int) -> tuple[Report, Identity]:
    copy = Report.from_json(report.to_json())
    identity = identities(copy)[index % len(identities(copy))]
    target = identity.right[0]
    copy.set(target, int(copy.get(target) or 0) + delta)
    return copy, identity


def assert_named(report: Report, identity: Identity, context: Context | None = None) -> None:
    findings = check(report, context)
    rule = RULE_OF_IDENTITY[identity.rule]
    cells = {str(ref) for ref in identity.cells}
    assert any(f.rule == rule and f.severity is Severity.ERROR and set(f.cells) == cells for f in findings)
    assert all(f.rule in ARITHMETIC for f in findings if f.severity is Severity.ERROR and f.table)


@settings(max_examples=150, deadline=None)
@given(consistent())
def test_consistent_reports_have_no_arithmetic_finding(report: Report) -> None:
    assert [f for f in check(report) if f.rule in ARITHMETIC] == []


@settings(max_examples=300, deadline=None)
@given(consistent(), st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=9))
def test_breaking_one_identity_names_its_rule(report: Report, index: int, delta: int) -> None:
    damaged, identity = broken(report, index, delta)
    assert_named(damaged, identity)


def test_every_identity_of_both_formats_is_broken_at_least_once() -> None:
    for fmt, year in FORMATS.items():
        report = Report.blank(fmt, zero=True)
        report.agency, report.year = "示例区示例街道办事处", year
        for index in range(len(identities(report))):
            damaged, identity = broken(report, index, 1)
            assert_named(damaged, identity)


def _through_reader(report: Report) -> tuple[Report, Context]:
    data = text.write(report)
    back = extract(load_bytes(data, "report.txt"))
    return back, Context(text=load_bytes(data, "report.txt").text())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent(), st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=9))
def test_breaks_survive_the_text_layout_and_the_reader(report: Report, index: int, delta: int) -> None:
    clean, context = _through_reader(report)
    assert clean.canonical() == report.canonical()
    assert [f for f in check(clean, context) if f.severity is Severity.ERROR] == []
    damaged, identity = broken(report, index, delta)
    back, context = _through_reader(damaged)
    assert back.canonical() == damaged.canonical()
    assert_named(back, identity, context)
