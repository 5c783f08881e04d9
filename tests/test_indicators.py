"""Indicators: each equals its definition computed by hand, and is None below its minimum sample."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from gongkai.formats import CellRef
from gongkai.indicators import BY_ID, INDICATORS, Measure, Standing, measure_all, rank
from gongkai.report import Report

from .strategies import reports


def _cell(report: Report, table: str, row: str, column: str = "total") -> int:
    value = report.get(CellRef(table, row, column))
    assert isinstance(value, int)
    return value


def by_hand(report: Report) -> dict[str, tuple[int, int]]:
    """Numerator and denominator of each indicator, written out from the definitions' words."""
    r = lambda row: _cell(report, "requests", row)  # noqa: E731
    a = lambda row, column: _cell(report, "appeals", row, column)  # noqa: E731
    withheld = [row.key for row in report.table("requests").rows if row.group == "（三）不予公开"]
    appeals = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
    decided = ("upheld", "corrected", "other")
    return {
        "substantive_disclosure": (r("disclosed") + r("partly_disclosed"), r("handled_total")),
        "withheld": (sum(r(row) for row in withheld), r("handled_total")),
        "not_held": (r("unavailable_not_held"), r("handled_total")),
        "reconsideration_corrected": (
            a("reconsideration", "corrected"),
            sum(a("reconsideration", c) for c in decided),
        ),
        "corrected": (
            sum(a(g, "corrected") for g in appeals),
            sum(a(g, c) for g in appeals for c in decided),
        ),
        "carried_forward": (r("carried_forward"), r("received") + r("carried_over")),
    }


@given(reports())
def test_every_indicator_equals_its_definition_or_is_none_below_the_minimum(report: Report) -> None:
    measured = measure_all(report)
    assert set(measured) == {i.id for i in INDICATORS if not i.desk_only}
    for key, (above, below) in by_hand(report).items():
        measure = measured[key]
        assert (measure.numerator, measure.denominator) == (above, below)
        if below < BY_ID[key].minimum:
            assert measure.value is None and "样本不足" in measure.reason
        else:
            assert measure.value == Fraction(above, below) and measure.reason == ""


def test_an_empty_year_has_no_value_for_any_indicator_and_says_why() -> None:
    for measure in measure_all(Report.blank("2019", zero=True)).values():
        minimum = measure.indicator.minimum
        assert measure.value is None and measure.reason == f"样本不足：分母 0，少于 {minimum}"


def test_on_time_rate_needs_the_desks_figures_and_its_minimum() -> None:
    report = Report.blank("2021", zero=True)
    assert "on_time" not in measure_all(report)
    assert measure_all(report, {"desk.closed_on_time": 18, "desk.closed": 20})["on_time"].percent == 90.0
    small = measure_all(report, {"desk.closed_on_time": 3, "desk.closed": 4})["on_time"]
    assert small.value is None and small.reason == "样本不足：分母 4，少于 10"


def test_an_unread_cell_gives_none_naming_the_cell() -> None:
    report = Report.blank("2021", zero=True)
    report.set(CellRef("requests", "handled_total", "total"), None)
    measure = measure_all(report)["not_held"]
    assert measure.value is None and "requests.handled_total.total" in measure.reason


def test_rankings_share_positions_on_ties_and_leave_out_agencies_without_a_value() -> None:
    def with_disclosed(disclosed: int, handled: int) -> Report:
        report = Report.blank("2021", zero=True)
        report.set(CellRef("requests", "disclosed", "total"), disclosed)
        report.set(CellRef("requests", "handled_total", "total"), handled)
        return report

    agencies = {"甲": (10, 20), "乙": (15, 20), "丙": (5, 10), "丁": (3, 4)}
    measures = [(n, measure_all(with_disclosed(*v))["substantive_disclosure"]) for n, v in agencies.items()]
    ranked = rank(measures)
    assert [(r.position, r.name) for r in ranked] == [(1, "乙"), (2, "丙"), (2, "甲")]
    assert [r.name for r in rank(measures, highest_first=False)] == ["丙", "甲", "乙"]


@st.composite
def scored(draw: st.DrawFn) -> list[tuple[str, Measure]]:
    """Agencies with one indicator's measure: few distinct values (so ties), some without a value."""
    indicator = INDICATORS[0]
    names = draw(st.lists(st.sampled_from("甲乙丙丁戊己庚辛"), max_size=40))
    result = []
    for index, name in enumerate(names):
        below = draw(st.integers(1, 6))
        above = draw(st.integers(0, below))
        value = None if draw(st.integers(0, 5)) == 0 else Fraction(above, below)
        result.append((f"{name}{index % 3}", Measure(indicator, value, above, below, "")))
    return result


@given(scored(), st.integers(1, 6))
def test_a_standing_built_one_agency_at_a_time_shows_the_ends_of_the_whole_ranking(
    measures: list[tuple[str, Measure]], keep: int
) -> None:
    standing = Standing(keep)
    for name, measure in measures:
        standing.add(name, measure)
    ranked = rank(measures)
    ends = ranked if len(ranked) <= 2 * keep else [*ranked[:keep], *ranked[-keep:]]
    assert [(r.position, r.name, r.measure) for r in standing.ends()] == [
        (r.position, r.name, r.measure) for r in ends
    ]
    assert standing.missing == sum(m.value is None for _, m in measures)
    assert sorted(standing.percents()) == sorted(m.percent for _, m in measures if m.percent is not None)
