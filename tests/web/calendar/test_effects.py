"""A calendar edit tells its editor what moved, asking each app that registered a watcher."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from gongkai.web.calendar import effects
from gongkai.web.requests.calendar_effects import due_dates_near

from ..conftest import NewRequest, Tree


def test_the_requests_app_watches_the_calendar() -> None:
    assert due_dates_near in effects._WATCHERS


def test_a_watcher_is_asked_before_the_edit_and_told_after(
    client: Client, tree: Tree, new_request: NewRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, date]] = []

    def watcher(user: AbstractBaseUser, day: date) -> Callable[[], list[effects.Message]]:
        asked.append((user.get_username(), day))
        return lambda: [(messages.WARNING, f"测试：{day} 的安排已变")]

    monkeypatch.setattr(effects, "_WATCHERS", [*effects._WATCHERS, watcher])
    new_request()
    client.force_login(tree.admin)
    response = client.post(
        "/calendar/", {"date": "2025-03-10", "is_workday": "0", "name": "临时休息日"}, follow=True
    )
    page = response.content.decode()
    assert asked == [(tree.admin.get_username(), date(2025, 3, 10))]
    assert "测试：2025-03-10 的安排已变" in page
    assert "件办理中申请的答复期限已随之重新计算" in page  # the requests app's own watcher still speaks


def test_a_refused_edit_tells_nothing_moved(
    client: Client, tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[bool] = []
    monkeypatch.setattr(effects, "_WATCHERS", [lambda user, day: lambda: told.append(True) or []])
    client.force_login(tree.admin)
    client.post("/calendar/2025-03-10/delete/")  # no such row: the service refuses
    assert told == []
