"""The main staff and applicant flows, clicked through in headless Chromium as people would."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from gongkai.web.requests import selectors
from gongkai.web.requests.models import Request

from .conftest import Desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# GONGKAI_SCREENSHOTS=docs/img keeps the screenshots for the docs; otherwise they go to tmp_path.
SHOTS = os.environ.get("GONGKAI_SCREENSHOTS", "")


def shot(what: Page | Locator, tmp_path: Path, name: str) -> Path:
    target = Path(SHOTS) if SHOTS else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    path = target / name
    what.screenshot(path=str(path))
    assert path.stat().st_size > 0
    return path


def act(page: Page, name: str, fields: dict[str, str], selects: dict[str, str] | None = None) -> None:
    """Open the action `name` on the request page, fill its form, submit it, expect no error."""
    page.locator(f"#action-{name} > summary").click()
    for field, value in fields.items():
        page.fill(f"#id_{name}-{field}", value)
    for field, value in (selects or {}).items():
        page.select_option(f"#id_{name}-{field}", value)
    page.locator(f"#action-{name} button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".errorlist")).to_have_count(0)


def test_staff_register_handle_extend_answer_and_report(desk: Desk, tmp_path: Path) -> None:
    today = timezone.localdate()
    received = today - timedelta(days=14)

    # 登记: register a request at the desk through the form.
    page = desk.login("register")
    page.get_by_role("link", name="登记申请").first.click()
    page.select_option("#id_agency", str(desk.street.pk))
    page.select_option("#id_applicant_kind", "natural_person")
    page.fill("#id_applicant_name", "李浏览")
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", "110101199002023459")
    page.fill("#id_phone", "13900001111")
    page.fill("#id_address", "示例区东湖路2号")
    page.select_option("#id_channel", "in_person")
    page.fill("#id_received_on", received.isoformat())
    page.fill("#id_content", "申请公开东湖路改造工程的立项批复")
    page.select_option("#id_delivery", "electronic")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url(re.compile(r"/requests/\d+/$"))
    pk = int(page.url.rstrip("/").rsplit("/", 1)[1])
    request = Request.objects.get(pk=pk)
    assert request.applicant_name == "李浏览" and request.received_on == received
    due = selectors.clock_state(request).answer_due
    assert due is not None

    # The list shows it with its derived due date.
    page.goto(f"{desk.url}/requests/")
    row = page.locator("tr", has=page.locator(f"a[href='/requests/{pk}/']"))
    expect(row).to_contain_text("李浏览")
    expect(row).to_contain_text(due.isoformat())

    # Its page explains the due date: receipt, 20 working days, the dates skipped.
    row.locator(f"a[href='/requests/{pk}/']").click()
    derivation = page.locator("section.derivation")
    expect(derivation).to_contain_text(f"{due.year}年{due.month}月{due.day}日")
    expect(derivation.locator("li")).not_to_have_count(0)
    expect(derivation).to_contain_text("20")
    page.context.close()

    # 承办: ask for a supplement, then record its arrival (the clock restarts).
    page = desk.login("handle")
    page.goto(f"{desk.url}/requests/{pk}/")
    asked, supplied = received + timedelta(days=2), received + timedelta(days=5)
    act(
        page,
        "supplement",
        {
            "on": asked.isoformat(),
            "due": (asked + timedelta(days=15)).isoformat(),
            "items": "请写明批复的文号",
        },
    )
    expect(page.locator("h1")).to_contain_text("等待补正")
    act(page, "receive_supplement", {"on": supplied.isoformat()})
    expect(page.locator("h1")).not_to_contain_text("等待补正")
    page.context.close()

    # 负责人: approve an extension; the due date moves and says so.
    page = desk.login("approve_extension")
    page.goto(f"{desk.url}/requests/{pk}/")
    act(
        page,
        "extend",
        {"workdays": "10", "on": (supplied + timedelta(days=3)).isoformat(), "reason": "需要调取档案"},
    )
    extended = selectors.clock_state(Request.objects.get(pk=pk))
    assert extended.extension_workdays == 10 and extended.answer_due is not None
    expect(page.locator("section.derivation")).to_contain_text(
        f"{extended.answer_due.year}年{extended.answer_due.month}月{extended.answer_due.day}日"
    )
    page.context.close()

    # 审核: answer with one outcome of table 三.
    page = desk.login("approve_answer")
    page.goto(f"{desk.url}/requests/{pk}/")
    act(
        page,
        "answer",
        {"legal_basis": "《条例》第三十六条第（二）项", "on": today.isoformat()},
        {"outcome": "disclosed"},
    )
    expect(page.locator("h1")).to_contain_text("已答复")
    answered = Request.objects.get(pk=pk)
    assert answered.outcome == "disclosed" and answered.closed_on == today

    # The audit log on the request page names who did what.
    audit = page.locator("section[aria-labelledby=audit-heading]")
    for who in ("register_user", "handle_user", "approve_extension_user", "approve_answer_user"):
        expect(audit).to_contain_text(who)
    page.goto(f"{desk.url}/requests/{pk}/")  # from the top: facts and the due-date derivation
    shot(page, tmp_path, "desk-request.png")

    # The annual report counts it in table 三: received this year, closed as 予以公开.
    page.goto(f"{desk.url}/reports/{desk.street.pk}/{received.year}/")
    table = page.get_by_role("region", name="表三 依申请公开")
    expect(table).to_be_visible()
    for label in ("一、本年新收政府信息公开申请数量", "（一）予以公开"):
        cells = [c.strip() for c in table.locator("tr", has_text=label).locator("td").all_inner_texts()]
        assert cells[0] == "1" and cells[-1] == "1", (label, cells)  # 自然人 and 总计
    shot(table, tmp_path, "desk-report.png")
    page.context.close()


def test_applicant_submits_online_and_tracks_without_personal_data(desk: Desk) -> None:
    page = desk.page()
    page.goto(f"{desk.url}/public/")
    page.get_by_role("link", name=desk.street.name).click()
    page.select_option("#id_applicant_kind", "natural_person")
    page.fill("#id_applicant_name", "王公开")
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", "110101198803034567")
    page.fill("#id_phone", "13700002222")
    page.fill("#id_address", "示例区西湖路3号")
    page.fill("#id_content", "申请公开本街道2025年低保审批名单的公示情况")
    page.select_option("#id_delivery", "electronic")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("h1")).to_have_text("申请已提交")
    code = page.locator("strong code").inner_text().strip()
    request = Request.objects.get(tracking_code=code.replace("-", ""))
    assert request.applicant_name == "王公开" and request.channel == "online"
    due = selectors.clock_state(request).answer_due
    assert due is not None

    page.locator(f"a[href='/public/track/{code}/']").click()
    expect(page.locator("h1")).to_have_text("办理进度")
    body = page.locator("main, body").first
    expect(body).to_contain_text(desk.street.name)
    expect(body).to_contain_text(request.get_state_display())
    expect(body).to_contain_text(f"{due.year}年{due.month}月{due.day}日")
    text = page.content()
    for private in ("王公开", "110101198803034567", "13700002222", "西湖路3号"):
        assert private not in text, private
    expect(body).to_contain_text("低保审批名单")  # what they asked: the code holder is the applicant


def test_a_missing_request_is_a_plain_not_found_page(desk: Desk) -> None:
    page = desk.page()
    response = page.goto(f"{desk.url}/public/track/no-such-code/")
    assert response is not None and response.status == 404
