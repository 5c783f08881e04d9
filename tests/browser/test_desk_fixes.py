"""What a new user tripped over at the desk (issue 11, part 2), clicked through in headless Chromium."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import docx
import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from gongkai.clock import statutory_holidays
from gongkai.web.agencies.models import Membership, Role
from gongkai.web.calendar.models import CalendarDay
from gongkai.web.reports import services as reports
from gongkai.web.reports.models import AnnualReport, ReportStatus
from gongkai.web.requests import selectors, services
from gongkai.web.requests.models import Request
from gongkai.web.requests.services.letters import issue_letter
from gongkai.writing.narrative import DRAFT_MARK

from .conftest import PASSWORD, Desk

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


def test_a_holiday_range_is_entered_on_the_calendar_page(desk: Desk) -> None:
    admin = User.objects.create_user("admin_user", password=PASSWORD)
    Membership.objects.create(user=admin, agency=desk.district, role=Role.ADMIN)
    page = desk.login("admin")
    page.goto(f"{desk.url}/calendar/?year=2027")
    expect(page.locator("#builtin")).to_contain_text("国庆节")  # fixed-date: built in
    expect(page.locator("#missing")).to_contain_text("2027年春节、清明节、端午节、中秋节")
    spring = next(h for h in statutory_holidays(2027) if h.name == "春节")
    first, last = spring.days[0], spring.days[-1] + timedelta(days=3)
    page.fill("#id_date", first.isoformat())
    page.fill("#id_until", last.isoformat())
    page.get_by_label("休息（法定节假日）").check()
    page.fill("#id_name", "春节")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text(f"（{(last - first).days + 1} 天）")
    expect(page.locator("#missing")).to_contain_text("2027年清明节、端午节、中秋节")
    assert CalendarDay.objects.filter(name="春节", is_workday=False).count() == (last - first).days + 1
    # A statutory holiday day is never a working day: refused, nothing saved.
    page.fill("#id_date", "2027-10-01")
    page.fill("#id_until", "")
    page.get_by_label("上班（调休工作日）").check()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".errorlist")).to_contain_text("2027年10月1日是法定节假日（国庆节），不能设为上班日")
    assert not CalendarDay.objects.filter(date=date(2027, 10, 1)).exists()


def test_the_applicant_tracks_what_they_asked_and_downloads_their_letters(desk: Desk) -> None:
    r = registered(desk)
    services.answer(
        User.objects.get(username="approve_answer_user"),
        r,
        "disclosed",
        "《条例》第三十六条",
        date(2025, 3, 20),
    )
    issue_letter(User.objects.get(username="handle_user"), r, "answer", date(2025, 3, 20))
    page = desk.page()
    page.goto(f"{desk.url}/public/track/")
    # Typed from paper: lower case, spaces for the dashes.
    page.fill("input[name=code]", r.tracking_code_grouped.lower().replace("-", " "))
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text("办理进度")
    expect(page.locator("main")).to_contain_text("申请公开东湖路改造工程的立项批复")
    link = page.get_by_role("link", name="政府信息公开申请答复书（DOCX）")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("政府信息公开申请答复书")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(download.value.path().read_bytes())).paragraphs)
    assert "向示例区人民政府申请行政复议" in text and "向示例区人民法院提起行政诉讼" in text


def test_the_list_shows_its_total_and_bounds_and_refuses_a_reversed_range(desk: Desk) -> None:
    for _ in range(53):
        registered(desk)
    page = desk.login("handle")
    page.goto(f"{desk.url}/requests/")
    expect(page.locator("#list-total")).to_have_text("共 53 件，显示第 1–50 件")
    expect(page.locator("nav.pager")).to_contain_text("第 1 / 2 页")
    page.get_by_role("link", name="下一页").click()
    expect(page.locator("#list-total")).to_have_text("共 53 件，显示第 51–53 件")
    expect(page.get_by_role("link", name="下一页")).to_have_count(0)
    expect(page.locator("#id_state option").first).to_have_text("全部")
    page.fill("#id_received_from", "2025-04-01")
    page.fill("#id_received_to", "2025-03-01")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator(".errorlist")).to_contain_text("“收到日期自”不能晚于“收到日期至”")
    expect(page.locator("#list-total")).to_have_text("共 0 件")


def test_overdue_reads_the_same_on_the_dashboard_the_list_and_the_request(desk: Desk) -> None:
    r = registered(desk)  # received 2025-03-03, never answered
    state = selectors.clock_state(r)
    assert state.overdue and state.remaining_workdays is not None
    text = f"已超期 {-state.remaining_workdays} 个工作日"
    page = desk.login("handle")
    for url in ("/", "/requests/", f"/requests/{r.pk}/"):
        page.goto(f"{desk.url}{url}")
        expect(page.locator("main")).to_contain_text(text)
        expect(page.locator("main")).not_to_contain_text("计时中")


def test_registration_checks_numbers_and_warns_of_a_backdated_receipt(desk: Desk) -> None:
    page = desk.login("register")
    page.goto(f"{desk.url}/requests/new/")
    page.select_option("#id_agency", str(desk.street.pk))
    page.select_option("#id_applicant_kind", "natural_person")
    page.fill("#id_applicant_name", "赵柜台")
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", "110105194912310021")  # the check character is X
    page.fill("#id_phone", "1")
    page.select_option("#id_channel", "in_person")
    page.fill("#id_received_on", "2025-03-03")
    page.fill("#id_content", "申请公开东湖路改造工程的立项批复")
    page.select_option("#id_delivery", "paper")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".errorlist")).to_contain_text("身份证号码校验位不正确")
    page.fill("#id_id_number", "11010519491231002x")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".errorlist")).to_contain_text("联系电话应为11位手机号码")
    page.fill("#id_phone", "13900001111")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url(re.compile(r"/requests/\d+/$"))
    expect(page.locator("main")).to_contain_text("收到申请日期 2025-03-03 早于今天")
    assert Request.objects.get().id_number == "11010519491231002X"
