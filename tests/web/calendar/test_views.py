"""The calendar page: an edit moves the due date the request page shows; refusals; the banner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from gongkai.clock import statutory_holidays
from gongkai.web.calendar import context
from gongkai.web.calendar import selectors as calendar_selectors
from gongkai.web.calendar.models import CalendarDay
from gongkai.web.core.models import AuditLog

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


def test_the_page_shows_the_built_in_days_and_what_is_missing(client: Client, tree: Tree) -> None:
    client.force_login(tree.admin)
    known = client.get("/calendar/?year=2025").content.decode()
    # The package's notice data: 春节 rest days and its 调休 working Sunday.
    assert "2025-01-28" in known and "2025-01-26" in known and "上班（调休）" in known
    assert "日历完整" in known
    unknown = client.get("/calendar/?year=2027").content.decode()
    assert "2027-10-01" in unknown and "法定日期" in unknown  # 国庆节, known without entry
    assert "2027年春节、清明节、端午节、中秋节的放假和调休安排尚未录入" in unknown


def test_a_range_is_entered_at_once_and_completes_its_holiday(client: Client, tree: Tree) -> None:
    client.force_login(tree.admin)
    spring = next(h for h in statutory_holidays(2027) if h.name == "春节")
    first, last = spring.days[0] - timedelta(days=1), spring.days[-1] + timedelta(days=2)
    edit = {"date": first.isoformat(), "until": last.isoformat(), "is_workday": "0", "name": "春节"}
    response = client.post("/calendar/", edit, follow=True)
    n = (last - first).days + 1
    assert f"（{n} 天）" in response.content.decode()
    assert CalendarDay.objects.filter(is_workday=False, name="春节").count() == n
    assert AuditLog.objects.filter(action="calendar.set").count() == n
    page = client.get("/calendar/?year=2027").content.decode()
    assert "2027年清明节、端午节、中秋节的放假和调休安排尚未录入" in page


def test_a_statutory_holiday_is_never_a_working_day(client: Client, tree: Tree) -> None:
    client.force_login(tree.admin)
    edit = {"date": "2027-09-30", "until": "2027-10-02", "is_workday": "1", "name": "调休上班"}
    response = client.post("/calendar/", edit)
    assert response.status_code == 400
    assert "2027年10月1日是法定节假日（国庆节），不能设为上班日" in response.content.decode()
    assert not CalendarDay.objects.exists()  # the whole range is refused, not its first day
    backwards = {"date": "2027-10-09", "until": "2027-10-08", "is_workday": "0"}
    assert "截止日期不能早于起始日期" in client.post("/calendar/", backwards).content.decode()
