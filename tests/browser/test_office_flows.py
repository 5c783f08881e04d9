"""The office's daily tools clicked through in headless Chromium: the sign-off chain, a transfer
and its return, a 催办 seen by the handler, the ledger import preview, the 台账 export, bulk
assignment and the timeliness on the home page."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from gongkai.web.agencies.models import AgencyKind, Level, Membership, Role
from gongkai.web.requests import services
from gongkai.web.requests.models import EventKind, Request, State

from .conftest import PASSWORD, Desk, _agency
from .test_desk_flows import act

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT = {
    "applicant_kind": "natural_person",
    "applicant_name": "周台账",
    "id_type": "resident_id",
    "id_number": "110101199003034563",
    "phone": "13900002222",
    "channel": "in_person",
    "content": "申请公开东湖路绿化工程的验收报告",
    "delivery": "electronic",
}


def registered(desk: Desk, days_ago: int = 10, **changes: str) -> Request:
    user = User.objects.get(username="register_user")
    received = timezone.localdate() - timedelta(days=days_ago)
    return services.register_request(user, desk.street, received_on=received, **{**APPLICANT, **changes})


def decide(page: Page, decision: str, comment: str) -> None:
    page.locator("#action-signoff > summary").click()
    page.check(f"#action-signoff input[value={decision}]")
    page.fill("#id_signoff-comment", comment)
    page.locator("#action-signoff button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".errorlist")).to_have_count(0)


def test_sign_off_chain_draft_return_and_sign(desk: Desk) -> None:
    r = registered(desk)

    # 负责人 sets the chain: 审核, then 负责人.
    page = desk.login("approve_extension")
    page.get_by_role("link", name="签批流程").click()
    page.check(f"#id_a{desk.street.pk}-steps_0")
    page.check(f"#id_a{desk.street.pk}-steps_1")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("body")).to_contain_text("已保存")
    page.context.close()

    # 承办 drafts the answer and the 答复书; 审核 returns it with comments.
    page = desk.login("handle")
    page.goto(f"{desk.url}/requests/{r.pk}/")
    expect(page.locator("#action-answer")).to_have_count(0)
    act(
        page,
        "draft",
        {"legal_basis": "《条例》第二十七条", "letter_number": "东政公开〔2025〕7号"},
        {"outcome": "disclosed"},
    )
    expect(page.locator("section.draft")).to_contain_text("→审核")
    page.context.close()
    page = desk.login("approve_answer")
    page.goto(f"{desk.url}/requests/{r.pk}/")
    decide(page, "return", "请补充法律依据的条款项")
    expect(page.locator("#timeline")).to_be_visible()
    expect(page.locator("section[aria-labelledby=timeline]")).to_contain_text("请补充法律依据的条款项")
    page.context.close()

    # The handler sees the return on the home page, drafts again; 审核 and 负责人 sign.
    page = desk.login("handle")
    expect(page.locator("section.inbox")).to_contain_text("退回")
    page.goto(f"{desk.url}/requests/{r.pk}/")
    act(page, "draft", {"legal_basis": "《条例》第二十七条第一款"}, {"outcome": "disclosed"})
    page.context.close()
    page = desk.login("approve_answer")
    page.goto(f"{desk.url}/requests/{r.pk}/")
    decide(page, "sign", "同意")
    expect(page.locator("h1")).not_to_contain_text("已答复")
    page.context.close()
    page = desk.login("approve_extension")
    page.goto(f"{desk.url}/requests/{r.pk}/")
    expect(page.locator("section.draft")).to_contain_text("✓审核")
    decide(page, "sign", "签发")
    expect(page.locator("h1")).to_contain_text("已答复")
    audit = page.locator("section[aria-labelledby=audit-heading]")
    expect(audit).to_contain_text("签批同意")
    expect(audit).to_contain_text("签批退回")
    page.context.close()
    done = Request.objects.get(pk=r.pk)
    assert done.state == State.ANSWERED and done.legal_basis == "《条例》第二十七条第一款"


def test_transfer_and_send_back_keep_the_received_date(desk: Desk) -> None:
    west = _agency("西城街道办事处", Level.TOWNSHIP, AgencyKind.TOWNSHIP, desk.district)
    clerk = User.objects.create_user("west_register", password=PASSWORD)
    Membership.objects.create(user=clerk, agency=west, role=Role.REGISTER)
    r = registered(desk)

    page = desk.login("register")
    page.goto(f"{desk.url}/requests/{r.pk}/")
    page.locator("#action-transfer > summary").click()
    page.select_option("#id_transfer-to", str(west.pk))
    page.fill("#id_transfer-reason", "所涉道路属西城街道管辖")
    page.locator("#action-transfer button[type=submit]").click()
    page.wait_for_url(f"{desk.url}/requests/")
    expect(page.locator(f"a[href='/requests/{r.pk}/']")).to_have_count(0)  # left the first office's list
    page.context.close()

    page = desk.page()
    page.goto(f"{desk.url}/login/")
    page.fill("#id_username", "west_register")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{desk.url}/")
    expect(page.locator("section.inbox")).to_contain_text("所涉道路属西城街道管辖")
    page.goto(f"{desk.url}/requests/{r.pk}/")
    expect(page.locator("dl.facts")).to_contain_text(r.received_on.isoformat())
    act(page, "send_back", {"reason": "经核实仍属东湖街道职责"})
    page.context.close()
    back = Request.objects.get(pk=r.pk)
    assert back.agency == desk.street and back.received_on == r.received_on
    assert [e.kind for e in back.events.all()][-2:] == [EventKind.TRANSFERRED, EventKind.SENT_BACK]


def test_urging_shows_on_the_handlers_home_and_timeline(desk: Desk) -> None:
    r = registered(desk, days_ago=30)
    services.assign_handler(
        User.objects.get(username="register_user"), r, User.objects.get(username="handle_user")
    )
    page = desk.login("approve_extension")
    page.goto(f"{desk.url}/requests/{r.pk}/")
    act(page, "urge", {"note": "已超期，请今日内答复"})
    page.context.close()

    page = desk.login("handle")
    inbox = page.locator("section.inbox")
    expect(inbox).to_contain_text("【催办】")
    expect(inbox).to_contain_text("已超期，请今日内答复")
    expect(page.locator("section.timeliness")).to_contain_text("最久未办结")
    inbox.get_by_role("link").first.click()
    expect(page.locator("section[aria-labelledby=timeline]")).to_contain_text("催办")
    page.goto(f"{desk.url}/")
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator("section.inbox")).to_have_count(0)
    page.context.close()


def test_ledger_import_preview_then_confirm(desk: Desk, tmp_path: Path) -> None:
    rows = [
        ["收到申请日期", "申请方式", "申请人类型", "申请人姓名或名称", "证件类型", "证件号码", "联系电话"],
        ["2025-03-03", "当面提交", "自然人", "钱导入", "居民身份证", "110101199001011237", "13800000000"],
        ["2025-02-30", "当面提交", "自然人", "孙导入", "居民身份证", "110101199001015676", "13800000001"],
    ]
    rows[0] += ["所需政府信息的内容描述", "获取信息的方式"]
    rows[1] += ["申请公开2024年预算", "电子文本"]
    rows[2] += ["申请公开2024年决算", "电子文本"]
    path = tmp_path / "台账.csv"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")

    page = desk.login("register")
    page.goto(f"{desk.url}/requests/")
    page.get_by_role("link", name="导入台账").click()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="检查并预览").click()
    preview = page.locator("table.ledger-preview")
    expect(page.locator("p.summary")).to_contain_text("可导入 1 行；有错误 1 行")
    expect(preview).to_contain_text("第 3 行“收到申请日期”列不是有效日期：“2025-02-30”")
    assert not Request.objects.exists()
    page.get_by_role("button", name="确认导入 1 行").click()
    expect(page.locator("body")).to_contain_text("已导入 1 件")
    expect(page.locator("table.list")).to_contain_text("钱导入")
    page.context.close()


def test_export_and_bulk_assign_from_the_filtered_list(desk: Desk) -> None:
    first, second = registered(desk), registered(desk, content="申请公开另一项目的批复")
    page = desk.login("register")
    page.goto(f"{desk.url}/requests/?q=验收报告")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出台账（CSV）").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    exported = list(csv.reader(io.StringIO(text)))
    assert [row[0] for row in exported[1:]] == [str(first.pk)]

    page.goto(f"{desk.url}/requests/")
    page.get_by_role("link", name="批量操作").click()
    page.check(f"#bulk-{first.pk}")
    page.check(f"#bulk-{second.pk}")
    page.select_option("#id_action", "assign")
    page.select_option("#id_handler", label="handle_user")
    page.get_by_role("button", name="执行").click()
    expect(page.locator("body")).to_contain_text("已处理 2 件")
    page.context.close()
    assert set(Request.objects.values_list("handler__username", flat=True)) == {"handle_user"}
