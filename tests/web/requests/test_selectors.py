"""The list selectors pick a query plan by scope width; every plan must give the same rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User

from gongkai.clock import ClockState
from gongkai.web.agencies import services as agency_services
from gongkai.web.agencies.models import AgencyKind, Level
from gongkai.web.calendar.models import CalendarDay
from gongkai.web.calendar.selectors import work_calendar
from gongkai.web.requests import selectors, services
from gongkai.web.requests.models import EventKind, Request, RequestEvent
from gongkai.web.requests.selectors import requests_for
from gongkai.web.requests.views.staff import _listed

from ..conftest import Tree, make_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(tree: Tree, new_request: Callable[..., Request]) -> list[Request]:
    """Requests in every agency of the tree, on several days, some answered."""
    made = []
    agencies = [tree.city, tree.district, tree.street, tree.other, tree.department]
    for i in range(15):
        agency = agencies[i % len(agencies)]
        r = new_request(agency, tree.admin, received_on=date(2025, 3, 3) + timedelta(days=i % 6))
        if i % 4 == 0:
            services.answer(tree.admin, r, "disclosed", "第三十六条", date(2025, 3, 20))
        made.append(r)
    return [Request.objects.get(pk=r.pk) for r in made]


def users(tree: Tree) -> list[User]:
    root = User.objects.create_superuser("root", password="x")
    return [root, tree.admin, tree.supervise, tree.register, tree.handle, tree.outsider]


def test_every_scope_plan_gives_the_permitted_rows_newest_first(tree: Tree, spread: list[Request]) -> None:
    for user in users(tree):
        expected = list(requests_for(user).order_by("-received_on", "-id").values_list("pk", flat=True))
        assert sorted(selectors.scoped(user).values_list("pk", flat=True)) == sorted(expected)
        assert [r.pk for r in selectors.requests(user)] == expected, user.username
        for state in ("registered", "answered"):
            filtered = [pk for pk in expected if Request.objects.get(pk=pk).state == state]
            assert [r.pk for r in selectors.requests(user, state=state)] == filtered


def test_wide_scope_does_not_leak_other_agencies(tree: Tree, spread: list[Request]) -> None:
    visible = {r.pk for r in selectors.requests(tree.supervise)}
    assert visible == {r.pk for r in spread if r.agency.path.startswith(tree.district.path)}
    assert {r.pk for r in selectors.requests(tree.outsider)} == {
        r.pk for r in spread if r.agency == tree.other
    }


def test_shared_derivations_match_one_by_one(tree: Tree, spread: list[Request]) -> None:
    as_of = date(2025, 4, 30)
    batch = selectors.clock_states(spread, as_of)
    for r in spread:
        assert batch[r.pk] == selectors.clock_state(r, as_of)
    due = selectors.due_within(tree.admin, 5, as_of)
    assert [r["pk"] for r, _ in due] == [r["pk"] for r, s in due if s.answer_due is not None]
    assert {r["pk"] for r, _ in due} <= {r.pk for r in spread if r.is_open}
    assert all(
        s == replace(selectors.clock_state(Request.objects.get(pk=r["pk"]), as_of), derivation=None)
        for r, s in due
    )
    assert {r["pk"] for r, _ in selectors.overdue(tree.admin, as_of)} == {
        r.pk for r in spread if r.is_open and selectors.clock_state(r, as_of).overdue
    }


def test_list_clocks_are_the_full_clocks_without_their_derivations(tree: Tree, spread: list[Request]) -> None:
    as_of = date(2025, 4, 30)
    full = selectors.clock_states(spread, as_of)
    listed = selectors.list_clocks([_listed(r) for r in spread], as_of)
    assert listed == {pk: replace(state, derivation=None) for pk, state in full.items()}


def test_list_rows_are_the_requests_as_values(tree: Tree, spread: list[Request]) -> None:
    """Also past the first page, where the page's ids are read first, for every scope plan."""
    for user in users(tree):
        qs = selectors.requests(user)
        for start, stop in ((0, 10), (2, 5), (5, 50)):
            assert selectors.list_rows(qs, start, stop) == [_listed(r) for r in qs[start:stop]], user.username


def test_a_wide_scope_page_read_by_its_ids_first_is_the_same_page(tree: Tree, spread: list[Request]) -> None:
    qs = selectors.requests(tree.supervise)
    assert selectors.UNINDEXED_SCOPE in qs.query.annotations  # the district's scope counts as wide
    for start, stop in ((0, 3), (3, 7), (7, 50)):
        assert selectors.list_rows(qs, start, stop) == [_listed(r) for r in qs[start:stop]]


NARROWED = [
    selectors.ListFilter(),
    selectors.ListFilter(state="answered"),
    selectors.ListFilter(search="申请"),
    selectors.ListFilter(received_from=date(2025, 3, 5), received_to=date(2025, 3, 6)),
]


