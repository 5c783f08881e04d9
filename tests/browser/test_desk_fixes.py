"""What a new user tripped over at the desk (issue 11, part 2), clicked through in headless Chromium."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from gongkai.web.reports import services as reports
from gongkai.web.reports.models import AnnualReport, ReportStatus
from gongkai.web.requests import services
from gongkai.web.requests.models import Request
from gongkai.writing.narrative import DRAFT_MARK

from .conftest import Desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT = {
    "applicant_kind": "natural_person",
    "applicant_name": "赵柜台",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13900001111",
    "channel": "in_person",
    "received_on": date(2025, 3, 3),
    "content": "申请公开东湖路改造工程的立项批复",
    "delivery": "paper",
}


def registered(desk: Desk) -> Request:
    clerk = User.objects.get(username="register_user")
    return services.register_request(clerk, desk.street, **APPLICANT)


def test_the_registrar_issues_the_receipt_at_the_counter(desk: Desk) -> None:
    r = registered(desk)
    page = desk.login("register")
    page.goto(f"{desk.url}/requests/{r.pk}/")
    page.locator("#action-letter > summary").click()
    options = page.locator("#id_letter-kind option").all_inner_texts()
    assert options == ["登记回执"], options  # the clerk issues the receipt and nothing else
    page.fill("#id_letter-on", "2025-03-03")
    page.locator("#action-letter button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".errorlist")).to_have_count(0)
    link = page.locator("a[href*='/attachments/']", has_text="登记回执")
    with page.expect_download() as download:
        link.first.click()
    path = download.value.path()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert "政府信息公开申请登记回执" in text and "赵柜台" in text


def test_publishing_is_confirmed_against_the_checks_of_what_is_frozen(desk: Desk) -> None:
    head = User.objects.get(username="approve_extension_user")
    registered(desk)
    report = reports.build_annual_report(desk.street, 2025)
    report.sections = {n: t.replace(DRAFT_MARK, "") for n, t in report.sections.items()}
    reports.save_annual_report(head, desk.street, 2025, report)

    # Last year's report carried 5 requests forward, this year's records carry none over (R5).
    last = reports.build_annual_report(desk.street, 2024)
    last.requests["carried_forward"]["total"] = 5
    wrong = AnnualReport.objects.create(agency=desk.street, year=2024, data=last.to_json())

    page = desk.login("approve_extension")
    page.goto(f"{desk.url}/reports/{desk.street.pk}/2025/")
    page.get_by_role("button", name="保存并检查发布…").click()
    expect(page.locator("h1")).to_contain_text("确认发布")
    expect(page.locator("main")).to_contain_text("存在错误，不能发布")
    expect(page.locator("main")).to_contain_text("R5")
    expect(page.get_by_role("button", name="确认发布（发布后不能修改）")).to_have_count(0)
    wrong.delete()

    page.reload()
    assert AnnualReport.objects.get().status == ReportStatus.DRAFT  # nothing frozen yet
    # The 2025 report published today is late (R12): a warning, acknowledged by name.
    warning = page.get_by_label("R12", exact=False)
    expect(warning).to_be_visible()
    page.get_by_role("button", name="确认发布（发布后不能修改）").click()
    expect(page.locator("h1")).to_contain_text("确认发布")  # not acknowledged: not sent
    assert AnnualReport.objects.get().status == ReportStatus.DRAFT
    for box in page.locator("input[name=ack]").all():
        box.check()
    page.get_by_role("button", name="确认发布（发布后不能修改）").click()
    expect(page.locator("main")).to_contain_text("内容已冻结")
    assert AnnualReport.objects.get().status == ReportStatus.PUBLISHED
