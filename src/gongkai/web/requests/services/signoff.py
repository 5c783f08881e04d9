"""The sign-off chain: 承办 drafts the answer, then each step of the agency's chain (审核, 负责人)
approves it or returns it with comments; the answer is given only when the last step signs.

An agency without a chain answers as before (审核 answers directly). The chain is copied into the
draft when it is submitted, so a chain edited meanwhile does not move a draft half-way through it.
Every step is a request event with its audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from gongkai.web.agencies.models import Agency, Membership, Role
from gongkai.web.agencies.permissions import Action, can, is_superuser, require, roles_on
from gongkai.web.core import checks as check
from gongkai.web.core.audit import record, snapshot
from gongkai.web.core.errors import Conflict, InvalidInput, PermissionDenied

from ..models import (
    MAX_STEPS,
    OUTCOMES,
    SIGNOFF_ROLES,
    AnswerDraft,
    DraftStatus,
    EventKind,
    LetterKind,
    NotificationKind,
    Request,
    RequestEvent,
    SignoffChain,
    State,
)
from .letters import issue_letter
from .reminders import notify
from .requests import DEDICATED_OUTCOMES, Recorded, _actor_id, _close, _lock, _require_open

User = AbstractBaseUser | AnonymousUser
ROLE_LABELS = {r.value: str(r.label) for r in Role}


def chain_of(agency_id: int) -> tuple[str, ...]:
    """The roles that sign an answer at this agency, in order; empty: 审核 answers directly."""
    chain = SignoffChain.objects.filter(agency_id=agency_id).first()
    return tuple(chain.steps) if chain is not None else ()


def set_chain(actor: User, agency: Agency, steps: Sequence[str]) -> tuple[str, ...]:
    """Set the agency's chain (its 负责人 or an administrator); no steps removes it."""
    if not (can(actor, "approve_extension", agency) or can(actor, "admin", agency)):
        raise PermissionDenied("您没有设置本机关签批流程的权限", "not allowed: sign-off chain")
    chosen = tuple(check.choice(s, SIGNOFF_ROLES, "签批步骤") for s in steps)
    if len(chosen) > MAX_STEPS or len(set(chosen)) != len(chosen):
        raise InvalidInput(f"签批步骤最多 {MAX_STEPS} 步且不能重复", "too many or repeated steps")
    with transaction.atomic():
        found = SignoffChain.objects.select_for_update().filter(agency=agency).first()
        before = snapshot(found, ("steps",)) if found else None
        if not chosen:
            if found is not None:
                found.delete()
            after = None
        else:
            found = found or SignoffChain(agency=agency)
            found.steps = list(chosen)
            found.save()
            after = snapshot(found, ("steps",))
        if before != after:
            record(actor, "signoff.chain", agency, before, after, agency_id=agency.pk)
    return chosen


def pending_draft(request: Request) -> AnswerDraft | None:
    return AnswerDraft.objects.filter(request=request, status=DraftStatus.PENDING).first()


def submit_draft(
    actor: User,
    request: Request,
    outcome: str,
    legal_basis: str,
    letter_number: str = "",
    letter_text: str = "",
) -> AnswerDraft:
    """承办 proposes the answer: one outcome of table 三, its legal basis, the 答复书's number and text."""
    require(actor, "handle", request, "拟写答复")
    outcome = check.choice(outcome, OUTCOMES, "办理结果")
    if outcome in DEDICATED_OUTCOMES:
        raise InvalidInput("该办理结果须在期限届满后通过相应的结案操作登记", f"{outcome} has its own service")
    basis = check.text(legal_basis, "法律依据")
    number = check.text(letter_number, "答复书文号", required=False, max_length=100)
    body = check.text(letter_text, "答复书正文", required=False, max_length=10_000)
    steps = chain_of(request.agency_id)
    if not steps:
        raise Conflict("本机关未设置签批流程，请由审核人员直接答复", "no sign-off chain at this agency")
    with transaction.atomic():
        locked = _lock(request)
        _require_open(locked)
        if pending_draft(locked) is not None:
            raise Conflict("该申请已有签批中的答复草稿", "a draft is already being signed")
        draft = AnswerDraft.objects.create(
            request=locked,
            drafted_by_id=_actor_id(actor),
            outcome=outcome,
            legal_basis=basis,
            letter_number=number,
            letter_text=body,
            steps=list(steps),
        )
        _step_event(actor, locked, draft, EventKind.DRAFTED, {"outcome": outcome, "legal_basis": basis})
    _tell_signers(draft)
    return draft


