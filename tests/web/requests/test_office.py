"""The office's daily tools: 催办 and reminders, transfer, sign-off, bulk actions, timeliness."""

from __future__ import annotations

from datetime import date, timedelta

import docx
import pytest
from django.core import mail
from django.core.management import call_command

from gongkai.web.core.errors import Conflict, InvalidInput, PermissionDenied
from gongkai.web.core.models import AuditLog
from gongkai.web.requests import selectors, services
from gongkai.web.requests.models import (
    AnswerDraft,
    Attachment,
    DraftStatus,
    EventKind,
    Notification,
    NotificationKind,
    Request,
    State,
)
from gongkai.web.requests.services import bulk, reminders, signoff, transfer

from ..conftest import RECEIVED, NewRequest, Tree, refused


def kinds(request: Request) -> list[str]:
    return [e.kind for e in request.events.all()]


# 催办 and reminders --------------------------------------------------------------------------------


def test_urge_is_an_event_told_to_the_handler_and_only_heads_or_supervisors_may(
    tree: Tree, new_request: NewRequest
) -> None:
    r = new_request()
    services.assign_handler(tree.register, r, tree.handle)
    for who in (tree.handle, tree.register, tree.approve, tree.outsider):
        with refused(PermissionDenied):
            reminders.urge(who, r, "请尽快答复")
    with refused(InvalidInput):
        reminders.urge(tree.head, r, "  ")
    reminders.urge(tree.head, r, "请尽快答复")
    reminders.urge(tree.supervise, r, "督办：本周内办结")
    assert kinds(r).count(EventKind.URGED) == 2
    told = Notification.objects.filter(user=tree.handle, kind=NotificationKind.URGED)
    assert sorted(n.message for n in told) == [
        f"申请 #{r.pk} 被催办：督办：本周内办结",
        f"申请 #{r.pk} 被催办：请尽快答复",
    ]
    assert AuditLog.objects.filter(action="request.urged", subject_id=str(r.pk)).count() == 2


def test_urge_without_a_handler_tells_every_handler_of_the_office(
    tree: Tree, new_request: NewRequest
) -> None:
    r = new_request()
    reminders.urge(tree.head, r, "请分办")
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["handle_user"]


def test_reminders_tell_handler_and_heads_once_a_day_and_the_digest_mails_them(
    tree: Tree, new_request: NewRequest
) -> None:
    late = new_request(received_on=RECEIVED)
    soon = new_request(received_on=RECEIVED + timedelta(days=21))
    far = new_request(received_on=RECEIVED + timedelta(days=40))
    services.assign_handler(tree.register, late, tree.handle)
    today = selectors.clock_state(soon).answer_due
    assert today is not None
    due = reminders.remind(today - timedelta(days=1), within=3)
    assert (due.due_soon, due.overdue) == (1, 1)
    again = reminders.remind(today - timedelta(days=1), within=3)
    assert again == due
    notes = Notification.objects.order_by("request_id", "user__username")
    assert [(n.request_id, n.kind, n.user.username) for n in notes] == [
        (late.pk, NotificationKind.OVERDUE, "approve_extension_user"),
        (late.pk, NotificationKind.OVERDUE, "handle_user"),
        (soon.pk, NotificationKind.DUE_SOON, "approve_extension_user"),
    ]
    assert not Notification.objects.filter(request=far).exists()

    tree.handle.email, tree.head.email = "handle@example.com", "head@example.com"
    tree.handle.save()
    tree.head.save()
    mail.outbox.clear()
    assert reminders.send_digest() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["handle@example.com", "head@example.com"]
    head_mail = next(m for m in mail.outbox if m.to == ["head@example.com"])
    assert "（2 条）" in head_mail.subject and f"申请 #{soon.pk}" in head_mail.body
    assert reminders.send_digest() == 0  # each notification is mailed once


def test_digest_command_runs_the_reminders(tree: Tree, new_request: NewRequest) -> None:
    r = new_request(received_on=RECEIVED)
    call_command("digest", "--date", (RECEIVED + timedelta(days=60)).isoformat(), "--no-mail")
    assert Notification.objects.filter(request=r, kind=NotificationKind.OVERDUE).count() == 1


def test_mark_read_touches_only_ones_own(tree: Tree, new_request: NewRequest) -> None:
    r = new_request()
    reminders.urge(tree.head, r, "请尽快")
    assert reminders.mark_read(tree.head) == 0
    assert reminders.mark_read(tree.handle) == 1
    assert not Notification.objects.filter(read_at__isnull=True).exists()


# Transfer ------------------------------------------------------------------------------------------


