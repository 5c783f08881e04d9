"""Services: audit entries with before and after, permissions, refusals that change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile

from gongkai.web.agencies.permissions import can, visible_agencies
from gongkai.web.core.audit import history
from gongkai.web.core.errors import ServiceError
from gongkai.web.core.models import AuditLog
from gongkai.web.reports.services import build_annual_report
from gongkai.web.requests import clock, selectors, services
from gongkai.web.requests.models import OUTCOMES, EventKind, Request, State
from gongkai.web.requests.privacy import applicant_fields
from gongkai.web.requests.selectors import requests_for

from ..conftest import FORM, RECEIVED, NewRequest, Tree, day, refused


def test_register_writes_request_event_and_audit(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    assert request.state == State.REGISTERED and request.outcome is None and request.closed_on is None
    assert len(request.tracking_code) == 20
    assert list(request.events.values_list("kind", "date")) == [("registered", RECEIVED)]
    entry = history(request).get()
    assert entry.action == "request.register" and entry.actor == tree.register
    assert entry.before is None and entry.after is not None
    assert entry.after["received_on"] == "2025-03-03" and entry.after["state"] == "registered"


def test_double_submission_creates_one_request(tree: Tree, new_request: NewRequest) -> None:
    first = new_request(idempotency_key="form-token-1")
    second = new_request(idempotency_key="form-token-1")
    assert first.pk == second.pk
    assert Request.objects.count() == 1
    assert AuditLog.objects.count() == 1
    assert new_request(idempotency_key="form-token-2").pk != first.pk


@pytest.mark.parametrize(
    "changes",
    [
        {"received_on": "2025-02-30"},
        {"received_on": "03/03/2025"},
        {"received_on": date.today() + timedelta(days=3)},
        {"channel": "pigeon"},
        {"applicant_kind": "legal_person"},
        {"applicant_name": "   "},
        {"content": ""},
        {"email": "not-an-email"},
        {"phone": "", "address": "", "email": ""},
        {"id_number": "1"},
        {"id_number": "110101199001011234"},  # wrong check digit (…7 is right)
        {"id_number": "991101199001011237"},  # no such province
        {"id_type": "passport", "id_number": "1"},
        {"id_type": "credit_code", "id_number": "91110000600037341X"},
        {"phone": "1"},
        {"applicant_kind": "commercial", "contact_person": "孙联络"},  # no 法定代表人
        {"applicant_kind": "commercial", "legal_representative": "钱董事"},  # no contact person
    ],
)
def test_malformed_registration_is_refused(
    tree: Tree, new_request: NewRequest, changes: dict[str, Any]
) -> None:
    with refused(services.InvalidInput):
        new_request(**changes)


def test_forged_ids_of_other_agencies_are_refused(tree: Tree, new_request: NewRequest) -> None:
    mine = new_request()
    theirs = new_request(agency=tree.other, user=tree.outsider)
    assert list(requests_for(tree.handle)) == [mine]
    with pytest.raises(services.NotFound):
        selectors.get_request(tree.handle, theirs.pk)
    with pytest.raises(services.NotFound):
        selectors.get_request(tree.handle, "1; DROP TABLE")
    assert not can(tree.approve, "approve_answer", theirs)
    with refused(services.PermissionDenied):
        services.answer(tree.approve, theirs, "disclosed", "第三十六条", day(5))
    with refused(services.PermissionDenied):
        services.request_supplement(tree.handle, theirs, day(1), day(20), "补充")
    with refused(services.PermissionDenied):
        new_request(agency=tree.other)  # registering at an agency one has no role at
    assert selectors.audit_log(tree.handle, theirs).count() == 0
    assert selectors.audit_log(tree.outsider, theirs).count() == 1


def test_supervisor_sees_subtree_read_only_and_masked(tree: Tree, new_request: NewRequest) -> None:
    mine = new_request()
    theirs = new_request(agency=tree.other, user=tree.outsider)
    assert set(requests_for(tree.supervise)) == {mine, theirs}
    assert tree.city not in visible_agencies(tree.supervise)
    assert set(visible_agencies(tree.admin)) == set(tree.city.subtree())
    assert not can(tree.supervise, "handle", mine)
    masked = applicant_fields(tree.supervise, mine)
    assert masked["applicant_name"] == "张**"
    assert masked["id_number"] == "1101**********1237"
    assert masked["phone"] == "138****5678"
    assert masked["email"] == "z****@example.com"
    assert applicant_fields(tree.handle, mine)["id_number"] == FORM["id_number"]
    assert applicant_fields(AnonymousUser(), mine)["applicant_name"] == "张**"
    with refused(services.PermissionDenied):
        services.answer(tree.supervise, mine, "disclosed", "第三十六条", day(5))


def test_full_flow_states_clock_and_audit(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    done = services.request_supplement(tree.handle, request, day(2), day(20), "请明确文件名称")
    assert done.request.state == State.AWAITING_SUPPLEMENT and done.warnings == ()
    assert selectors.clock_state(request).answer_due is None
    assert services.receive_supplement(tree.handle, request, day(9)).request.state == State.REGISTERED
    assert services.start_consultation(
        tree.handle, request, "某公司", "third_party", day(10)
    ).request.state == (State.IN_CONSULTATION)
    services.end_consultation(tree.handle, request, "某公司", day(15), "不同意公开")
    assert (
        services.approve_extension(tree.head, request, 10, day(30), "需调取档案").request.state
        == State.EXTENDED
    )
    fee = services.issue_fee_notice(tree.handle, request, day(31), "per_page", 150)
    assert fee.event.data["amount"] == 1700 and fee.request.state == State.AWAITING_FEE
    services.record_fee_payment(tree.handle, request, day(33))
    clock = selectors.clock_state(request)
    lines = "\n".join(clock.lines())
    assert "重新起算" in lines and "征求意见" in lines and "批准延期 10 个工作日" in lines
    due = clock.answer_due
    assert due is not None
    answered = services.answer(tree.approve, request, "partly_disclosed", "第三十七条", day(40))
    request.refresh_from_db()
    assert (request.state, request.outcome, request.closed_on) == (
        State.ANSWERED,
        "partly_disclosed",
        day(40),
    )
    entry = history(request).latest("id")
    assert entry.action == "request.answered" and entry.actor == tree.approve
    assert entry.before is not None and entry.after is not None
    assert entry.before["state"] == "extended" and entry.before["outcome"] is None
    assert (
        entry.after["outcome"] == "partly_disclosed" and entry.after["event"]["date"] == day(40).isoformat()
    )
    assert answered.clock.status == "answered"
    services.archive(tree.handle, request, day(60))
    request.refresh_from_db()
    assert request.state == State.ARCHIVED and request.outcome == "partly_disclosed"
    actions = [a for a in selectors.audit_log(tree.handle, request).values_list("action", flat=True)]
    assert actions[0] == "request.register" and actions[-1] == "request.archive" and len(actions) == 10


def test_roles_are_enforced(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    with refused(services.PermissionDenied):
        services.approve_extension(tree.handle, request, 5, day(10), "理由")
    with refused(services.PermissionDenied):
        services.answer(tree.handle, request, "disclosed", "第三十六条", day(10))
    with refused(services.PermissionDenied):
        services.answer(AnonymousUser(), request, "disclosed", "第三十六条", day(10))
    assert (
        services.answer(tree.admin, request, "disclosed", "第三十六条", day(10)).request.state == "answered"
    )


@pytest.mark.parametrize(
    ("call", "kind"),
    [
        (lambda t, r: services.answer(t.approve, r, "approved", "第三十六条", day(5)), services.InvalidInput),
        (lambda t, r: services.answer(t.approve, r, "disclosed", " ", day(5)), services.InvalidInput),
        (
            lambda t, r: services.answer(t.approve, r, "other_no_supplement", "第三十条", day(5)),
            services.InvalidInput,
        ),
        (
            lambda t, r: services.answer(t.approve, r, "disclosed", "第三十六条", "2025-13-01"),
            services.InvalidInput,
        ),
        (
            lambda t, r: services.answer(t.approve, r, "disclosed", "第三十六条", day(-5)),
            services.InvalidInput,
        ),
        (lambda t, r: services.approve_extension(t.head, r, 21, day(5), "理由"), services.InvalidInput),
        (lambda t, r: services.approve_extension(t.head, r, "十", day(5), "理由"), services.InvalidInput),
        (lambda t, r: services.approve_extension(t.head, r, 0, day(5), "理由"), services.InvalidInput),
        (lambda t, r: services.receive_supplement(t.handle, r, day(5)), services.InvalidInput),
        (lambda t, r: services.end_consultation(t.handle, r, "无此方", day(5)), services.InvalidInput),
        (lambda t, r: services.record_fee_payment(t.handle, r, day(5)), services.InvalidInput),
        (
            lambda t, r: services.request_supplement(t.handle, r, day(5), day(4), "补充"),
            services.InvalidInput,
        ),
        (lambda t, r: services.issue_fee_notice(t.handle, r, day(5), "per_page", 30), services.InvalidInput),
        (lambda t, r: services.issue_fee_notice(t.handle, r, day(5), "per_item"), services.InvalidInput),
        (lambda t, r: services.close_without_supplement(t.approve, r, day(5)), services.Conflict),
        (lambda t, r: services.close_unpaid_fee(t.approve, r, day(5)), services.Conflict),
        (lambda t, r: services.archive(t.handle, r, day(5)), services.Conflict),
    ],
)
def test_malformed_input_changes_nothing(
    tree: Tree, new_request: NewRequest, call: Callable[[Tree, Request], object], kind: type[ServiceError]
) -> None:
    request = new_request()
    with refused(kind):
        call(tree, request)


def test_extensions_total_at_most_twenty_working_days(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    services.approve_extension(tree.head, request, 15, day(10), "理由")
    with refused(services.InvalidInput):
        services.approve_extension(tree.head, request, 10, day(12), "理由")
    services.approve_extension(tree.head, request, 5, day(12), "理由")


def test_closed_requests_accept_no_more_events(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    services.withdraw(tree.handle, request, day(3), "申请人电话撤回")
    request.refresh_from_db()
    assert (request.state, request.outcome, request.closed_on) == (State.WITHDRAWN, "other_other", day(3))
    with refused(services.Conflict):
        services.answer(tree.approve, request, "disclosed", "第三十六条", day(5))
    services.record_letter(tree.handle, request, "answer", day(4), "示例〔2025〕1号")


def test_close_without_supplement_after_the_deadline(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    services.request_supplement(tree.handle, request, day(2), day(17), "请明确文件名称")
    with refused(services.Conflict):
        services.close_without_supplement(tree.approve, request, day(17))
    services.close_without_supplement(tree.approve, request, day(18))
    request.refresh_from_db()
    assert (request.outcome, request.closed_on) == ("other_no_supplement", day(18))
    assert request.state == State.NO_SUPPLEMENT and not request.is_open  # its own state, not 已答复
    assert clock.derive(request, request.events.all()).countdown_zh == "逾期未补正，视为放弃申请，已结案"
    answered = new_request()
    services.answer(tree.approve, answered, "disclosed", "第三十六条", day(5))
    # Table 三 counts it as (六)1 and handled, beside the one answered: the tally goes by outcome.
    report = build_annual_report(tree.street, 2025)
    assert report.requests["other_no_supplement"]["natural_person"] == 1
    assert report.requests["disclosed"]["natural_person"] == 1
    assert report.requests["handled_total"]["natural_person"] == 2
    assert report.requests["carried_forward"]["natural_person"] == 0
    services.archive(tree.handle, request, day(30))
    request.refresh_from_db()
    assert request.state == State.ARCHIVED


def test_close_unpaid_fee_after_twenty_working_days(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    new_request(idempotency_key=None)  # the same applicant's requests this month count for 按件
    notice = services.issue_fee_notice(tree.handle, request, day(3), "per_page", 31)
    assert notice.event.data["amount"] == 10
    with refused(services.Conflict):
        services.close_unpaid_fee(tree.approve, request, day(10))
    services.close_unpaid_fee(tree.approve, request, day(40))
    request.refresh_from_db()
    assert request.outcome == "other_unpaid_fee"
    assert clock.derive(request, request.events.all()).countdown_zh == "逾期未缴费，视为放弃申请，已结案"


def test_late_supplement_notice_is_recorded_with_the_clock_warning(
    tree: Tree, new_request: NewRequest
) -> None:
    done = services.request_supplement(tree.handle, new_request(), day(14), day(30), "请明确文件名称")
    assert any("补正告知晚于" in w for w in done.warnings)


def test_assign_handler(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    services.assign_handler(tree.register, request, tree.handle)
    request.refresh_from_db()
    assert request.handler == tree.handle
    with refused(services.InvalidInput):
        services.assign_handler(tree.register, request, tree.approve)
    entry = history(request).latest("id")
    assert entry.before == {"handler_id": None} and entry.after == {"handler_id": tree.handle.pk}


def test_lists_due_within_and_overdue(tree: Tree, new_request: NewRequest) -> None:
    open_one = new_request()
    answered = new_request(received_on=RECEIVED + timedelta(days=1))
    services.answer(tree.approve, answered, "disclosed", "第三十六条", day(5))
    due = selectors.clock_state(open_one).answer_due
    assert due is not None
    assert [r["pk"] for r, _ in selectors.overdue(tree.handle, as_of=due)] == []
    assert [r["pk"] for r, _ in selectors.overdue(tree.handle, as_of=due + timedelta(days=1))] == [
        open_one.pk
    ]
    assert [r["pk"] for r, _ in selectors.due_within(tree.handle, 3, as_of=due - timedelta(days=2))] == [
        open_one.pk
    ]
    assert selectors.due_within(tree.handle, 1, as_of=RECEIVED) == []
    assert selectors.overdue(tree.outsider, as_of=due + timedelta(days=1)) == []
    assert list(selectors.requests(tree.handle, search=open_one.tracking_code)) == [open_one]
    typed = open_one.tracking_code_grouped.lower()
    assert list(selectors.requests(tree.handle, search=typed)) == [open_one]
    assert set(selectors.requests(tree.handle, search="拆迁")) == {open_one, answered}
    assert list(selectors.requests(tree.handle, state="answered")) == [answered]
    assert selectors.request_by_tracking_code(open_one.tracking_code) == open_one
    assert selectors.request_by_tracking_code(typed.replace("-", " ")) == open_one
    assert selectors.request_by_tracking_code("guess") is None


def test_appeals(tree: Tree, new_request: NewRequest) -> None:
    request = new_request()
    with refused(services.Conflict):  # an appeal is about an answer: the request is still open
        services.file_appeal(tree.handle, request, "reconsideration", day(30))
    services.answer(tree.approve, request, "disclosed", "第二十七条", day(10))
    with refused(services.InvalidInput):
        services.file_appeal(tree.handle, request, "complaint", day(30))
    appeal = services.file_appeal(tree.handle, request, "reconsideration", day(30))
    with refused(services.InvalidInput):
        services.decide_appeal(tree.handle, appeal, "upheld", day(20))
    services.decide_appeal(tree.handle, appeal, "upheld", day(90))
    with refused(services.Conflict):
        services.decide_appeal(tree.handle, appeal, "corrected", day(91))
    assert history(request).filter(action__startswith="appeal.").count() == 2


def test_outcome_list_is_the_table_leaves() -> None:
    assert len(OUTCOMES) == 21


def test_attachments_are_stored_and_audited(
    tree: Tree, new_request: NewRequest, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    request = new_request()
    attachment = services.add_attachment(
        tree.handle, request, ContentFile(b"%PDF-1.4", name="../申请表.pdf"), "申请表"
    )
    assert attachment.file.name.startswith(f"attachments/{tree.street.pk}/{request.pk}/")
    assert history(request).filter(action="attachment.add").exists()
    with refused(services.PermissionDenied):
        services.add_attachment(tree.outsider, request, ContentFile(b"x", name="x.txt"))


def test_asking_for_reasons_is_an_event_and_the_clock_keeps_running(
    tree: Tree, new_request: NewRequest
) -> None:
    """Art. 35: the agency asks for the reasons of a mass request; unreasonable ones end it as (五)4."""
    request = new_request()
    due = selectors.clock_state(request).answer_due
    grounds = "申请人一个月内提出 60 件申请"
    with refused(services.PermissionDenied):
        services.request_reasons(tree.outsider, request, day(3), day(10), grounds)
    with refused(services.InvalidInput):
        services.request_reasons(tree.handle, request, day(3), day(3), grounds)
    with refused(services.InvalidInput):
        services.request_reasons(tree.handle, request, day(3), day(10), "  ")
    recorded = services.request_reasons(tree.handle, request, day(3), day(10), grounds)
    assert recorded.event.kind == EventKind.REASONS_REQUESTED
    assert recorded.event.data == {"reply_by": day(10).isoformat(), "grounds": grounds}
    assert recorded.request.state == State.REGISTERED
    assert recorded.clock.answer_due == due
    assert history(request).filter(action="request.reasons_requested").count() == 1
    ended = services.answer(
        tree.approve, request, "rejected_excessive", "《中华人民共和国政府信息公开条例》第三十五条", day(12)
    )
    assert ended.request.outcome == "rejected_excessive" and ended.request.closed_on == day(12)


def test_a_reasonable_later_deadline_is_set_by_the_head_only(tree: Tree, new_request: NewRequest) -> None:
    """Art. 35: the statutory due date (2025-03-31) gives way to the deadline the agency set."""
    request = new_request()
    reason = "申请数量明显超过合理范围，申请人说明的理由合理"
    with refused(services.PermissionDenied):
        services.set_later_deadline(tree.handle, request, day(17), date(2025, 4, 30), reason)
    with refused(services.InvalidInput):
        services.set_later_deadline(tree.head, request, day(17), day(17), reason)
    with refused(services.InvalidInput):
        services.set_later_deadline(tree.head, request, day(17), "四月底", reason)
    recorded = services.set_later_deadline(tree.head, request, day(17), date(2025, 4, 30), reason)
    assert recorded.clock.answer_due == date(2025, 4, 30)
    assert recorded.request.state == State.EXTENDED
    assert not selectors.clock_state(recorded.request, as_of=date(2025, 4, 1)).overdue
    assert selectors.clock_state(recorded.request, as_of=date(2025, 5, 6)).overdue
    entry = history(request).latest("at")
    assert (
        entry.action == "request.later_deadline_set" and entry.after["event"]["data"]["due"] == "2025-04-30"
    )
    with refused(services.InvalidInput):  # only once
        services.set_later_deadline(tree.head, request, day(20), date(2025, 5, 30), reason)


def test_identity_numbers_and_phones_are_stored_normalised(tree: Tree, new_request: NewRequest) -> None:
    person = new_request(id_number="11010519491231002x", phone="139 0000 1111")
    assert (person.id_number, person.phone) == ("11010519491231002X", "13900001111")
    landline = new_request(phone="0371-62345678", legal_representative="不该保存")
    assert landline.phone == "0371-62345678" and landline.legal_representative == ""
    company = new_request(
        applicant_kind="commercial",
        applicant_name="示例有限公司",
        id_type="credit_code",
        id_number="91110000600037341l",
        legal_representative="钱董事",
        contact_person="孙联络",
    )
    assert company.id_number == "91110000600037341L"
    assert (company.legal_representative, company.contact_person) == ("钱董事", "孙联络")


def test_a_backdated_receipt_is_warned_about_past_the_configured_days(settings: Any) -> None:
    settings.GONGKAI_BACKDATE_WARN_DAYS = 3
    today = date(2025, 3, 10)
    assert services.backdating_warning(date(2025, 3, 7), today) == ""
    warning = services.backdating_warning(date(2025, 3, 6), today)
    assert "早于今天 4 天（超过 3 天）" in warning
    settings.GONGKAI_BACKDATE_WARN_DAYS = 10
    assert services.backdating_warning(date(2025, 3, 6), today) == ""
