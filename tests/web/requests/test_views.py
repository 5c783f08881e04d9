"""Staff pages through the Django test client: who sees what, refusals that change nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import User
from django.forms import Widget
from django.test import Client

from gongkai.web.agencies.permissions import can
from gongkai.web.core.models import AuditLog
from gongkai.web.requests import forms as f
from gongkai.web.requests import selectors
from gongkai.web.requests.models import Appeal, Attachment, Request, RequestEvent, State
from gongkai.web.requests.privacy import applicant_fields

from ..conftest import COMPANY, FORM, RECEIVED, NewRequest, Tree


def rows() -> tuple[int, ...]:
    """Everything a refused form must leave as it was."""
    return tuple(m.objects.count() for m in (Request, RequestEvent, AuditLog, Attachment, Appeal))


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def form_post(**changes: Any) -> dict[str, Any]:
    data = {**FORM, "agency": "", "received_on": RECEIVED.isoformat(), "token": "tok-1", **changes}
    return {k: v for k, v in data.items() if v is not None}


def test_login_page_and_staff_pages_need_login(client: Client, tree: Tree) -> None:
    page = client.get("/login/")
    assert page.status_code == 200 and "工作人员登录" in page.content.decode()
    for url in ("/", "/requests/", "/requests/new/", "/calendar/", "/reports/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    response = client.post("/login/", {"username": "handle_user", "password": "x"})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("handle", "/", 200),
        ("supervise", "/requests/", 200),
        ("register", "/requests/new/", 200),
        ("handle", "/requests/new/", 403),
        ("supervise", "/requests/new/", 403),
        ("admin", "/calendar/", 200),
        ("handle", "/calendar/", 403),
        ("approve_extension", "/letters/templates/", 200),
        ("handle", "/letters/templates/", 403),
        ("handle", "/reports/", 200),
    ],
)
def test_pages_by_role(client: Client, tree: Tree, role: str, url: str, status: int) -> None:
    response = as_user(client, tree.users[role]).get(url)
    assert response.status_code == status
    assert chinese(response.content.decode())


def test_home_counts_and_list_columns(client: Client, tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    home = as_user(client, tree.handle).get("/").content.decode()
    assert "已超期" in home and f"#{request.pk}" in home  # received 2025, never answered
    listing = client.get("/requests/").content.decode()
    for text in ("张三丰", "互联网渠道", "2025-03-03", "已登记，办理中", "2025-03-31"):
        assert text in listing
    assert client.get("/requests/?q=拆迁").content.decode().count(f"#{request.pk}<") == 1
    assert f"#{request.pk}<" not in client.get("/requests/?q=不存在的内容").content.decode()
    assert f"#{request.pk}<" in client.get("/requests/?overdue=on").content.decode()
    assert f"#{request.pk}<" not in client.get("/requests/?overdue=on&mine=on").content.decode()
    assert f"#{request.pk}<" in client.get("/requests/?received_from=2025-03-01&due=5").content.decode()
    assert f"#{request.pk}<" not in client.get("/requests/?received_from=2025-04-01").content.decode()
    assert client.get("/requests/?page=x&due=abc").status_code == 200


def test_list_is_paged_with_a_bounded_number_of_queries(
    client: Client, tree: Tree, new_request: NewRequest, django_assert_max_num_queries: Any
) -> None:
    for _ in range(55):
        new_request()
    as_user(client, tree.handle)
    with django_assert_max_num_queries(10):
        first = client.get("/requests/").content.decode()
    assert first.count('<th scope="row"><a href="/requests/') == 50 and 'rel="next"' in first
    assert "共 55 件，显示第 1–50 件" in first and "第 1 / 2 页" in first
    second = client.get("/requests/?page=2").content.decode()
    assert second.count('<th scope="row"><a href="/requests/') == 5 and 'rel="prev"' in second
    assert "共 55 件，显示第 51–55 件" in second and 'rel="next"' not in second
    beyond = client.get("/requests/?page=999").content.decode()  # past the last page: the last page
    assert "第 2 / 2 页" in beyond and beyond.count('<th scope="row"><a href="/requests/') == 5
    assert "第 1 / 2 页" in client.get("/requests/?page=-3").content.decode()


def test_a_reversed_date_range_is_refused_with_a_message(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    request = new_request()
    as_user(client, tree.handle)
    html = client.get("/requests/?received_from=2025-04-01&received_to=2025-03-01").content.decode()
    assert "“收到日期自”不能晚于“收到日期至”" in html
    assert f"#{request.pk}<" not in html and "共 0 件" in html
    blank = client.get("/requests/").content.decode()
    assert '<option value="">全部</option>' in blank and "---------" not in blank


def test_filter_selects_offer_the_scope_and_keep_the_choice(client: Client, tree: Tree) -> None:
    html = as_user(client, tree.supervise).get(f"/requests/?agency={tree.street.pk}").content.decode()
    assert f'<option value="{tree.street.pk}" selected>{tree.street.name}</option>' in html
    assert f'<option value="{tree.other.pk}">{tree.other.name}</option>' in html
    assert tree.department.name not in html  # outside the district
    assert f'<option value="{tree.handle.pk}">{tree.handle.username}</option>' in html
    refused = client.get(f"/requests/?agency={tree.department.pk}").content.decode()
    assert '<select name="agency" aria-invalid="true"' in refused


@pytest.mark.parametrize(
    ("fast", "stock", "value"),
    [
        (f.FastTextInput(attrs={"maxlength": "200"}), forms.TextInput(attrs={"maxlength": "200"}), 'a"<b'),
        (f.FastTextInput(), forms.TextInput(), None),
        (f.FastNumberInput(attrs={"min": "0"}), forms.NumberInput(attrs={"min": "0"}), 4),
        (f.FastDateInput(), f.DateInput(), date(2025, 1, 2)),
        (f.FastCheckboxInput(), forms.CheckboxInput(), True),
        (f.FastCheckboxInput(), forms.CheckboxInput(), False),
    ],
)
def test_fast_inputs_write_what_django_writes(fast: Widget, stock: Widget, value: object) -> None:
    attrs = {"id": "id_x", "aria-invalid": "true", "required": True, "disabled": False}
    assert fast.render("x", value, attrs) == stock.render("x", value, attrs)


def test_supervisor_sees_masked_applicant(client: Client, tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    for url in ("/requests/", f"/requests/{request.pk}/"):
        html = as_user(client, tree.supervise).get(url).content.decode()
        assert "张**" in html and "张三丰" not in html and "13812345678" not in html
    detail = as_user(client, tree.handle).get(f"/requests/{request.pk}/").content.decode()
    assert "张三丰" in detail and "110101199001011237" in detail


def test_list_rows_show_each_viewer_what_privacy_allows(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    """The list asks about personal data once per agency; it must mask as the detail page does."""
    made = [
        new_request(),
        new_request(**COMPANY),
        new_request(tree.other, tree.outsider, applicant_name="李四"),
        new_request(tree.department, tree.admin, applicant_name="王五"),
    ]
    for user in [*tree.users.values(), tree.outsider, tree.other_approver]:
        html = as_user(client, user).get("/requests/").content.decode()
        for made_request in made:
            r = Request.objects.select_related("agency").get(pk=made_request.pk)
            cell = f"#{r.pk}</a></th><td>{applicant_fields(user, r)['applicant_name']}</td>"
            assert (cell in html) == can(user, "view", r), (user.username, r.applicant_name)


def test_detail_shows_derivation_timeline_audit_and_role_actions(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    request = new_request()
    html = as_user(client, tree.handle).get(f"/requests/{request.pk}/").content.decode()
    for text in ("答复期限 2025-03-31", "自次日起算 20 个工作日", "跳过周末", "登记申请", "办理过程"):
        assert text in html
    assert f'action="/requests/{request.pk}/do/supplement/"' in html
    assert "/do/extend/" not in html and "/do/answer/" not in html  # 负责人 and 审核 only
    head = as_user(client, tree.head).get(f"/requests/{request.pk}/").content.decode()
    assert "/do/extend/" in head and "/do/supplement/" not in head


def test_forged_ids_give_404_and_change_nothing(client: Client, tree: Tree, new_request: NewRequest) -> None:
    theirs = new_request(agency=tree.other, user=tree.outsider)
    as_user(client, tree.approve)  # the login is an audit entry of its own
    before = rows()
    assert client.get(f"/requests/{theirs.pk}/").status_code == 404
    post = {"answer-outcome": "disclosed", "answer-legal_basis": "第三十六条", "answer-on": "2025-03-10"}
    assert client.post(f"/requests/{theirs.pk}/do/answer/", post).status_code == 404
    assert client.post("/requests/999999/do/answer/", post).status_code == 404
    assert client.get(f"/requests/{theirs.pk}/attachments/1/").status_code == 404
    assert rows() == before
    assert Request.objects.get(pk=theirs.pk).state == State.REGISTERED


def test_double_submission_registers_once(client: Client, tree: Tree) -> None:
    as_user(client, tree.register)
    data = form_post(agency=tree.street.pk)
    first = client.post("/requests/new/", data)
    second = client.post("/requests/new/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Request.objects.count() == 1
    assert AuditLog.objects.filter(action="request.register").count() == 1
    token = client.get("/requests/new/").content.decode()
    assert 'name="token"' in token and 'value="tok-1"' not in token


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"received_on": "2025-02-30"}, "有效的日期"),
        ({"received_on": "2099-01-01"}, "不能晚于今天"),
        ({"channel": "pigeon"}, "选择一个有效的选项"),
        ({"phone": "", "address": "", "email": ""}, "至少填写一种联系方式"),
        ({"applicant_name": ""}, "这个字段是必填项"),
        ({"id_number": "1"}, "身份证号码应为18位"),
        ({"id_number": "110101199001011234"}, "身份证号码校验位不正确"),
        ({"phone": "1"}, "联系电话应为11位手机号码"),
        ({"applicant_kind": "research"}, "请填写法定代表人或负责人"),
    ],
)
def test_malformed_registration_shows_chinese_error(
    client: Client, tree: Tree, changes: dict[str, Any], message: str
) -> None:
    as_user(client, tree.register)
    before = rows()
    response = client.post("/requests/new/", form_post(agency=tree.street.pk, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert rows() == before


def test_registering_at_an_agency_outside_scope_is_refused(client: Client, tree: Tree) -> None:
    as_user(client, tree.register)
    response = client.post("/requests/new/", form_post(agency=tree.other.pk))
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    assert Request.objects.count() == 0


@pytest.mark.parametrize(
    ("user", "action", "data", "message"),
    [
        (
            "approve",
            "answer",
            {"outcome": "published_elsewhere", "legal_basis": "x", "on": "2025-03-10"},
            "有效的选项",
        ),
        ("approve", "answer", {"outcome": "disclosed", "legal_basis": "x", "on": "2025-13-45"}, "有效的日期"),
        ("approve", "answer", {"outcome": "disclosed", "legal_basis": "x", "on": "2025-03-01"}, "早于"),
        ("head", "extend", {"workdays": "30", "on": "2025-03-20", "reason": "需要调查"}, "小于或等于"),
        (
            "handle",
            "supplement",
            {"on": "2025-03-05", "due": "2025-03-04", "items": "请写明文号"},
            "补正期限",
        ),
    ],
)
def test_malformed_actions_show_chinese_error_and_change_nothing(
    client: Client,
    tree: Tree,
    new_request: NewRequest,
    user: str,
    action: str,
    data: dict[str, str],
    message: str,
) -> None:
    request = new_request()
    as_user(client, getattr(tree, user))
    before = rows()
    response = client.post(
        f"/requests/{request.pk}/do/{action}/", {f"{action}-{k}": v for k, v in data.items()}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert rows() == before


def test_extensions_over_twenty_days_in_total_are_refused(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    request = new_request()
    as_user(client, tree.head)
    url = f"/requests/{request.pk}/do/extend/"
    first = {"extend-workdays": "15", "extend-on": "2025-03-20", "extend-reason": "需要调查"}
    assert client.post(url, first).status_code == 302
    before = rows()
    response = client.post(url, {**first, "extend-workdays": "10"})
    assert response.status_code == 400 and "20" in response.content.decode()
    assert rows() == before


def test_actions_run_through_services(client: Client, tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    url = f"/requests/{request.pk}/do/"
    as_user(client, tree.register)
    assert client.post(url + "assign/", {"assign-handler": tree.handle.pk}).status_code == 302
    as_user(client, tree.handle)
    consult = {"consult-party": "某建设公司", "consult-kind": "third_party", "consult-on": "2025-03-05"}
    assert client.post(url + "consult/", consult).status_code == 302
    assert Request.objects.get(pk=request.pk).state == State.IN_CONSULTATION
    end = {"consult_end-party": "某建设公司", "consult_end-on": "2025-03-12"}
    assert client.post(url + "consult_end/", end).status_code == 302
    fee = {"fee_notice-on": "2025-03-13", "fee_notice-method": "per_page", "fee_notice-pages": "150"}
    assert client.post(url + "fee_notice/", fee).status_code == 302
    page = client.get(f"/requests/{request.pk}/").content.decode()
    assert "按量计收" in page and "金额（元）" in page and "暂停计时" in page
    assert client.post(url + "fee_paid/", {"fee_paid-on": "2025-03-20"}).status_code == 302
    as_user(client, tree.approve)
    answer = {
        "answer-outcome": "disclosed",
        "answer-legal_basis": "条例第三十六条",
        "answer-on": "2025-03-25",
    }
    assert client.post(url + "answer/", answer).status_code == 302
    request.refresh_from_db()
    assert (request.state, request.outcome, request.closed_on) == (
        State.ANSWERED,
        "disclosed",
        date(2025, 3, 25),
    )
    as_user(client, tree.handle)
    appeal = {"appeal-kind": "reconsideration", "appeal-filed_on": "2025-04-10"}
    assert client.post(url + "appeal/", appeal).status_code == 302
    pending = Appeal.objects.get(request=request)
    decide = {
        "decide_appeal-appeal": pending.pk,
        "decide_appeal-result": "upheld",
        "decide_appeal-decided_on": "2025-05-10",
    }
    assert client.post(url + "decide_appeal/", decide).status_code == 302
    assert client.post(url + "archive/", {"archive-on": "2025-06-01"}).status_code == 302
    page = client.get(f"/requests/{request.pk}/").content.decode()
    assert "已归档" in page and "结果维持" in page and "操作日志" in page


def test_action_refused_by_role_is_403(client: Client, tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    as_user(client, tree.handle)
    before = rows()
    data = {"answer-outcome": "disclosed", "answer-legal_basis": "x", "answer-on": "2025-03-10"}
    assert client.post(f"/requests/{request.pk}/do/answer/", data).status_code == 403
    assert client.post(f"/requests/{request.pk}/do/unknown/", data).status_code == 404
    assert client.get(f"/requests/{request.pk}/do/answer/").status_code == 405
    assert rows() == before


def test_the_head_sets_an_art35_deadline_and_the_page_explains_it(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    request = new_request()
    url = f"/requests/{request.pk}/do/later_deadline/"
    assert (
        "/do/later_deadline/"
        not in as_user(client, tree.handle).get(f"/requests/{request.pk}/").content.decode()
    )
    assert client.post(url, {"later_deadline-on": "2025-03-20"}).status_code in (403, 404)
    as_user(client, tree.head)
    post = {
        "later_deadline-on": "2025-03-20",
        "later_deadline-due": "2025-04-30",
        "later_deadline-reason": "理由合理",
    }
    assert client.post(url, post).status_code == 302
    page = client.get(f"/requests/{request.pk}/").content.decode()
    assert "法定答复期限 2025-03-31" in page
    assert "依《条例》第三十五条确定延迟答复的合理期限 2025-04-30" in page


def test_the_handler_asks_for_reasons_and_the_timeline_shows_them(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    request = new_request()
    as_user(client, tree.handle)
    assert (
        f'action="/requests/{request.pk}/do/ask_reasons/"'
        in client.get(f"/requests/{request.pk}/").content.decode()
    )
    post = {
        "ask_reasons-on": "2025-03-05",
        "ask_reasons-reply_by": "2025-03-12",
        "ask_reasons-grounds": "一个月内申请 60 件",
    }
    assert client.post(f"/requests/{request.pk}/do/ask_reasons/", post).status_code == 302
    page = client.get(f"/requests/{request.pk}/").content.decode()
    assert "要求说明理由" in page and "说明理由的期限：2025-03-12" in page and "一个月内申请 60 件" in page
    assert "答复期限：2025年3月31日" in page  # the clock keeps running


def test_the_navigation_offers_each_user_their_pages(client: Client, tree: Tree) -> None:
    def links(path: str = "/") -> set[str]:
        page = client.get(path).content.decode()
        nav = page[page.index("<nav") : page.index("</nav>")]
        labels = ("登记申请", "节假日安排", "文书模板", "在线申请", "申请列表")
        return {label for label in labels if label in nav}

    assert links("/login/") == {"在线申请"}
    as_user(client, tree.register)
    assert links() == {"登记申请", "申请列表"}
    as_user(client, tree.supervise)
    assert links() == {"申请列表"}
    as_user(client, tree.head)
    assert links() == {"文书模板", "申请列表"}
    as_user(client, tree.admin)  # an admin of the root agency also keeps the calendar
    assert links() == {"登记申请", "节假日安排", "文书模板", "申请列表"}
    client.logout()
    assert links("/login/") == {"在线申请"}


def test_the_filter_row_offers_the_scope_and_keeps_the_choice(client: Client, tree: Tree) -> None:
    as_user(client, tree.supervise)
    for _ in range(2):  # written afresh, then kept
        page = client.get("/requests/").content.decode()
        assert f'<option value="{tree.street.pk}">{tree.street.name}</option>' in page
        assert tree.department.name not in page  # outside the district
        assert " selected>" not in page
    page = client.get(f"/requests/?agency={tree.street.pk}").content.decode()
    assert f'<option value="{tree.street.pk}" selected>{tree.street.name}</option>' in page
    page = client.get("/requests/?due=abc").content.decode()
    assert 'name="due" value="abc"' in page and "errorlist" in page


def test_overdue_reads_the_same_on_every_page(client: Client, tree: Tree, new_request: NewRequest) -> None:
    """Received in March 2025 and never answered: long overdue, in one wording everywhere."""
    request = new_request()
    state = selectors.clock_state(request)
    assert state.overdue and state.remaining_workdays is not None
    text = f"已超期 {-state.remaining_workdays} 个工作日"
    assert state.countdown_zh == text
    client.force_login(tree.handle)
    for page in (f"/requests/{request.pk}/", "/requests/", "/", f"/public/track/{request.tracking_code}/"):
        html = client.get(page).content.decode()
        assert text in html, page
        # The grouped tracking code ("7K3M-4170-…") may hold the digits by chance: leave it out.
        html = html.replace(request.tracking_code_grouped, "").replace(request.tracking_code, "")
        assert "计时中" not in html and str(state.remaining_workdays) not in html, page


def test_a_backdated_receipt_is_registered_with_a_warning(client: Client, tree: Tree) -> None:
    as_user(client, tree.register)
    response = client.post("/requests/new/", form_post(agency=tree.street.pk), follow=True)
    page = response.content.decode()
    assert Request.objects.count() == 1
    assert f"收到申请日期 {RECEIVED.isoformat()} 早于今天" in page and "请核实" in page


def test_an_organisations_contacts_show_to_those_who_see_personal_data(
    client: Client, tree: Tree, new_request: NewRequest
) -> None:
    company = new_request(**COMPANY)
    page = as_user(client, tree.handle).get(f"/requests/{company.pk}/").content.decode()
    assert "钱董事" in page and "孙联络" in page
    masked = as_user(client, tree.supervise).get(f"/requests/{company.pk}/").content.decode()
    assert "钱董事" not in masked and "孙联络" not in masked