def test_transfer_keeps_the_received_date_and_clock_and_leaves_the_first_office(
    tree: Tree, new_request: NewRequest
) -> None:
    r = new_request()
    services.assign_handler(tree.register, r, tree.handle)
    due = selectors.clock_state(r).answer_due
    with refused(PermissionDenied):
        transfer.transfer(tree.handle, r, tree.other, "不属于本机关职责")
    with refused(InvalidInput):
        transfer.transfer(tree.register, r, tree.street, "同一机关")
    with refused(InvalidInput):
        transfer.transfer(tree.register, r, tree.other, "")
    moved = transfer.transfer(tree.register, r, tree.other, "属于西城街道职责")
    assert moved.agency == tree.other and moved.handler is None
    again = Request.objects.get(pk=r.pk)
    assert again.received_on == RECEIVED and selectors.clock_state(again).answer_due == due
    assert not selectors.requests(tree.register).filter(pk=r.pk).exists()
    assert selectors.requests(tree.outsider).filter(pk=r.pk).exists()
    assert Notification.objects.filter(user=tree.outsider, kind=NotificationKind.TRANSFERRED).exists()
    entry = AuditLog.objects.get(action="request.transferred")
    assert entry.before["agency_id"] == tree.street.pk and entry.after["agency_id"] == tree.other.pk

    # 退回: the receiving office returns it, with reasons; only a transferred request can be.
    with refused(InvalidInput):
        transfer.send_back(tree.outsider, again, "")
    back = transfer.send_back(tree.outsider, again, "经核实属于东湖街道职责")
    assert back.agency == tree.street and back.received_on == RECEIVED
    with refused(Conflict):
        transfer.send_back(tree.register, back, "再退回")
    assert kinds(back)[-2:] == [EventKind.TRANSFERRED, EventKind.SENT_BACK]


def test_transfer_stays_inside_the_tree(tree: Tree, new_request: NewRequest) -> None:
    from ..conftest import make_agency

    foreign = make_agency("另一市人民政府", "city", "government")
    r = new_request()
    with refused(InvalidInput):
        transfer.transfer(tree.register, r, foreign, "外市")


# Sign-off ------------------------------------------------------------------------------------------


def test_two_step_sign_off_returns_with_comments_and_answers_at_the_last_step(
    tree: Tree, new_request: NewRequest
) -> None:
    r = new_request()
    with refused(PermissionDenied):
        signoff.set_chain(tree.handle, tree.street, ["approve_answer"])
    with refused(InvalidInput):
        signoff.set_chain(tree.head, tree.street, ["approve_answer", "approve_answer"])
    signoff.set_chain(tree.head, tree.street, ["approve_answer", "approve_extension"])
    with refused(Conflict):
        services.answer(tree.approve, r, "disclosed", "第二十七条", RECEIVED + timedelta(days=5))

    with refused(PermissionDenied):
        signoff.submit_draft(tree.approve, r, "disclosed", "第二十七条")
    draft = signoff.submit_draft(
        tree.handle, r, "disclosed", "《条例》第二十七条", "东政公开〔2025〕1号", "经审查……"
    )
    with refused(Conflict):
        signoff.submit_draft(tree.handle, r, "disclosed", "第二十七条")
    assert Notification.objects.filter(user=tree.approve, kind=NotificationKind.SIGNOFF).exists()

    with refused(PermissionDenied):
        signoff.sign(tree.head, draft)  # not the head's step yet
    with refused(InvalidInput):
        signoff.return_draft(tree.approve, draft, "")
    signoff.return_draft(tree.approve, draft, "法律依据请写明条款")
    assert AnswerDraft.objects.get(pk=draft.pk).status == DraftStatus.RETURNED
    assert Notification.objects.filter(user=tree.handle, kind=NotificationKind.RETURNED).exists()
    assert Request.objects.get(pk=r.pk).is_open

    draft = signoff.submit_draft(tree.handle, r, "disclosed", "《条例》第二十七条第一款")
    signoff.sign(tree.approve, draft, "同意")
    assert Request.objects.get(pk=r.pk).is_open  # not answered before the last step
    assert Notification.objects.filter(user=tree.head, kind=NotificationKind.SIGNOFF).exists()
    done = signoff.sign(tree.head, draft, "签发")
    closed = Request.objects.get(pk=r.pk)
    assert closed.state == State.ANSWERED and closed.outcome == "disclosed"
    assert closed.legal_basis == "《条例》第二十七条第一款" and isinstance(done, services.Recorded)
    steps = [EventKind.DRAFTED, EventKind.SIGNOFF_RETURNED, EventKind.DRAFTED, EventKind.SIGNED]
    assert kinds(closed)[1:] == [*steps, EventKind.SIGNED, EventKind.ANSWERED, EventKind.LETTER_ISSUED]
    letter = closed.events.get(kind=EventKind.LETTER_ISSUED)
    assert letter.data["letter"] == "answer" and letter.actor_id == tree.head.pk
    assert letter.data.get("number", "") == ""  # the signed draft gave no number

    actions = list(AuditLog.objects.filter(subject_id=str(r.pk)).values_list("action", flat=True))
    assert actions.count("request.signed") == 2 and actions.count("request.signoff_returned") == 1


