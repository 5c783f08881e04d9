"""Tables 三 and 四 from records: identities hold by construction and equal a plain recount."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks import check
from gongkai.formats import get_format
from gongkai.tally import AppealRecord, RequestRecord, build, count, tally

REQUESTS = get_format("2021").table("requests")
APPLICANTS = [c.key for c in REQUESTS.columns if c.key != "total"]
OUTCOMES = [r.key for r in REQUESTS.rows if r.leaf]
YEAR = 2024
day = st.dates(min_value=date(YEAR - 2, 1, 1), max_value=date(YEAR + 1, 6, 30))


@st.composite
def request_records(draw: st.DrawFn) -> RequestRecord:
    received = draw(day)
    closed = draw(st.one_of(st.none(), st.integers(0, 400).map(lambda d: received + timedelta(days=d))))
    outcome = draw(st.sampled_from(OUTCOMES)) if closed else None
    return RequestRecord(received, draw(st.sampled_from(APPLICANTS)), closed, outcome)


@st.composite
def appeal_records(draw: st.DrawFn) -> AppealRecord:
    filed = draw(day)
    decided = draw(st.one_of(st.none(), st.integers(0, 300).map(lambda d: filed + timedelta(days=d))))
    result = draw(st.sampled_from(["upheld", "corrected", "other"])) if decided else None
    kind = draw(st.sampled_from(["reconsideration", "litigation_direct", "litigation_after_reconsideration"]))
    return AppealRecord(kind, filed, result, decided)


histories = st.tuples(st.lists(request_records(), max_size=60), st.lists(appeal_records(), max_size=12))


def recount(records: list[RequestRecord], year: int) -> dict[str, dict[str, int]]:
    """Table 三 by the plainest reading of the format, one request at a time."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    table = {row.key: dict.fromkeys([*APPLICANTS, "total"], 0) for row in REQUESTS.rows}

    def add(row: str, applicant: str) -> None:
        table[row][applicant] += 1
        table[row]["total"] += 1

    for r in records:
        open_at_start = r.received < start and (r.closed is None or r.closed >= start)
        if start <= r.received <= end:
            add("received", r.applicant)
        if open_at_start:
            add("carried_over", r.applicant)
        if (start <= r.received <= end or open_at_start) and r.closed and r.closed <= end:
            assert r.outcome
            add(r.outcome, r.applicant)
            add("handled_total", r.applicant)
        if r.received <= end and (r.closed is None or r.closed > end):
            add("carried_forward", r.applicant)
    return table


@settings(max_examples=200, deadline=None)
@given(histories)
def test_table_three_holds_every_identity_and_equals_a_recount(history: tuple) -> None:
    requests, appeals = history
    report = tally(requests, appeals, YEAR)
    assert report.requests == recount(requests, YEAR)
    findings = check(report)
    assert not [f for f in findings if f.rule in ("R1", "R2", "R3", "R4")]


@settings(max_examples=100, deadline=None)
@given(histories)
def test_next_years_carry_over_is_this_years_carry_forward(history: tuple) -> None:
    requests, appeals = history
    this = tally(requests, appeals, YEAR)
    following = tally(requests, appeals, YEAR + 1)
    assert following.requests["carried_over"] == this.requests["carried_forward"]


@settings(max_examples=100, deadline=None)
@given(histories, histories)
def test_a_roll_up_is_the_sum_of_its_agencies(one: tuple, two: tuple) -> None:
    a, b = count(*one, YEAR), count(*two, YEAR)
    together = build(a + b)
    separately = (build(a), build(b))
    for row, cells in together.requests.items():
        for column, value in cells.items():
            assert value == sum(int(r.requests[row][column] or 0) for r in separately)


def test_2019_format_merges_the_three_other_outcomes() -> None:
    records = [
        RequestRecord(date(2020, 3, 2), "natural_person", date(2020, 3, 20), "other_no_supplement"),
        RequestRecord(date(2020, 3, 2), "commercial", date(2020, 4, 1), "other_unpaid_fee"),
    ]
    report = tally(records, [], 2020)
    assert report.format == "2019"
    assert report.requests["other"] == {
        **dict.fromkeys(APPLICANTS, 0),
        "natural_person": 1,
        "commercial": 1,
        "total": 2,
    }


def test_appeals_count_by_result_as_of_the_year_end() -> None:
    appeals = [
        AppealRecord("reconsideration", date(YEAR, 2, 1), "upheld", date(YEAR, 5, 1)),
        AppealRecord("reconsideration", date(YEAR, 11, 1), "corrected", date(YEAR + 1, 1, 10)),
        AppealRecord("litigation_direct", date(YEAR - 1, 11, 1), "upheld", date(YEAR, 1, 10)),
    ]
    report = tally([], appeals, YEAR)
    assert report.appeals["reconsideration"] == {
        "upheld": 1,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 2,
    }
    assert report.appeals["litigation_direct"]["total"] == 0
