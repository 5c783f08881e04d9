"""The annual report from records equals `gongkai.tally` over the same records and keeps every identity."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.formats import get_format
from gongkai.report import Report
from gongkai.tally import AppealRecord, RequestRecord, tally
from gongkai.web.agencies.models import Agency, AgencyKind, Level
from gongkai.web.demo import generate
from gongkai.web.reports.services import build_annual_report
from gongkai.web.requests.models import Appeal, Request, State

from ..conftest import Tree, make_agency

REQUESTS = get_format("2021").table("requests")
APPLICANTS = [c.key for c in REQUESTS.columns if c.key != "total"]
OUTCOMES = [r.key for r in REQUESTS.rows if r.leaf]
YEAR = 2024
day = st.dates(min_value=date(YEAR - 2, 1, 1), max_value=date(YEAR + 1, 6, 30))
_codes = itertools.count()


@st.composite
def request_records(draw: st.DrawFn) -> RequestRecord:
    received = draw(day)
    closed = draw(st.one_of(st.none(), st.integers(0, 400).map(lambda d: received + timedelta(days=d))))
    outcome = draw(st.sampled_from(OUTCOMES)) if closed else None
    return RequestRecord(received, draw(st.sampled_from(APPLICANTS)), closed, outcome)


@st.composite
def appeal_records(draw: st.DrawFn) -> tuple[int, AppealRecord]:
    filed = draw(day)
    decided = draw(st.one_of(st.none(), st.integers(0, 300).map(lambda d: filed + timedelta(days=d))))
    result = draw(st.sampled_from(["upheld", "corrected", "other"])) if decided else None
    kind = draw(st.sampled_from(["reconsideration", "litigation_direct", "litigation_after_reconsideration"]))
    return draw(st.integers(0, 1000)), AppealRecord(kind, filed, result, decided if result else None)


histories = st.tuples(
    st.lists(request_records(), min_size=1, max_size=40), st.lists(appeal_records(), max_size=8)
)


def store(agency: Agency, requests: list[RequestRecord], appeals: list[tuple[int, AppealRecord]]) -> None:
    """Records straight into the tables, as years of service calls would have left them."""
    rows = Request.objects.bulk_create(
        [
            Request(
                agency=agency,
                applicant_kind=r.applicant,
                applicant_name="某",
                id_type="resident_id",
                id_number=str(i),
                channel="online",
                received_on=r.received,
                content="某信息",
                delivery="electronic",
                state=State.ANSWERED if r.closed else State.REGISTERED,
                outcome=r.outcome,
                closed_on=r.closed,
            )
            for i, r in enumerate(requests)
        ]
    )
    Appeal.objects.bulk_create(
        Appeal(
            request=rows[pick % len(rows)],
            kind=a.kind,
            filed_on=a.filed,
            result=a.result,
            decided_on=a.decided,
        )
        for pick, a in appeals
    )


def identities_hold(report: Report) -> bool:
    for table in (report.table("requests"), report.table("appeals")):
        for identity in table.identities:
            left = sum(int(report.get(ref) or 0) for ref in identity.left)
            right = sum(int(report.get(ref) or 0) for ref in identity.right)
            if left != right:
                return False
    return True


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories, other=histories)
def test_report_equals_tally_and_rollup_is_a_sum(tree: Tree, history: tuple, other: tuple) -> None:
    n = next(_codes)
    parent = make_agency(f"区{n}", Level.COUNTY, AgencyKind.GOVERNMENT, tree.city)
    child = make_agency(f"街道{n}", Level.TOWNSHIP, AgencyKind.TOWNSHIP, parent)
    store(parent, *history)
    store(child, *other)
    for year in (YEAR - 1, YEAR, YEAR + 1):
        built = build_annual_report(parent, year)
        expected = tally(history[0], [a for _, a in history[1]], year)
        assert built.requests == expected.requests
        assert built.appeals == expected.appeals
        assert identities_hold(built)
        rollup = build_annual_report(parent, year, rollup=True)
        together = tally(history[0] + other[0], [a for _, a in history[1] + other[1]], year)
        assert rollup.requests == together.requests and rollup.appeals == together.appeals
        nxt = build_annual_report(parent, year + 1)
        assert {k: v for k, v in nxt.requests["carried_over"].items()} == built.requests["carried_forward"]


def test_next_years_carry_over_is_this_years_carry_forward_for_every_agency(db: None) -> None:
    generate(agencies=20, requests=600, year=2024, seed=7, today=date(2025, 8, 1))
    for agency in Agency.objects.all():
        for rollup in (False, True):
            this = build_annual_report(agency, 2024, rollup)
            assert (
                build_annual_report(agency, 2025, rollup).requests["carried_over"]
                == this.requests["carried_forward"]
            )
            assert identities_hold(this)
    root = Agency.objects.get(parent=None)
    assert build_annual_report(root, 2024, rollup=True).requests["received"]["total"] > 0
