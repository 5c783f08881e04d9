"""The process-wide caches follow every write to the rows they come from, whoever writes them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from gongkai.web.agencies.models import Agency, Membership, Role
from gongkai.web.agencies.permissions import grants, visible_agency_ids
from gongkai.web.calendar.models import CalendarDay
from gongkai.web.core import versions
from gongkai.web.requests.forms import filter_scope

from ..conftest import Tree, make_agency

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The same person as the next web request would load them (no per-object memo)."""
    return User.objects.get(pk=user.pk)


def test_memberships_written_outside_the_services_are_seen(tree: Tree) -> None:
    assert {g.agency_id for g in grants(fresh(tree.outsider))} == {tree.other.pk}
    Membership.objects.create(user=tree.outsider, agency=tree.street, role=Role.REGISTER)
    assert {g.agency_id for g in grants(fresh(tree.outsider))} == {tree.other.pk, tree.street.pk}
    Membership.objects.filter(user=tree.outsider, agency=tree.other).delete()
    assert visible_agency_ids(fresh(tree.outsider)) == (tree.street.pk,)


def test_a_new_agency_joins_the_scopes_and_the_filter_choices(tree: Tree) -> None:
    before = visible_agency_ids(fresh(tree.supervise))
    added = make_agency("南山街道办事处", "township", "township", tree.district)
    assert visible_agency_ids(fresh(tree.supervise)) == (*before, added.pk)
    assert (added.pk, "南山街道办事处") in list(filter_scope(fresh(tree.supervise)).agencies)
    Agency.objects.filter(pk=added.pk).update(name="南山街道")
    assert (added.pk, "南山街道") in list(filter_scope(fresh(tree.supervise)).agencies)


def test_a_renamed_handler_is_renamed_in_the_choices_but_a_login_changes_nothing(tree: Tree) -> None:
    directory = versions.stamp(versions.DIRECTORY)
    tree.handle.last_login = timezone.now()
    tree.handle.save(update_fields=["last_login"])  # what every login writes
    assert versions.stamp(versions.DIRECTORY) == directory
    User.objects.filter(pk=tree.handle.pk).update(username="renamed")
    assert versions.stamp(versions.DIRECTORY) != directory
    assert (tree.handle.pk, "renamed") in list(filter_scope(fresh(tree.admin)).handlers)


def test_a_rolled_back_change_leaves_no_stamp_a_later_change_could_repeat(tree: Tree) -> None:
    before = versions.stamp(versions.DIRECTORY)
    with pytest.raises(RuntimeError), transaction.atomic():
        Membership.objects.create(user=tree.outsider, agency=tree.street, role=Role.HANDLE)
        inside = versions.stamp(versions.DIRECTORY)
        grants(fresh(tree.outsider))  # cached under a stamp that is about to vanish
        raise RuntimeError
    assert versions.stamp(versions.DIRECTORY) == before
    assert {g.role for g in grants(fresh(tree.outsider))} == {Role.REGISTER}
    Membership.objects.create(user=tree.outsider, agency=tree.street, role=Role.APPROVE_ANSWER)
    assert versions.stamp(versions.DIRECTORY) not in (before, inside)
    assert {g.role for g in grants(fresh(tree.outsider))} == {Role.REGISTER, Role.APPROVE_ANSWER}


def test_the_calendar_has_a_stamp_of_its_own(tree: Tree) -> None:
    directory, calendar = versions.stamp(versions.DIRECTORY), versions.stamp(versions.CALENDAR)
    CalendarDay.objects.create(date=timezone.localdate(), is_workday=False, name="地方假日")
    assert versions.stamp(versions.DIRECTORY) == directory
    assert versions.stamp(versions.CALENDAR) != calendar


def test_a_web_request_reads_the_stamps_once_until_it_writes(
    tree: Tree, django_assert_num_queries: Any
) -> None:
    seen: list[int] = []

    def view(request: HttpRequest) -> HttpResponse:
        with django_assert_num_queries(1):
            seen.extend(versions.stamp(name) for name in (versions.CALENDAR, versions.DIRECTORY) * 3)
        Membership.objects.create(user=tree.outsider, agency=tree.street, role=Role.HANDLE)
        versions.refresh()  # what the membership services do after writing
        seen.append(versions.stamp(versions.DIRECTORY))
        return HttpResponse()

    versions.middleware(view)(HttpRequest())
    assert len(set(seen[:6])) == 2 and seen[-1] != seen[1]


def test_a_cache_starts_over_when_its_stamp_changes_or_it_is_full(tree: Tree) -> None:
    cache: versions.Cache[int, str] = versions.Cache(versions.CALENDAR, limit=2)
    made: list[int] = []

    def get(key: int) -> str:
        return cache.get(key, lambda: made.append(key) or str(key))

    assert [get(k) for k in (1, 2, 1, 2)] == ["1", "2", "1", "2"]
    assert made == [1, 2]
    get(3)  # a third key: more than the limit
    get(1)
    assert made == [1, 2, 3, 1]
    CalendarDay.objects.create(date=timezone.localdate(), is_workday=True, name="调休上班")
    get(1)
    assert made == [1, 2, 3, 1, 1]