def sign(actor: User, draft: AnswerDraft, comment: str = "") -> AnswerDraft | Recorded:
    """The current step approves; at the last step the answer is given: the request closes today
    and its 答复书 is issued with the draft's number (and text, else the agency's template)."""
    note = check.text(comment, "签批意见", required=False, max_length=500)
    with transaction.atomic():
        draft, role = _current(actor, draft)
        locked = _lock(draft.request)
        _step_event(actor, locked, draft, EventKind.SIGNED, {"step": ROLE_LABELS[role], "comment": note})
        draft.step += 1
        if draft.step < len(draft.steps):
            draft.save(update_fields=("step",))
            signed: AnswerDraft | Recorded = draft
        else:
            draft.status = DraftStatus.SIGNED
            draft.save(update_fields=("step", "status"))
            action: Action = "approve_answer" if role == Role.APPROVE_ANSWER else "approve_extension"
            signed = _close(
                actor,
                locked,
                action,
                EventKind.ANSWERED,
                timezone.localdate(),
                State.ANSWERED,
                draft.outcome,
                draft.legal_basis,
            )
            issue_letter(
                actor, locked, LetterKind.ANSWER, signed.event.date, draft.letter_number, draft.letter_text
            )
    if isinstance(signed, AnswerDraft):
        _tell_signers(signed)
    return signed


def return_draft(actor: User, draft: AnswerDraft, comment: str) -> AnswerDraft:
    """The current step returns the draft to the 承办 with its comments; a new draft starts over."""
    note = check.text(comment, "退回意见", max_length=500)
    with transaction.atomic():
        draft, role = _current(actor, draft)
        locked = _lock(draft.request)
        draft.status = DraftStatus.RETURNED
        draft.save(update_fields=("status",))
        _step_event(
            actor, locked, draft, EventKind.SIGNOFF_RETURNED, {"step": ROLE_LABELS[role], "comment": note}
        )
        if draft.drafted_by_id is not None:
            notify(
                [draft.drafted_by_id],
                locked,
                NotificationKind.RETURNED,
                f"申请 #{locked.pk} 的答复草稿被{ROLE_LABELS[role]}退回：{note}",
                f"returned:{draft.pk}",
            )
    return draft


def may_sign(user: User, draft: AnswerDraft) -> bool:
    role = draft.current_role
    return role is not None and (
        is_superuser(user)
        or role in roles_on(user, draft.request.agency)
        or can(user, "admin", draft.request)
    )


def _current(actor: User, draft: AnswerDraft) -> tuple[AnswerDraft, str]:
    locked = AnswerDraft.objects.select_for_update().select_related("request__agency").get(pk=draft.pk)
    if locked.status != DraftStatus.PENDING:
        raise Conflict("该答复草稿已不在签批中", "the draft is not pending")
    if not may_sign(actor, locked):
        role = ROLE_LABELS[str(locked.current_role)]
        raise PermissionDenied(f"当前应由{role}签批，您没有该权限", "not this step's signer")
    _require_open(locked.request)
    return locked, str(locked.current_role)


def _step_event(
    actor: User, request: Request, draft: AnswerDraft, kind: EventKind, data: dict[str, str]
) -> None:
    event = RequestEvent.objects.create(
        request=request, kind=kind, date=timezone.localdate(), data=data, actor_id=_actor_id(actor)
    )
    after = {
        **snapshot(draft, ("status", "step", "outcome")),
        "event": {"kind": kind, "date": event.date.isoformat(), "data": data},
    }
    record(actor, f"request.{kind}", draft, None, after, subject=request)


def _tell_signers(draft: AnswerDraft) -> None:
    role = draft.current_role
    if role is None:
        return
    people = Membership.objects.filter(agency_id=draft.request.agency_id, role=role)
    notify(
        people.values_list("user_id", flat=True),
        draft.request,
        NotificationKind.SIGNOFF,
        f"申请 #{draft.request_id} 的答复草稿待您签批（{ROLE_LABELS[role]}）",
        f"signoff:{draft.pk}:{draft.step}",
    )
