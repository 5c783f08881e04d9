"""Services for one request's life: register, handle, pause, extend, charge, answer, close, archive.

Each event-adding service replays the request's events plus the new one through
`gongkai.clock.derive` before saving, so the core decides what the Regulation allows (one 补正
notice, extensions of at most 20 working days in total, nothing after the answer) and its warnings
(a late 补正 notice) come back to the caller in `Recorded.warnings`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from stdnum.cn import uscc

from gongkai import personal_data
from gongkai.clock import ClockError, ClockState, ConsultationKind, Status, item_fee, page_fee
from gongkai.clock import Method as FeeMethod
from gongkai.reading.sniff import sniff
from gongkai.web.agencies.models import Agency, Role
from gongkai.web.agencies.permissions import Action, can, require, roles_on
from gongkai.web.core import checks as check
from gongkai.web.core.audit import record, snapshot
from gongkai.web.core.errors import Conflict, InvalidInput, PermissionDenied

from .. import clock
from ..models import (
    ARCHIVABLE_STATES,
    OUTCOMES,
    RECEIPT_RULE,
    ApplicantKind,
    Attachment,
    Channel,
    Delivery,
    EventKind,
    IdType,
    LetterKind,
    Request,
    RequestEvent,
    SignoffChain,
    State,
)

User = AbstractBaseUser | AnonymousUser

# Outcomes that have their own service, because the clock must first show they are due.
DEDICATED_OUTCOMES = {
    "other_no_supplement": "close_without_supplement",
    "other_unpaid_fee": "close_unpaid_fee",
}
BASIS_NO_SUPPLEMENT = "《中华人民共和国政府信息公开条例》第三十条：申请人无正当理由逾期不补正，视为放弃申请"
BASIS_UNPAID_FEE = (
    "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）：逾期未缴纳信息处理费，视为放弃申请"
)


# A 补正 notice (Art. 30) or a request for reasons (Art. 35) gives the applicant a reasonable time:
# never more than a quarter (a deadline in 9999 is a typo, and would hold the request forever).
SUPPLEMENT_AT_MOST = timedelta(days=90)


@dataclass(frozen=True)
class Recorded:
    """What an event-adding service did: the saved request and event, and the clock after it."""

    request: Request
    event: RequestEvent
    clock: ClockState

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.clock.warnings


# Registering ------------------------------------------------------------------------------------


def register_request(
    actor: User,
    agency: Agency,
    *,
    applicant_kind: str,
    applicant_name: str,
    id_type: str,
    id_number: str,
    channel: str,
    received_on: date | str,
    content: str,
    delivery: str,
    phone: str = "",
    address: str = "",
    email: str = "",
    legal_representative: str = "",
    contact_person: str = "",
    idempotency_key: str | None = None,
) -> Request:
    """Register a request received on `received_on` (the Art. 31 date `RECEIPT_RULE[channel]` names).

    A repeated submission with the same `idempotency_key` (the form's one-time token) returns the
    request the first one created instead of registering it twice.
    """
    require(actor, "register", agency, "在本机关登记申请")
    key = check.text(idempotency_key, "提交标识", required=False, max_length=64) or None
    if key is not None:
        existing = _by_key(actor, key)
        if existing is not None:
            return existing
    fields = applicant_fields(
        applicant_kind=applicant_kind,
        applicant_name=applicant_name,
        id_type=id_type,
        id_number=id_number,
        content=content,
        delivery=delivery,
        phone=phone,
        address=address,
        email=email,
        legal_representative=legal_representative,
        contact_person=contact_person,
    )
    fields.update(
        agency=agency,
        channel=check.choice(channel, Channel.values, "申请方式"),
        received_on=check.as_date(received_on, "收到申请日期"),
        idempotency_key=key,
    )
    try:
        return create_registered(actor, fields, "request.register")
    except IntegrityError:
        # Two submissions with one key raced; the first one won.
        existing = _by_key(actor, key) if key is not None else None
        if existing is None:
            raise
        return existing


def applicant_fields(
    *,
    applicant_kind: str,
    applicant_name: str,
    id_type: str,
    id_number: str,
    content: str,
    delivery: str,
    phone: str = "",
    address: str = "",
    email: str = "",
    legal_representative: str = "",
    contact_person: str = "",
) -> dict[str, Any]:
    """The applicant and what they ask for, validated: shared by the desk and the online portal.

    A 居民身份证 number must pass its check digit, a 统一社会信用代码 its check character, a phone
    must be a mobile number or a landline with its area code; an organisation names its 法定代表人
    (or 负责人) and a contact person.
    """
    fields: dict[str, Any] = {
        "applicant_kind": check.choice(applicant_kind, ApplicantKind.values, "申请人类型"),
        "applicant_name": check.text(applicant_name, "申请人姓名或名称", max_length=200),
        "id_type": check.choice(id_type, IdType.values, "证件类型"),
        "id_number": check.text(id_number, "证件号码", max_length=64),
        "phone": check.text(phone, "联系电话", required=False, max_length=64),
        "address": check.text(address, "通信地址", required=False, max_length=300),
        "email": check.text(email, "电子邮箱", required=False, max_length=200),
        "content": check.text(content, "所需信息的内容描述", max_length=5000),
        "delivery": check.choice(delivery, Delivery.values, "获取信息的方式"),
        "legal_representative": check.text(
            legal_representative, "法定代表人或负责人", required=False, max_length=100
        ),
        "contact_person": check.text(contact_person, "联系人", required=False, max_length=100),
    }
    fields["id_number"] = _id_number(fields["id_type"], fields["id_number"])
    if fields["phone"]:
        fields["phone"] = _valid(personal_data.validate_phone, fields["phone"])
    if fields["email"] and "@" not in fields["email"]:
        raise InvalidInput("电子邮箱格式不正确", "email: not an address")
    if not (fields["phone"] or fields["address"] or fields["email"]):
        raise InvalidInput("请至少填写一种联系方式", "contact: phone, address or email required")
    if fields["applicant_kind"] == ApplicantKind.NATURAL_PERSON:
        fields["legal_representative"] = fields["contact_person"] = ""
    else:
        if not fields["legal_representative"]:
            raise InvalidInput(
                "法人或者其他组织申请的，请填写法定代表人或负责人", "organisation: representative"
            )
        if not fields["contact_person"]:
            raise InvalidInput("法人或者其他组织申请的，请填写联系人", "organisation: contact person")
    return fields


def _valid(validate: Callable[[str], str], value: str) -> str:
    try:
        return validate(value)
    except personal_data.InvalidValue as error:
        raise InvalidInput(error.zh, error.en) from None


def _id_number(id_type: str, number: str) -> str:
    """The identity document number checked as far as its kind allows, normalised."""
    if id_type == IdType.RESIDENT_ID:
        return _valid(lambda v: personal_data.validate_id_number(v, timezone.localdate()), number)
    if id_type == IdType.CREDIT_CODE:
        code = re.sub(r"[\s-]", "", number).upper()
        if not uscc.is_valid(code):
            raise InvalidInput(
                "统一社会信用代码应为18位，且校验位正确，请核对", "invalid unified social credit code"
            )
        return code
    # Passports, permits and other documents: at least a plausible number, not "1".
    if not re.fullmatch(r"[0-9A-Za-z（）()\-]{5,30}", number):
        raise InvalidInput("证件号码应为5—30位字母或数字，请核对", "document number: 5-30 letters or digits")
    return number


def backdating_warning(received_on: date, today: date | None = None) -> str:
    """A warning when the receipt date lies more than `GONGKAI_BACKDATE_WARN_DAYS` days back (the
    clock counts from it, so a backdated receipt shortens the time the agency seems to have had)."""
    limit: int = settings.GONGKAI_BACKDATE_WARN_DAYS
    days = ((today or timezone.localdate()) - received_on).days
    if days <= limit:
        return ""
    return (
        f"收到申请日期 {received_on} 早于今天 {days} 天（超过 {limit} 天）："
        "请核实该日期确为依《条例》第三十一条确定的收到之日"
    )


def create_registered(actor: User, fields: dict[str, Any], action: str) -> Request:
    """Create a validated request with its registration event and audit entry, atomically."""
    with transaction.atomic():
        request = Request.objects.create(**fields)
        RequestEvent.objects.create(
            request=request,
            kind=EventKind.REGISTERED,
            date=request.received_on,
            data={"channel": request.channel, "receipt_rule": str(RECEIPT_RULE[Channel(request.channel)])},
            actor_id=_actor_id(actor),
        )
        record(actor, action, request, None, snapshot(request))
    return request


def _by_key(actor: User, key: str) -> Request | None:
    existing = Request.objects.filter(idempotency_key=key).select_related("agency").first()
    if existing is not None and not can(actor, "view", existing):
        raise Conflict("该提交标识已被使用", "idempotency key already used elsewhere")
    return existing


def assign_handler(actor: User, request: Request, handler: AbstractBaseUser | None) -> Request:
    """Give the request to a 承办 member of its agency (or take it back with None)."""
    require(actor, "assign", request, "分配承办人")
    if handler is not None and Role.HANDLE not in roles_on(handler, request.agency):
        raise InvalidInput("所选人员不是本机关的承办人", "the handler has no handle role at this agency")
    with transaction.atomic():
        locked = _lock(request)
        _require_open(locked)
        before = snapshot(locked, ("handler",))
        locked.handler_id = handler.pk if handler is not None else None
        locked.save(update_fields=("handler", "updated_at"))
        record(actor, "request.assign_handler", locked, before, snapshot(locked, ("handler",)))
    return locked


# Clock events -----------------------------------------------------------------------------------


def request_supplement(
    actor: User, request: Request, on: date | str, due: date | str, items: str
) -> Recorded:
    """The one 补正 notice (Art. 30), with the time given to supplement; due within 7 working days."""
    on_date = check.as_date(on, "告知补正日期")
    due_date = check.as_date(due, "补正期限", future=True)
    if due_date <= on_date:
        raise InvalidInput("补正期限应晚于告知补正日期", "supplement deadline not after the notice")
    if due_date > on_date + SUPPLEMENT_AT_MOST:
        raise InvalidInput(
            f"补正期限过长：应在告知补正之日起 {SUPPLEMENT_AT_MOST.days} 日内",
            f"supplement deadline more than {SUPPLEMENT_AT_MOST.days} days after the notice",
        )
    what = check.text(items, "需要补正的事项")
    return _event(
        actor, request, "handle", EventKind.SUPPLEMENT_REQUESTED, on_date, {"due": due_date, "items": what}
    )


def receive_supplement(actor: User, request: Request, on: date | str) -> Recorded:
    """The supplemented request arrived: the answer clock restarts from this day."""
    return _event(actor, request, "handle", EventKind.SUPPLEMENT_RECEIVED, check.as_date(on, "收到补正日期"))


def start_consultation(actor: User, request: Request, party: str, kind: str, on: date | str) -> Recorded:
    """Consult a third party (Art. 32) or another agency (Art. 34); the clock pauses."""
    data = {
        "party": check.text(party, "征求意见对象", max_length=200),
        "kind": check.choice(kind, [k.value for k in ConsultationKind], "征求意见类型"),
    }
    return _event(
        actor, request, "handle", EventKind.CONSULTATION_STARTED, check.as_date(on, "征求意见日期"), data
    )


def end_consultation(
    actor: User, request: Request, party: str, on: date | str, opinion: str = ""
) -> Recorded:
    data = check.data(
        party=check.text(party, "征求意见对象", max_length=200),
        opinion=check.text(opinion, "意见", required=False),
    )
    return _event(
        actor, request, "handle", EventKind.CONSULTATION_ENDED, check.as_date(on, "收到意见日期"), data
    )


def approve_extension(
    actor: User, request: Request, workdays: int | str, on: date | str, reason: str
) -> Recorded:
    """An extension approved by the head of the disclosure office (负责人); at most 20 working days in all."""
    data = {
        "workdays": check.integer(workdays, "延长的工作日数", 1, 20),
        "reason": check.text(reason, "延期理由"),
    }
    return _event(
        actor, request, "approve_extension", EventKind.EXTENSION_APPROVED, check.as_date(on, "批准日期"), data
    )


def request_reasons(
    actor: User, request: Request, on: date | str, reply_by: date | str, grounds: str
) -> Recorded:
    """Art. 35: the number or frequency of the applicant's requests clearly exceeds what is
    reasonable, so the agency asks for the reasons. The answer clock keeps running (the Regulation
    stops it only for consultations): unreasonable reasons end the request as (五)4 无正当理由大量
    反复申请, reasonable ones may earn a later deadline (`set_later_deadline`)."""
    on_date = check.as_date(on, "要求说明理由日期")
    reply_date = check.as_date(reply_by, "说明理由的期限", future=True)
    if reply_date <= on_date:
        raise InvalidInput("说明理由的期限应晚于要求说明理由日期", "reasons deadline not after the notice")
    if reply_date > on_date + SUPPLEMENT_AT_MOST:
        raise InvalidInput(
            f"说明理由的期限过长：应在要求之日起 {SUPPLEMENT_AT_MOST.days} 日内",
            f"reasons deadline more than {SUPPLEMENT_AT_MOST.days} days after the notice",
        )
    data = {"reply_by": reply_date, "grounds": check.text(grounds, "要求说明理由的原因")}
    return _event(actor, request, "handle", EventKind.REASONS_REQUESTED, on_date, data)


def set_later_deadline(
    actor: User, request: Request, on: date | str, due: date | str, reason: str
) -> Recorded:
    """Art. 35: the applicant's reasons for a mass or repeated request are reasonable, but the Art. 33
    limit cannot be met; the head of the disclosure office (负责人) sets a reasonable later deadline."""
    data = {
        "due": check.as_date(due, "合理期限"),
        "reason": check.text(reason, "理由"),
    }
    on_date = check.as_date(on, "确定日期")
    return _event(actor, request, "approve_extension", EventKind.LATER_DEADLINE_SET, on_date, data)


def issue_fee_notice(
    actor: User, request: Request, on: date | str, method: str, pages: int | str | None = None
) -> Recorded:
    """A fee notice with the amount of 国办函〔2020〕109号, computed by `gongkai.clock.fees`.

    按件 counts the applicant's requests to this agency in the calendar month of receipt, this one
    included; 按量 charges this request's pages.
    """
    on_date = check.as_date(on, "收费通知送达日期")
    method = check.choice(method, [m.value for m in FeeMethod], "计费方式")
    if method == FeeMethod.PER_PAGE:
        count = check.integer(pages, "页数", 1, 1_000_000)
        fee = page_fee(count)
        basis: dict[str, Any] = {"pages": count}
    else:
        ordinal = _month_ordinal(request)
        fee = item_fee(ordinal)
        basis = {"ordinal": ordinal}
    if fee.amount == 0:
        raise InvalidInput("按收费标准本件不收取信息处理费", "the fee tiers give no charge for this request")
    data = {"method": method, "amount": fee.amount, "lines": fee.lines(), **basis}
    return _event(actor, request, "handle", EventKind.FEE_NOTICE_ISSUED, on_date, data)


def _month_ordinal(request: Request) -> int:
    """Which request of this applicant at this agency this is in its month (按件 tiers)."""
    first = request.received_on.replace(day=1)
    same = Request.objects.filter(
        agency_id=request.agency_id,
        id_type=request.id_type,
        id_number=request.id_number,
        received_on__gte=first,
    ).filter(Q(received_on__lt=request.received_on) | Q(received_on=request.received_on, pk__lte=request.pk))
    return same.count()


def record_fee_payment(actor: User, request: Request, on: date | str) -> Recorded:
    return _event(actor, request, "handle", EventKind.FEE_PAID, check.as_date(on, "缴费日期"))


def record_letter(
    actor: User,
    request: Request,
    kind: str,
    on: date | str,
    number: str = "",
    attachment: Attachment | None = None,
) -> Recorded:
    """A letter (回执, 告知书, 答复书…) was issued; every issuance is an event, naming the kept
    DOCX (`attachment`) when the desk made it, so the applicant can download what was sent.

    Who may issue which letter is `LETTER_ISSUERS`: the 登记回执 is handed over at the counter.
    """
    letter = check.choice(kind, LetterKind.values, "文书类型")
    data = check.data(letter=letter, number=check.text(number, "文号", required=False, max_length=100))
    if attachment is not None:
        if attachment.request_id != request.pk:
            raise InvalidInput("该文件不属于本申请", "attachment of another request")
        data["attachment"] = attachment.pk
    return _event(
        actor,
        request,
        letter_action(actor, letter, request),
        EventKind.LETTER_ISSUED,
        check.as_date(on, "出具日期"),
        data,
        open_only=False,
    )


# Who may issue each letter, as the office works: the 登记 clerk hands the 回执 over at the counter;
# the handler drafts and sends every letter of the request; the 负责人 who approved an extension or
# set an Art. 35 deadline may send its notice, and the 审核 or 负责人 who signed the answer its 答复书.
LETTER_ISSUERS: dict[str, tuple[Action, ...]] = {
    LetterKind.RECEIPT: ("register", "handle"),
    LetterKind.SUPPLEMENT: ("handle",),
    LetterKind.EXTENSION: ("handle", "approve_extension"),
    LetterKind.CONSULTATION: ("handle",),
    LetterKind.FEE: ("handle",),
    LetterKind.REASONS: ("handle",),
    LetterKind.LATER_DEADLINE: ("handle", "approve_extension"),
    LetterKind.ANSWER: ("handle", "approve_answer", "approve_extension"),
}


def letter_action(actor: User, kind: str, request: Request) -> Action:
    """The permission issuing `kind` is checked against: one the actor holds, else the first."""
    allowed = LETTER_ISSUERS[kind]
    return next((a for a in allowed if can(actor, a, request)), allowed[0])


def issuable_letters(actor: User, request: Request) -> list[str]:
    """The letter kinds `actor` may issue for `request`, in the order of `LetterKind`."""
    return [k for k in LetterKind.values if any(can(actor, a, request) for a in LETTER_ISSUERS[k])]


def add_attachment(actor: User, request: Request, file: File[Any], description: str = "") -> Attachment:
    """Keep a file with the request (the application form, an ID copy, a letter as sent)."""
    if not (can(actor, "register", request) or can(actor, "handle", request)):
        raise PermissionDenied("您没有上传附件的权限", "not allowed: attach files")
    return keep_file(actor, request, file, description)


def keep_file(actor: User, request: Request, file: File[Any], description: str = "") -> Attachment:
    """Store a file with the request, audited; the caller has checked the actor may (an upload, a letter)."""
    if not getattr(file, "name", ""):
        raise InvalidInput("请选择文件", "a named file is required")
    note = check.text(description, "说明", required=False, max_length=200)
    data = _attachment_bytes(file)
    attachment = Attachment(request=request, description=note, uploaded_by_id=_actor_id(actor))
    try:
        with transaction.atomic():
            attachment.file.save(Path(str(file.name)).name, ContentFile(data), save=False)
            attachment.save()
            record(actor, "attachment.add", attachment, None, snapshot(attachment), subject=request)
    except BaseException:
        if attachment.file:
            attachment.file.delete(save=False)  # the row was not stored: neither is its file
        raise
    return attachment


ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
# What may be kept with a request, decided by the bytes (`gongkai.reading.sniff`), never the name:
# documents, scans and photos. Web pages, scripts and unknown binaries are refused.
ATTACHMENT_KINDS = {"pdf", "docx", "xlsx", "odf", "legacy", "ofd", "png", "jpeg"}
ATTACHMENT_KINDS_ZH = "PDF、Word、Excel、WPS、OFD、PNG、JPEG"


def _attachment_bytes(file: File[Any]) -> bytes:
    too_large = InvalidInput(
        f"附件不能超过 {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB",
        f"attachment over {ATTACHMENT_MAX_BYTES} bytes",
    )
    if (getattr(file, "size", 0) or 0) > ATTACHMENT_MAX_BYTES:
        raise too_large
    file.open("rb")
    file.seek(0)
    data = bytes(file.read(ATTACHMENT_MAX_BYTES + 1))
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise too_large
    if _kind_of(data) not in ATTACHMENT_KINDS:
        raise InvalidInput(
            f"附件类型不在允许范围内（按文件内容判断）：只接受 {ATTACHMENT_KINDS_ZH} 文件",
            "attachment type not allowed (by content)",
        )
    return data


def _kind_of(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    kind = sniff(data)
    if kind == "zip" and b"OFD.xml" in data[:4096]:
        return "ofd"
    return kind


def note_personal_data_seen(
    actor: User, request: Request, action: str, attachment: Attachment | None = None
) -> None:
    """Log that `actor` saw the applicant's personal data (the request page, a file downloaded)."""
    if not can(actor, "view_personal_data", request):
        raise PermissionDenied("您没有查看申请人个人信息的权限", "not allowed: view personal data")
    record(actor, action, attachment or request, None, None, subject=request)


# Closing ----------------------------------------------------------------------------------------


def answer(actor: User, request: Request, outcome: str, legal_basis: str, on: date | str) -> Recorded:
    """The answer, approved by 审核: exactly one table-三 outcome and its legal basis."""
    outcome = check.choice(outcome, OUTCOMES, "办理结果")
    if outcome in DEDICATED_OUTCOMES:
        raise InvalidInput(
            "该办理结果须在期限届满后通过相应的结案操作登记",
            f"use {DEDICATED_OUTCOMES[outcome]} for {outcome}",
        )
    basis = check.text(legal_basis, "法律依据")
    on_date = check.as_date(on, "答复日期")
    if SignoffChain.objects.filter(agency_id=request.agency_id).exists():
        raise Conflict(
            "本机关的答复须经签批：请由承办人提交答复草稿", "the agency answers through its sign-off chain"
        )
    return _close(
        actor, request, "approve_answer", EventKind.ANSWERED, on_date, State.ANSWERED, outcome, basis
    )


def withdraw(actor: User, request: Request, on: date | str, reason: str = "") -> Recorded:
    """The applicant withdrew the request; it counts under (六)3 其他."""
    basis = check.text(reason, "撤回说明", required=False) or "申请人撤回申请"
    on_date = check.as_date(on, "撤回日期")
    return _close(
        actor, request, "handle", EventKind.WITHDRAWN, on_date, State.WITHDRAWN, "other_other", basis
    )


def close_without_supplement(actor: User, request: Request, on: date | str) -> Recorded:
    """No supplement by the deadline given: the request ends as (六)1."""
    on_date = check.as_date(on, "结案日期")
    state = _clock_on(request, on_date)
    if not state.supplement_overdue:
        raise Conflict("申请不在等待补正状态或补正期限尚未届满", "no overdue supplement on that date")
    return _close(
        actor,
        request,
        "approve_answer",
        EventKind.ANSWERED,
        on_date,
        State.NO_SUPPLEMENT,
        "other_no_supplement",
        BASIS_NO_SUPPLEMENT,
    )


def close_unpaid_fee(actor: User, request: Request, on: date | str) -> Recorded:
    """The fee was not paid within 20 working days of the notice: the request ends as (六)2."""
    on_date = check.as_date(on, "结案日期")
    if _clock_on(request, on_date).status is not Status.LAPSED:
        raise Conflict("没有逾期未缴的信息处理费", "no lapsed fee notice on that date")
    return _close(
        actor,
        request,
        "approve_answer",
        EventKind.ANSWERED,
        on_date,
        State.ANSWERED,
        "other_unpaid_fee",
        BASIS_UNPAID_FEE,
    )


def archive(actor: User, request: Request, on: date | str) -> Recorded:
    """File a closed request away; its outcome and closing date stay as they were."""
    on_date = check.as_date(on, "归档日期")
    require(actor, "handle", request, "归档")
    with transaction.atomic():
        locked = _lock(request)
        if locked.state not in ARCHIVABLE_STATES:
            raise Conflict("只有已办结的申请可以归档", "only answered or withdrawn requests can be archived")
        if locked.closed_on is not None and on_date < locked.closed_on:
            raise InvalidInput("归档日期早于办结日期", "archived before the request was closed")
        before = snapshot(locked)
        locked.state = State.ARCHIVED
        locked.save(update_fields=("state", "updated_at"))
        event = RequestEvent.objects.create(
            request=locked, kind=EventKind.ARCHIVED, date=on_date, actor_id=_actor_id(actor)
        )
        record(actor, "request.archive", locked, before, snapshot(locked))
    return Recorded(locked, event, clock.derive(locked, locked.events.all()))


# Shared -----------------------------------------------------------------------------------------


def _event(
    actor: User,
    request: Request,
    action: Action,
    kind: EventKind,
    on: date,
    data: dict[str, Any] | None = None,
    *,
    open_only: bool = True,
) -> Recorded:
    require(actor, action, request, str(EventKind(kind).label))
    with transaction.atomic():
        locked = _lock(request)
        if open_only:
            _require_open(locked)
        _require_after_receipt(locked, on)
        event = RequestEvent(
            request=locked, kind=kind, date=on, data=_json(data or {}), actor_id=_actor_id(actor)
        )
        events = [*locked.events.all(), event]
        state = _replay(locked, events)
        before = snapshot(locked, ("state",))
        if locked.is_open:
            locked.state = _open_state(events)
        locked.save(update_fields=("state", "updated_at"))
        event.save()
        record(
            actor,
            f"request.{kind}",
            locked,
            before,
            {**snapshot(locked, ("state",)), "event": _event_json(event)},
        )
    return Recorded(locked, event, state)


def _close(
    actor: User,
    request: Request,
    action: Action,
    kind: EventKind,
    on: date,
    new_state: State,
    outcome: str,
    basis: str,
) -> Recorded:
    require(actor, action, request, "结案")
    with transaction.atomic():
        locked = _lock(request)
        _require_open(locked)
        _require_after_receipt(locked, on)
        event = RequestEvent(
            request=locked,
            kind=kind,
            date=on,
            data={"outcome": outcome, "legal_basis": basis},
            actor_id=_actor_id(actor),
        )
        state = _replay(locked, [*locked.events.all(), event])
        before = snapshot(locked)
        locked.state, locked.outcome, locked.legal_basis, locked.closed_on = new_state, outcome, basis, on
        locked.save(update_fields=("state", "outcome", "legal_basis", "closed_on", "updated_at"))
        event.save()
        record(actor, f"request.{kind}", locked, before, {**snapshot(locked), "event": _event_json(event)})
    return Recorded(locked, event, state)


def _lock(request: Request) -> Request:
    """The current row, locked for the transaction (stale form data must not overwrite it)."""
    return Request.objects.select_for_update().select_related("agency").get(pk=request.pk)


def _require_after_receipt(request: Request, on: date) -> None:
    """Nothing happens to a request before it was received: no receipt, notice or answer dated earlier."""
    if on < request.received_on:
        raise InvalidInput(
            f"日期（{on}）早于收到申请日期（{request.received_on}）", "dated before the request was received"
        )


def _require_open(request: Request) -> None:
    if not request.is_open:
        raise Conflict("该申请已办结，不能再办理", "the request is closed")


def _replay(request: Request, events: Sequence[RequestEvent], as_of: date | None = None) -> ClockState:
    """The clock after `events`; by default as of today, so that every recorded event is replayed."""
    try:
        return clock.derive(request, events, as_of=as_of or timezone.localdate())
    except ClockError as error:
        raise InvalidInput(error.zh, error.en) from None


def _clock_on(request: Request, on: date) -> ClockState:
    if on < request.received_on:
        raise InvalidInput("日期早于收到申请日期", "date before the request was received")
    return _replay(request, list(request.events.all()), on)


def _open_state(events: Sequence[RequestEvent]) -> State:
    """The process state of an open request, from its events (the outcome is separate)."""
    kinds = [e.kind for e in events]
    consulting = {str(e.data.get("party")) for e in events if e.kind == EventKind.CONSULTATION_STARTED}
    consulting -= {str(e.data.get("party")) for e in events if e.kind == EventKind.CONSULTATION_ENDED}
    if kinds.count(EventKind.SUPPLEMENT_REQUESTED) > kinds.count(EventKind.SUPPLEMENT_RECEIVED):
        return State.AWAITING_SUPPLEMENT
    if consulting:
        return State.IN_CONSULTATION
    if kinds.count(EventKind.FEE_NOTICE_ISSUED) > kinds.count(EventKind.FEE_PAID):
        return State.AWAITING_FEE
    if EventKind.EXTENSION_APPROVED in kinds or EventKind.LATER_DEADLINE_SET in kinds:
        return State.EXTENDED
    return State.REGISTERED


def _json(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}


def _event_json(event: RequestEvent) -> dict[str, Any]:
    return {"kind": event.kind, "date": event.date.isoformat(), "data": event.data}


def _actor_id(actor: User) -> Any:
    return actor.pk if actor.is_authenticated else None


__all__ = [
    "Recorded",
    "add_attachment",
    "answer",
    "approve_extension",
    "archive",
    "assign_handler",
    "backdating_warning",
    "close_unpaid_fee",
    "close_without_supplement",
    "end_consultation",
    "issuable_letters",
    "issue_fee_notice",
    "note_personal_data_seen",
    "receive_supplement",
    "record_fee_payment",
    "record_letter",
    "register_request",
    "request_reasons",
    "request_supplement",
    "set_later_deadline",
    "start_consultation",
    "withdraw",
]