@pytest.mark.parametrize("narrow", NARROWED, ids=["all", "state", "search", "received"])
def test_a_kept_list_query_gives_what_compiling_afresh_gives(
    tree: Tree, spread: list[Request], narrow: selectors.ListFilter
) -> None:
    seen = 0
    for user in users(tree):
        for start, stop in ((0, 4), (4, 8)):
            expected = selectors.list_rows(selectors.filtered(user, narrow), start, stop)
            assert selectors.list_page(user, narrow, start, stop) == expected  # compiled
            assert selectors.list_page(user, narrow, start, stop) == expected  # kept
            seen += len(expected)
    assert seen


@pytest.mark.parametrize("narrow", NARROWED, ids=["all", "state", "search", "received"])
def test_a_few_agencies_page_merged_from_each_agency_is_the_walked_page(
    tree: Tree, spread: list[Request], narrow: selectors.ListFilter
) -> None:
    """With nine agencies in all, the district's three are few enough to be merged agency by agency."""
    for i in range(4):
        make_agency(f"第{i}街道办事处", Level.TOWNSHIP, AgencyKind.TOWNSHIP)
    user = tree.supervise
    assert "UNION ALL" in selectors._page_sql(user, narrow, 0, 4)[0]
    seen = 0
    for start, stop in ((0, 2), (2, 5), (5, 50)):
        walked = selectors.list_rows(selectors.filtered(user, narrow), start, stop)
        assert selectors.list_page(user, narrow, start, stop) == walked
        seen += len(walked)
    assert seen


def test_a_kept_list_query_follows_a_change_of_scope(tree: Tree, spread: list[Request]) -> None:
    user = User.objects.get(pk=tree.outsider.pk)
    before = {row["agency_id"] for row in selectors.list_page(user, selectors.ListFilter(), 0, 50)}
    assert before == {tree.other.pk}
    agency_services.add_membership(tree.admin, tree.outsider, tree.department, "register")
    user = User.objects.get(pk=tree.outsider.pk)
    after = {row["agency_id"] for row in selectors.list_page(user, selectors.ListFilter(), 0, 50)}
    assert after == {tree.other.pk, tree.department.pk}


def _stamp(request: Request) -> int:
    return Request.objects.values_list("events_stamp", flat=True).get(pk=request.pk)


def test_any_write_to_a_requests_events_gives_it_a_fresh_stamp(
    tree: Tree, new_request: Callable[..., Request]
) -> None:
    """The triggers, not the services: a shell or another program writing events is seen too."""
    mine, other = new_request(), new_request()
    other_stamp = _stamp(other)
    seen = {_stamp(mine)}
    event = RequestEvent.objects.create(request=mine, kind=EventKind.NOTE, date=date(2025, 3, 4))
    seen.add(_stamp(mine))
    RequestEvent.objects.filter(pk=event.pk).update(date=date(2025, 3, 5))
    seen.add(_stamp(mine))
    RequestEvent.objects.filter(pk=event.pk).delete()
    seen.add(_stamp(mine))
    assert len(seen) == 4
    assert _stamp(other) == other_stamp


def test_a_stale_copy_saved_whole_keeps_the_databases_stamp(
    tree: Tree, new_request: Callable[..., Request]
) -> None:
    stale = Request.objects.get(pk=new_request().pk)
    RequestEvent.objects.create(request=stale, kind=EventKind.NOTE, date=date(2025, 3, 4))
    fresh = _stamp(stale)
    assert fresh != stale.events_stamp
    stale.applicant_name = "改名"
    stale.save()
    assert _stamp(stale) == fresh
    assert Request.objects.get(pk=stale.pk).applicant_name == "改名"


def test_a_kept_list_clock_follows_the_requests_events(
    tree: Tree, new_request: Callable[..., Request]
) -> None:
    request = new_request(received_on=date(2025, 3, 3))
    as_of = date(2025, 3, 10)

    def listed() -> ClockState:
        row = selectors.list_rows(selectors.requests(tree.admin).filter(pk=request.pk), 0, None)[0]
        return selectors.list_clocks([row], as_of)[request.pk]

    before = listed()
    assert listed() is before  # kept
    services.approve_extension(tree.head, request, 20, date(2025, 3, 7), "需要调查核实")
    after = listed()
    assert after.answer_due is not None and before.answer_due is not None
    assert after.answer_due > before.answer_due
    assert after == replace(selectors.clock_state(Request.objects.get(pk=request.pk), as_of), derivation=None)


def test_calendar_rows_written_by_another_process_are_seen_without_invalidation() -> None:
    """Only the table's stamp can tell this process that another one edited the calendar."""
    monday = date(2025, 3, 3)
    assert work_calendar().is_workday(monday)
    row = CalendarDay.objects.create(date=monday, is_workday=False, name="地方假日")
    assert not work_calendar().is_workday(monday)
    row.is_workday = True
    row.save()
    assert work_calendar().is_workday(monday)
