"""Lateness as a supervisor counts it: from the day of the first filing, in Beijing time."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from gongkai.report import Report
from gongkai.web.core.errors import InvalidInput
from gongkai.web.oversight import selectors, services
from gongkai.web.oversight.selectors import days_late

from ..conftest import Tree
from .conftest import CORPUS, YEAR, consistent

BEIJING = ZoneInfo("Asia/Shanghai")
DUE = date(YEAR + 1, 1, 31)  # a township's default deadline for the report on YEAR


def at(monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    """The server's clock set to `when` (the filing and review services read it)."""
    monkeypatch.setattr(services.timezone, "now", lambda: when)


def file_at(
    monkeypatch: pytest.MonkeyPatch, tree: Tree, when: datetime, report: Report | None = None
) -> None:
    at(monkeypatch, when)
    services.submit(tree.head, tree.street, YEAR, report or consistent(tree), acknowledged=True)


def street(tree: Tree, today: date) -> selectors.Row:
    view = selectors.overview(tree.district, YEAR, today=today)
    return next(r for r in view.rows if r.pk == tree.street.pk)


def test_filed_late_in_the_evening_of_the_deadline_is_on_time(
    monkeypatch: pytest.MonkeyPatch, tree: Tree
) -> None:
    # 23:59 in Beijing is 15:59 UTC on the same day; the day that counts is Beijing's.
    file_at(monkeypatch, tree, datetime(YEAR + 1, 1, 31, 23, 59, tzinfo=BEIJING))
    row = street(tree, today=date(YEAR + 1, 3, 1))
    assert row.submitted_on == DUE and not row.late
    html = selectors.overview(tree.district, YEAR, today=date(YEAR + 1, 3, 1))
    assert tree.street.name not in [r.name for r in html.late]


def test_filed_just_after_midnight_beijing_is_a_day_late(monkeypatch: pytest.MonkeyPatch, tree: Tree) -> None:
    # 00:01 on 1 February in Beijing is still 31 January in UTC.
    file_at(monkeypatch, tree, datetime(YEAR + 1, 2, 1, 0, 1, tzinfo=BEIJING))
    row = street(tree, today=date(YEAR + 1, 3, 1))
    assert row.submitted_on == date(YEAR + 1, 2, 1) and row.days_late == 1


def test_returned_then_filed_again_after_the_deadline_stays_on_time(
    monkeypatch: pytest.MonkeyPatch, tree: Tree
) -> None:
    report = consistent(tree)
    file_at(monkeypatch, tree, datetime(YEAR + 1, 1, 20, 10, tzinfo=BEIJING), report)
    sub = selectors.submission_of(tree.street, YEAR)
    assert sub is not None
    at(monkeypatch, datetime(YEAR + 1, 1, 30, 10, tzinfo=BEIJING))
    services.return_submission(tree.supervise, sub, "第五部分请补充")
    report.sections["五"] = "存在的主要问题已补充。"
    file_at(monkeypatch, tree, datetime(YEAR + 1, 2, 15, 10, tzinfo=BEIJING), report)
    row = street(tree, today=date(YEAR + 1, 3, 1))
    assert row.submitted_on == date(YEAR + 1, 1, 20) and not row.late and row.filed


def test_first_filed_after_the_deadline_is_late_even_once_accepted(
    monkeypatch: pytest.MonkeyPatch, tree: Tree, client: Client
) -> None:
    file_at(monkeypatch, tree, datetime(YEAR + 1, 2, 10, 9, tzinfo=BEIJING))
    sub = selectors.submission_of(tree.street, YEAR)
    assert sub is not None
    services.accept(tree.supervise, sub)
    row = street(tree, today=date(YEAR + 1, 3, 1))
    assert row.status == "accepted" and row.days_late == 10
    client.force_login(tree.head)  # the agency sees the same day and count on its filing page
    page = client.get(f"/oversight/file/{tree.street.pk}/{YEAR}/").content.decode()
    assert f"首次报送：{YEAR + 1}-02-10（逾期 10 天）" in page


def test_never_filed_is_missing_and_late_only_after_the_deadline_day(tree: Tree) -> None:
    on_the_day = selectors.overview(tree.district, YEAR, today=DUE)
    assert {r.name for r in on_the_day.missing} == {tree.street.name, tree.other.name}
    assert on_the_day.late == []
    after = selectors.overview(tree.district, YEAR, today=DUE + timedelta(days=5))
    assert {r.name: r.days_late for r in after.late} == {tree.street.name: 5, tree.other.name: 5}


def test_a_report_filed_for_the_wrong_year_does_not_count(
    monkeypatch: pytest.MonkeyPatch, tree: Tree
) -> None:
    at(monkeypatch, datetime(YEAR + 1, 1, 10, tzinfo=BEIJING))
    last_year = consistent(tree, year=YEAR - 1)
    with pytest.raises(InvalidInput, match="年度"):  # last year's report offered as this year's
        services.submit(tree.head, tree.street, YEAR, last_year, acknowledged=True)
    services.submit(tree.head, tree.street, YEAR - 1, last_year, acknowledged=True)  # filed for its year
    view = selectors.overview(tree.district, YEAR, today=DUE + timedelta(days=1))
    assert tree.street.name in [r.name for r in view.missing]
    assert next(r for r in view.late if r.pk == tree.street.pk).submitted_on is None


def test_a_collected_report_is_filed_on_the_day_it_was_received(tree: Tree) -> None:
    seed = (CORPUS / "seeds" / "000_e754f61d84ee7fec.txt").read_bytes()
    year = Report.from_json(
        json.loads((CORPUS / "seeds" / "000_e754f61d84ee7fec.gold.json").read_text())
    ).year
    assert year is not None
    due = date(year + 1, 1, 31)
    with pytest.raises(InvalidInput, match="收到日期"):
        services.collect(
            tree.supervise, tree.district, year, [("a.txt", seed)], date.today() + timedelta(days=2)
        )
    # Sent on the deadline day, uploaded long after: on time.
    done = services.collect(tree.supervise, tree.district, year, [("a.txt", seed)], due)
    services.confirm(tree.supervise, done.uploads[0], tree.other, year)
    view = selectors.overview(tree.district, year, today=due + timedelta(days=60))
    other = next(r for r in view.rows if r.pk == tree.other.pk)
    assert other.submitted_on == due and not other.late


def test_the_lists_say_which_dates_they_count(client: Client, tree: Tree) -> None:
    client.force_login(tree.supervise)
    html = client.get(f"/oversight/region/{tree.district.pk}/{YEAR}/").content.decode()
    assert "以首次报送日" in html and "即使已接收，仍算逾期" in html
    late = html.split('id="late"')[1].split("</ul>")[0]
    assert f"期限 {DUE.isoformat()}，尚未报送，已逾期" in late
    assert "<title>" in html and "<section" not in html.split("<title>")[1].split("</title>")[0]


@given(
    first=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2030, 12, 31))),
    deadline=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    today=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
)
def test_days_late_counts_from_the_first_filing_or_today(
    first: date | None, deadline: date, today: date
) -> None:
    late = days_late(first, deadline, today)
    counted_from = first if first is not None else today
    assert late >= 0
    assert (late == 0) == (counted_from <= deadline)
    assert late == 0 or counted_from - timedelta(days=late) == deadline