def test_a_one_step_chain_and_no_chain(tree: Tree, new_request: NewRequest) -> None:
    r = new_request()
    with refused(Conflict):
        signoff.submit_draft(tree.handle, r, "disclosed", "第二十七条")  # no chain: 审核 answers
    signoff.set_chain(tree.head, tree.street, ["approve_extension"])
    text = "经检索，本机关未制作或获取你申请的信息。\n特此告知。"
    draft = signoff.submit_draft(
        tree.handle, r, "unavailable_not_held", "第三十六条第（四）项", "东政公开〔2025〕7号", text
    )
    signoff.sign(tree.head, draft)
    assert Request.objects.get(pk=r.pk).outcome == "unavailable_not_held"
    letter = r.events.get(kind=EventKind.LETTER_ISSUED)  # the 答复书 went out with the last signature
    assert letter.data["number"] == "东政公开〔2025〕7号"
    document = docx.Document(Attachment.objects.get(pk=letter.data["attachment"]).file.open("rb"))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "本机关未制作或获取你申请的信息" in body and "东政公开〔2025〕7号" in body
    signoff.set_chain(tree.head, tree.street, [])
    assert signoff.chain_of(tree.street.pk) == ()


# Bulk and timeliness -------------------------------------------------------------------------------


def test_bulk_actions_go_request_by_request(tree: Tree, new_request: NewRequest) -> None:
    a, b = new_request(), new_request(content="另一件申请")
    done = bulk.bulk_assign(tree.register, [a, b], tree.handle)
    assert done.done == [a.pk, b.pk] and not done.refused
    assert set(Request.objects.values_list("handler__username", flat=True)) == {"handle_user"}
    services.answer(tree.approve, a, "disclosed", "第二十七条", RECEIVED + timedelta(days=3))
    archived = bulk.bulk_archive(tree.handle, [a, b], RECEIVED + timedelta(days=4))
    assert archived.done == [a.pk] and archived.refused[0][0] == b.pk
    assert "只有已办结的申请可以归档" in archived.refused[0][1]
    urged = bulk.bulk_urge(tree.handle, [b], "请尽快")
    assert urged.done == [] and urged.refused[0][1].startswith("您没有")


def test_timeliness_counts_on_time_answers_median_and_oldest_pending(
    tree: Tree, new_request: NewRequest
) -> None:
    quick = new_request(received_on=RECEIVED)
    late = new_request(received_on=RECEIVED, content="迟复")
    pending = new_request(received_on=RECEIVED + timedelta(days=7), content="未办结")
    services.answer(tree.approve, quick, "disclosed", "第二十七条", RECEIVED + timedelta(days=7))  # 5 wd
    services.answer(tree.approve, late, "disclosed", "第二十七条", RECEIVED + timedelta(days=49))
    t = selectors.timeliness([tree.street.pk], 2025, as_of=date(2025, 12, 31))
    assert (t.answered, t.on_time) == (2, 1) and t.on_time_rate == 0.5
    assert t.median_workdays is not None and t.median_workdays > 5
    assert t.oldest_pending_id == pending.pk and t.oldest_pending == pending.received_on
    assert "按期答复率50.0%" in t.sentence()
    empty = selectors.timeliness([tree.department.pk], 2025)
    assert empty.answered == 0 and empty.on_time_rate is None and empty.oldest_pending is None


@pytest.mark.parametrize("steps", [["handle"], ["approve_answer"] * 4])
def test_chain_steps_are_checked(tree: Tree, steps: list[str]) -> None:
    with refused(InvalidInput):
        signoff.set_chain(tree.head, tree.street, steps)


def test_the_annual_reports_part_five_draft_is_offered_the_timeliness(
    tree: Tree, new_request: NewRequest
) -> None:
    from gongkai.web.reports.services import build_annual_report

    r = new_request(received_on=RECEIVED)
    services.answer(tree.approve, r, "disclosed", "第二十七条", RECEIVED + timedelta(days=7))
    part = build_annual_report(tree.street, 2025).sections["五"]
    assert "共办结政府信息公开申请1件，其中按期答复1件，按期答复率100.0%" in part
    assert "按期答复率" not in build_annual_report(tree.street, 2025, rollup=True).sections["五"]
