"""The calendar page: an edit moves the due date the request page shows; refusals; the banner."""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai.web.calendar import context
from gongkai.web.calendar import selectors as calendar_selectors
from gongkai.web.calendar.models import CalendarDay

from ..conftest import NewRequest, Tree


def test_calendar_edit_moves_the_due_date_on_the_request_page(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    request = new_request()
    client.force_login(tree.admin)
    detail = f"/requests/{request.pk}/"
    assert "答复期限 2025-03-31" in client.get(detail).content.decode()
    edit = {"date": "2025-03-10", "is_workday": "0", "name": "临时休息日"}
    response = client.post("/calendar/", edit, follow=True)
    assert "2025-03-31 → 2025-04-01" in response.content.decode()
    page = client.get(detail).content.decode()
    assert "答复期限 2025-04-01" in page and "临时休息日" in page
    assert "临时休息日" in client.get("/calendar/?year=2025").content.decode()
    assert client.post("/calendar/2025-03-10/delete/").status_code == 302
    assert not CalendarDay.objects.exists()
    assert "答复期限 2025-03-31" in client.get(detail).content.decode()


def test_calendar_refusals(client: Client, tree: Tree) -> None:
    client.force_login(tree.admin)
    response = client.post("/calendar/", {"date": "2025-02-30", "is_workday": "0"})
    assert response.status_code == 400 and "有效的日期" in response.content.decode()
    client.force_login(tree.handle)
    assert client.post("/calendar/", {"date": "2025-03-10", "is_workday": "0"}).status_code == 403
    assert client.post("/calendar/2025-03-10/delete/").status_code == 403
    assert not CalendarDay.objects.exists()


def test_missing_year_banner_on_staff_pages(client: Client, tree: Tree) -> None:
    client.force_login(tree.handle)
    warning = calendar_selectors.calendar_warning()
    html = client.get("/").content.decode()
    assert (warning in html) if warning else ('class="banner"' not in html)


def test_the_banner_is_on_staff_pages_only(
    client: Client, tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context, "calendar_warning", lambda: "测试：缺少 2099 年节假日安排")
    assert "测试：缺少" not in client.get("/login/").content.decode()
    client.force_login(tree.handle)
    for staff_page in ("/", "/requests/", "/reports/"):
        assert "测试：缺少" in client.get(staff_page).content.decode(), staff_page
    assert "测试：缺少" not in client.get("/public/").content.decode()
