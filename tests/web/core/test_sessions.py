"""Sessions and users are kept per process, yet a logout, a password change or a deactivation
written anywhere is seen by the very next request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.web.core import versions

from ..conftest import Tree

pytestmark = pytest.mark.django_db

LIST = reverse("requests:request_list")


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    assert client.get(LIST).status_code == 200  # and now the session and the user are kept
    return client


def sent_to_login(client: Client) -> bool:
    response = client.get(LIST)
    return response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_warm_page_asks_no_query_for_the_session_or_the_user(client: Client, tree: Tree) -> None:
    signed_in(client, tree.handle)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    asked = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'FROM "django_session"' not in asked and 'FROM "auth_user"' not in asked


def test_a_session_deleted_elsewhere_signs_the_next_request_out(client: Client, tree: Tree) -> None:
    signed_in(client, tree.handle)
    Session.objects.all().delete()  # another process's logout, or clearsessions
    assert sent_to_login(client)


def test_an_expired_session_is_not_served_from_memory(client: Client, tree: Tree) -> None:
    signed_in(client, tree.handle)
    expiry = Session.objects.get().expire_date
    later = expiry + timedelta(seconds=1)  # nothing was written: only the expiry can tell
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert sent_to_login(client)


@pytest.mark.parametrize(
    "change",
    [{"is_active": False}, {"password": "md5$other$0123"}],
    ids=["deactivated", "password changed"],
)
def test_a_user_changed_elsewhere_is_signed_out(client: Client, tree: Tree, change: dict[str, Any]) -> None:
    signed_in(client, tree.handle)
    User.objects.filter(pk=tree.handle.pk).update(**change)
    assert sent_to_login(client)


def test_a_login_changes_the_sessions_stamp_but_not_the_directory(client: Client, tree: Tree) -> None:
    directory, sessions = versions.stamp(versions.DIRECTORY), versions.stamp(versions.SESSIONS)
    # Through the login page: django-axes checks every login against its request.
    response = client.post("/login/", {"username": tree.handle.username, "password": "x"})
    assert response.status_code == 302
    assert versions.stamp(versions.SESSIONS) != sessions
    assert versions.stamp(versions.DIRECTORY) == directory


def test_each_request_gets_its_own_user_object(client: Client, tree: Tree) -> None:
    from gongkai.web.core.sessions import UserBackend

    first, second = UserBackend().get_user(tree.handle.pk), UserBackend().get_user(tree.handle.pk)
    assert first == second and first is not second
    assert first is not None and first._state is not second._state  # type: ignore[union-attr]
