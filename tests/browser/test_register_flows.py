"""The register clicked through in headless Chromium: three reviews to publication, the
personal-data gate, withdrawal, an applicant's search, 依申请转主动公开, and axe-core on every public
page (no serious or critical violation)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from gongkai.proactive.demo import DEMO_CATALOGUE
from gongkai.web.proactive.models import Item, RegisterSettings
from gongkai.web.reports.models import AnnualReport, ReportStatus
from gongkai.web.reports.services import build_annual_report
from gongkai.web.requests import services as desk_services
from gongkai.web.requests.models import Request

from .conftest import Desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
ID_NUMBER = "11010519491231002X"


def _register(desk: Desk) -> RegisterSettings:
    return RegisterSettings.objects.create(
        agency=desk.street,
        catalogue=DEMO_CATALOGUE.to_data(),
        org_code="11410300MB0000000X",
        address="示例区东湖路1号便民服务中心",
        hours="工作日 9:00-17:00",
        phone="0371-12345678",
    )


def _new_item(page: Page, desk: Desk, title: str, body: str) -> None:
    page.goto(f"{desk.url}/register/new/")
    page.fill("#id_title", title)
    page.select_option("#id_area", "social_assistance")
    page.check("#id_channels_2")  # 公开查阅点, besides the website checked by default
    page.fill("#id_formed", str(timezone.localdate() - timedelta(days=3)))
    page.fill("#id_body", body)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#item-state")).to_contain_text("草稿")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#item-state")).to_contain_text("待初审")


def _approve(desk: Desk, role: str, item_url: str, step: str) -> Page:
    page = desk.login(role)
    page.goto(item_url)
    page.get_by_role("button", name=f"{step}通过").click()
    page.wait_for_load_state()
    return page


def _serious(page: Page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} @ {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def _no_serious_violations(page: Page) -> None:
    assert _serious(page) == [], page.url


def test_three_reviews_publish_search_finds_withdrawal_notices_and_axe_passes(desk: Desk) -> None:
    _register(desk)
    page = desk.login("register")
    _new_item(
        page,
        desk,
        "2025年度城市最低生活保障标准调整公告",
        "自本月起，城市最低生活保障标准调整为每人每月800元。",
    )
    item_url = page.url
    item = Item.objects.get(title__startswith="2025年度城市最低生活保障")
    public_url = f"{desk.url}/public/{desk.street.pk}/items/{item.pk}/"

    applicant = desk.page()
    response = applicant.goto(public_url)
    assert response is not None and response.status == 404  # not public before the last approval

    _approve(desk, "handle", item_url, "初审")
    _approve(desk, "approve_answer", item_url, "复审")
    head = _approve(desk, "approve_extension", item_url, "终审")
    expect(head.locator("#item-state")).to_contain_text("已公开")

    applicant.goto(f"{desk.url}/public/disclosure/")
    applicant.get_by_label("搜索已公开的政府信息").fill("生活保障标准")
    applicant.get_by_role("button", name="搜索").click()
    applicant.get_by_role("link", name=item.title).click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text(item.title)
    expect(applicant.locator("article")).to_contain_text(item.index_number)

    year = timezone.localdate().year - 1
    report = build_annual_report(desk.street, year)
    AnnualReport.objects.create(
        agency=desk.street, year=year, data=report.to_json(), status=ReportStatus.PUBLISHED
    )
    public_pages = [
        f"/public/{desk.street.pk}/reports/",
        f"/public/{desk.street.pk}/reports/{year}/",
        "/public/",
        "/public/disclosure/",
        f"/public/{desk.street.pk}/",
        f"/public/{desk.street.pk}/guide/",
        f"/public/{desk.street.pk}/system/",
        f"/public/{desk.street.pk}/catalogue/",
        f"/public/{desk.street.pk}/catalogue/social_assistance/",
        f"/public/{desk.street.pk}/items/{item.pk}/",
        "/public/search/?q=最低生活保障",
        f"/public/apply/{desk.street.pk}/",
        "/public/track/",
    ]
    for path in public_pages:
        applicant.goto(desk.url + path)
        _no_serious_violations(applicant)
    applicant.set_content('<html><body><form><input type="text"></form></body></html>')
    assert _serious(applicant)  # axe does run: an unlabelled field without a lang is caught

    head.goto(item_url)
    head.fill("#id_reason", "标准数据有误，更正后重新公开")
    head.get_by_role("button", name="撤回").click()
    expect(head.locator("#item-state")).to_contain_text("已撤回")
    applicant.goto(public_url)
    expect(applicant.locator("#withdrawn-notice")).to_contain_text("撤回")
    expect(applicant.locator("#withdrawn-notice")).to_contain_text("标准数据有误")
    expect(applicant.locator("article")).not_to_contain_text("每人每月800元")
    _no_serious_violations(applicant)


def test_personal_data_blocks_until_redacted_and_a_request_becomes_an_item(desk: Desk) -> None:
    _register(desk)
    page = desk.login("register")
    _new_item(page, desk, "临时救助审批情况公示", f"救助对象王小明，身份证号{ID_NUMBER}，救助金额2000元。")
    item_url = page.url

    handle = desk.login("handle")
    handle.goto(item_url)
    expect(handle.locator("#review-message")).to_contain_text("含有未处理的个人信息")
    handle.get_by_role("button", name="初审通过").click()
    expect(handle.locator(".messages .error")).to_contain_text("个人信息")
    expect(handle.locator("#item-state")).to_contain_text("待初审")
    while handle.get_by_role("button", name="遮盖").count():
        handle.get_by_role("button", name="遮盖").first.click()
        handle.wait_for_load_state()
    reasons = handle.get_by_label("确认可以公开的理由")
    while reasons.count():
        reasons.first.fill("公示依规须列明救助对象姓名")
        handle.get_by_role("button", name="确认公开").first.click()
        handle.wait_for_load_state()
    expect(handle.locator("#review-message")).to_have_text("未发现未处理的个人信息")
    handle.get_by_role("button", name="初审通过").click()
    expect(handle.locator("#item-state")).to_contain_text("待复审")
    assert ID_NUMBER not in Item.objects.get(title="临时救助审批情况公示").body

    # 依申请转主动公开: an answered request's released information becomes a draft item in one step.
    request = _registered(desk, "赵申请", "申请公开东湖街道2025年老旧小区改造项目清单")
    _disclosed(desk, request)
    page.goto(f"{desk.url}/register/")
    page.get_by_label("已答复公开的申请").select_option(str(request.pk))
    page.get_by_role("button", name="转为主动公开事项").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("老旧小区改造项目清单")
    expect(page.locator("dl.facts")).to_contain_text(f"#{request.pk}")
    expect(page.locator("main")).not_to_contain_text("赵申请")


def page_user(desk: Desk, role: str) -> User:
    return User.objects.get(username=f"{role}_user")


def _registered(desk: Desk, name: str, content: str) -> Request:
    """A request registered at the counter five days ago by `name`."""
    return desk_services.register_request(
        page_user(desk, "register"),
        desk.street,
        applicant_kind="natural_person",
        applicant_name=name,
        id_type="resident_id",
        id_number="110101199003074514",
        phone="13900002222",
        address="示例区东湖路3号",
        email="",
        channel="in_person",
        received_on=timezone.localdate() - timedelta(days=5),
        content=content,
        delivery="paper",
    )


def _disclosed(desk: Desk, request: Request) -> None:
    """The request answered today: the information is disclosed (Art. 36 (二))."""
    desk_services.answer(
        page_user(desk, "approve_answer"),
        request,
        "disclosed",
        "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
        timezone.localdate(),
    )


def test_an_answered_request_page_offers_the_conversion_and_links_both_ways(desk: Desk) -> None:
    _register(desk)
    request = _registered(desk, "钱申请", "申请公开东湖街道2025年公益性岗位安置名单的统计数")
    detail = f"{desk.url}/requests/{request.pk}/"
    page = desk.login("register")
    page.goto(detail)
    expect(page.get_by_role("button", name="转为主动公开", exact=True)).to_have_count(0)  # not answered yet
    _disclosed(desk, request)
    page.goto(detail)
    page.get_by_role("button", name="转为主动公开", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("公益性岗位安置名单")
    expect(page.locator("main")).not_to_contain_text("钱申请")
    page.locator("dl.facts").get_by_role("link", name=f"#{request.pk}").click()
    expect(page.locator("#register-link")).to_contain_text("公益性岗位安置名单")
    expect(page.get_by_role("button", name="转为主动公开", exact=True)).to_have_count(0)  # once only
