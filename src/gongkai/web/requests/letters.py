"""Letters to applicants and third parties as DOCX in 公文 style, from per-agency editable templates.

A template is plain text with `{placeholders}`; the agency's own body for a kind of letter (for
答复书 also per outcome or outcome group) wins over the built-in default. Dates in a letter come
from the derived clock, never from a stored due date. The page, fonts and paragraph styles are
those of the report writer (`gongkai.writing.docx`), so letters and reports look alike. An agency
may instead upload a whole DOCX (with its 红头 letterhead) for a template; then the letter is that
document with its placeholders filled (`letter_docx`), and the layout is the agency's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from gongkai.formats import FORMAT_2021
from gongkai.web.core.errors import InvalidInput
from gongkai.writing.docx import (
    BODY_RPR,
    LINE,
    _body,
    _paragraph,
    _title,
    assemble,
)

from . import clock, letter_docx
from .letter_docx import PLACEHOLDER
from .models import ApplicantKind, Delivery, EventKind, LetterKind, LetterTemplate, Request, RequestEvent

TITLES = {
    LetterKind.RECEIPT: "政府信息公开申请登记回执",
    LetterKind.SUPPLEMENT: "政府信息公开申请补正告知书",
    LetterKind.EXTENSION: "政府信息公开申请延期答复告知书",
    LetterKind.CONSULTATION: "政府信息公开第三方意见征询函",
    LetterKind.FEE: "政府信息公开信息处理费收费通知书",
    LetterKind.REASONS: "政府信息公开申请说明理由告知书",
    LetterKind.LATER_DEADLINE: "政府信息公开申请延迟答复告知书",
    LetterKind.ANSWER: "政府信息公开申请答复书",
}

# Letters that go to the applicant (the tracking page lists these); the 征询函 goes to the third party.
TO_APPLICANT = frozenset(TITLES) - {LetterKind.CONSULTATION}

# Where and within what time the answer may be challenged: from the agency's letter settings
# (`Agency.review_body`, `court`, `review_days`, `litigation_months`).
REMEDY = (
    "如对本答复不服，可以自收到本答复之日起{review_days}日内向{review_body}申请行政复议，"
    "或者自收到本答复之日起{litigation_months}个月内向{court}提起行政诉讼。"
)

DEFAULTS = {
    LetterKind.RECEIPT: """{applicant}：
本机关于{received_on}收到{you}提出的政府信息公开申请，所需信息的内容描述为：“{content}”。
根据《中华人民共和国政府信息公开条例》第三十一条、第三十三条的规定，本机关将在收到申请之日起二十个工作日内予以答复，答复期限为{due_date}；需要延长答复期限的，将另行书面告知。
{you}可以凭查询码 {tracking_code} 查询办理进度。""",
    LetterKind.SUPPLEMENT: """{applicant}：
本机关于{received_on}收到{you}提出的政府信息公开申请。经审查，{you}的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，请{you}于{supplement_due}前就以下事项作出补正：
{supplement_items}
答复期限自本机关收到补正后的申请之日起重新计算。{you}无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。""",
    LetterKind.EXTENSION: """{applicant}：
本机关于{received_on}收到{you}提出的政府信息公开申请，所需信息的内容描述为：“{content}”。
因{extension_reason}，本机关不能在规定期限内作出答复。根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经政府信息公开工作机构负责人同意，答复期限延长{extension_days}个工作日，延长后的答复期限为{due_date}。
特此告知。""",
    LetterKind.CONSULTATION: """{party}：
本机关于{received_on}收到一件政府信息公开申请，申请公开的信息为：“{content}”。该信息公开可能损害贵方合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方意见，请于{reply_due}前提出书面意见并说明理由。
逾期未提出意见的，本机关将依照《中华人民共和国政府信息公开条例》的规定决定是否公开。""",
    LetterKind.FEE: """{applicant}：
本机关于{received_on}收到{you}提出的政府信息公开申请。根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，{you}的申请需缴纳信息处理费{fee_amount}元，计算如下：
{fee_lines}
请{you}于{fee_due}前缴纳。缴纳方式：{fee_payment}
逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。""",
    LetterKind.REASONS: """{applicant}：
本机关于{received_on}收到{you}提出的政府信息公开申请，所需信息的内容描述为：“{content}”。
经审查，{grounds}，申请公开政府信息的数量、频次明显超过合理范围。根据《中华人民共和国政府信息公开条例》第三十五条的规定，请{you}于{reply_by}前说明理由。
本机关认为申请理由不合理的，将告知{you}不予处理；认为申请理由合理，但无法在《中华人民共和国政府信息公开条例》第三十三条规定的期限内答复的，可以确定延迟答复的合理期限并告知{you}。""",
    LetterKind.LATER_DEADLINE: """{applicant}：
本机关于{received_on}收到{you}提出的政府信息公开申请，所需信息的内容描述为：“{content}”。
{you}申请公开政府信息的数量、频次明显超过合理范围，{you}说明的理由合理，但本机关无法在《中华人民共和国政府信息公开条例》第三十三条规定的期限内答复。根据《中华人民共和国政府信息公开条例》第三十五条的规定，本机关确定延迟答复的合理期限为{due_date}，将在该期限内作出答复。
特此告知。""",
}

_ANSWER_OPENING = """{applicant}：
本机关于{received_on}收到{you}提出的政府信息公开申请，所需信息的内容描述为：“{content}”。经审查，现答复如下：
"""

# The 答复书 by outcome group of table 三: (一) 予以公开 … (六) 其他处理.
ANSWER_DEFAULTS = {
    "disclosed": "{you}申请获取的政府信息属于公开范围。根据{legal_basis}的规定，本机关予以公开，"
    "并按照{you}申请的{delivery}方式提供。",
    "partly_disclosed": "{you}申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。"
    "根据{legal_basis}的规定，本机关向{you}提供可以公开的部分，其余部分不予公开。",
    "withheld": "{you}申请获取的政府信息不予公开，理由为：{outcome}。"
    "根据{legal_basis}的规定，本机关不予公开。",
    "unavailable": "经查，{outcome}。根据{legal_basis}的规定，本机关无法提供该政府信息。",
    "rejected": "{you}的申请属于{outcome}的情形。根据{legal_basis}的规定，本机关不予处理。",
    "other": "{you}的申请属于“{outcome}”的情形。依据{legal_basis}，特此告知。",
}

PLACEHOLDERS = (
    "applicant",
    "you",
    "tracking_code",
    "received_on",
    "due_date",
    "content",
    "agency",
    "outcome",
    "outcome_group",
    "legal_basis",
    "delivery",
    "fee_amount",
    "fee_lines",
    "fee_due",
    "supplement_items",
    "supplement_due",
    "party",
    "reply_due",
    "extension_days",
    "extension_reason",
    "grounds",
    "reply_by",
    "review_body",
    "court",
    "review_days",
    "litigation_months",
    "fee_payment",
    "date",
    "number",
)
_ROWS = {r.key: r for r in FORMAT_2021.table("requests").rows}


@dataclass(frozen=True)
class Letter:
    kind: LetterKind
    title: str
    number: str
    paragraphs: tuple[str, ...]
    agency: str
    issued_on: date
    docx: bytes | None = None  # the filled upload, when the agency's template is a DOCX


def zh_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "（待定）"


def outcome_group(outcome: str) -> str:
    """ "withheld_third_party" -> "withheld": the 答复书 wording follows table 三's groups."""
    return outcome if outcome in ("disclosed", "partly_disclosed") else outcome.split("_", 1)[0]


def outcome_words(outcome: str) -> tuple[str, str]:
    """The leaf label without its ordinal ("属于国家秘密") and its group ("（三）不予公开")."""
    row = _ROWS[outcome]
    label = re.sub(r"^\d+\.", "", row.label)
    label = re.sub(r"^（[一二三四五六]）", "", label)
    return re.sub(r"（.*?）$", "", label), row.group or row.label


def _last(events: list[RequestEvent], kind: EventKind) -> RequestEvent | None:
    found = [e for e in events if e.kind == kind]
    return found[-1] if found else None


def values(request: Request, kind: LetterKind, issued_on: date) -> dict[str, str]:
    """Every placeholder's text for this request; what a letter needs but the request lacks is refused."""
    events = list(request.events.all())
    state = clock.derive(request, events)
    agency = request.agency
    found = {
        "applicant": request.applicant_name,
        "you": "您" if request.applicant_kind == ApplicantKind.NATURAL_PERSON else "贵单位",
        "review_days": str(agency.review_days),
        "litigation_months": str(agency.litigation_months),
        "tracking_code": request.tracking_code_grouped,
        "received_on": zh_date(request.received_on),
        "due_date": zh_date(state.answer_due),
        "content": request.content,
        "agency": request.agency.name,
        "delivery": str(Delivery(request.delivery).label),
        "date": zh_date(issued_on),
        "legal_basis": request.legal_basis,
    }
    if request.outcome:
        found["outcome"], found["outcome_group"] = outcome_words(request.outcome)
    supplement = _last(events, EventKind.SUPPLEMENT_REQUESTED)
    if supplement is not None:
        due = supplement.data.get("due")
        found["supplement_items"] = str(supplement.data.get("items", ""))
        found["supplement_due"] = zh_date(date.fromisoformat(due)) if due else "（待定）"
    consultation = _last(events, EventKind.CONSULTATION_STARTED)
    if consultation is not None:
        party = str(consultation.data.get("party", ""))
        found["party"] = party
        replies = [c.reply_due for c in state.consultations if c.party == party]
        found["reply_due"] = zh_date(replies[-1] if replies else None)
    extensions = [e for e in events if e.kind == EventKind.EXTENSION_APPROVED]
    if extensions:
        found["extension_days"] = str(sum(int(e.data.get("workdays", 0)) for e in extensions))
        found["extension_reason"] = str(extensions[-1].data.get("reason", ""))
    fee = _last(events, EventKind.FEE_NOTICE_ISSUED)
    if fee is not None:
        found["fee_amount"] = str(fee.data.get("amount", ""))
        found["fee_lines"] = "\n".join(str(line) for line in fee.data.get("lines", []))
        found["fee_due"] = zh_date(state.fee_payment_due)
    reasons = _last(events, EventKind.REASONS_REQUESTED)
    if reasons is not None:
        found["grounds"] = str(reasons.data.get("grounds", ""))
        found["reply_by"] = zh_date(date.fromisoformat(str(reasons.data["reply_by"])))
    if agency.review_body:
        found["review_body"] = agency.review_body
    if agency.court:
        found["court"] = agency.court
    if agency.fee_payment:
        found["fee_payment"] = agency.fee_payment
    _require(kind, request, {e.kind for e in events})
    _require_settings(kind, found)
    return found


# What a letter cannot go out without, from the agency's letter settings.
SETTINGS_NEEDED = {
    LetterKind.ANSWER: (("review_body", "行政复议机关"), ("court", "管辖法院")),
    LetterKind.FEE: (("fee_payment", "信息处理费缴纳方式"),),
}


def _require_settings(kind: LetterKind, found: dict[str, str]) -> None:
    missing = [label for key, label in SETTINGS_NEEDED.get(kind, ()) if key not in found]
    if missing:
        raise InvalidInput(
            f"本机关的文书设置中尚未填写{'、'.join(missing)}，不能出具{TITLES[kind]}：请负责人在“文书模板”页面填写",
            f"{kind} letter needs the agency's settings: {', '.join(missing)}",
        )


# The event a letter reports, and what is said when it is missing.
NEEDS = {
    LetterKind.SUPPLEMENT: (EventKind.SUPPLEMENT_REQUESTED, "尚未登记告知补正"),
    LetterKind.CONSULTATION: (EventKind.CONSULTATION_STARTED, "尚未登记征求意见"),
    LetterKind.EXTENSION: (EventKind.EXTENSION_APPROVED, "尚未批准延期"),
    LetterKind.FEE: (EventKind.FEE_NOTICE_ISSUED, "尚未发出收费通知"),
    LetterKind.REASONS: (EventKind.REASONS_REQUESTED, "尚未登记要求说明理由"),
    LetterKind.LATER_DEADLINE: (EventKind.LATER_DEADLINE_SET, "尚未确定延迟答复的合理期限"),
}


def _require(kind: LetterKind, request: Request, kinds: set[str]) -> None:
    if kind == LetterKind.ANSWER and not request.outcome:
        missing = "尚未答复"
    elif kind in NEEDS and NEEDS[kind][0] not in kinds:
        missing = NEEDS[kind][1]
    else:
        return
    raise InvalidInput(f"该申请{missing}，不能出具{TITLES[kind]}", f"{kind} letter needs its event first")


def _templates(request: Request, kind: LetterKind) -> list[LetterTemplate]:
    """The agency's templates for this letter, most specific first: outcome, outcome group, all."""
    keys = [""]
    if kind == LetterKind.ANSWER and request.outcome:
        keys = list(dict.fromkeys((request.outcome, outcome_group(request.outcome), "")))
    rows = {
        t.outcome: t
        for t in LetterTemplate.objects.filter(agency_id=request.agency_id, kind=kind, outcome__in=keys)
    }
    return [rows[key] for key in keys if key in rows]


def _body_of(rows: list[LetterTemplate], request: Request, kind: LetterKind) -> str:
    for row in rows:
        if row.body.strip():
            return row.body
    return default_body(kind, request.outcome or "")


def _docx_of(rows: list[LetterTemplate]) -> LetterTemplate | None:
    """The uploaded DOCX, if the most specific template that says anything is one."""
    for row in rows:
        if row.docx:
            return row
        if row.body.strip():
            return None
    return None


def default_body(kind: LetterKind, outcome: str = "") -> str:
    if kind != LetterKind.ANSWER:
        return DEFAULTS[kind]
    wording = ANSWER_DEFAULTS.get(outcome_group(outcome), ANSWER_DEFAULTS["other"]) if outcome else ""
    return f"{_ANSWER_OPENING}{wording}\n{REMEDY}"


def fill(body: str, found: dict[str, str]) -> str:
    """Replace known `{placeholders}`; unknown ones stay visible so a template error is seen, not hidden."""
    return PLACEHOLDER.sub(lambda m: found.get(m.group(1), m.group(0)), body)


def compose(
    request: Request, kind: LetterKind | str, issued_on: date, number: str = "", body: str = ""
) -> Letter:
    """The letter from the agency's template, or from `body` (a signed draft's own text, laid out
    in the standard style) when one is given."""
    kind = LetterKind(kind)
    found = {**values(request, kind, issued_on), "number": number}
    rows = _templates(request, kind)
    own = None if body else _docx_of(rows)
    if own is not None:
        filled = _fill_upload(own, found)
        paragraphs = letter_docx.paragraphs(filled)
        return Letter(kind, TITLES[kind], number, paragraphs, request.agency.name, issued_on, filled)
    text = fill(body or _body_of(rows, request, kind), found)
    paragraphs = tuple(line.strip() for line in text.splitlines() if line.strip())
    return Letter(kind, TITLES[kind], number, paragraphs, request.agency.name, issued_on)


def _fill_upload(own: LetterTemplate, found: dict[str, str]) -> bytes:
    """The uploaded template filled in; a lost or broken file is said, not replaced by the text template."""
    try:
        with own.docx.open("rb") as f:
            data = f.read()
        if letter_docx.hazards(data):  # kept from before uploads were checked for them
            raise letter_docx.NotDocx("holds content a letter template must not")
        return letter_docx.fill(data, found)
    except (OSError, letter_docx.NotDocx) as error:
        raise InvalidInput(
            "本机关上传的 DOCX 文书模板无法读取，请重新上传或删除该模板",
            f"letter template {own.pk} unreadable: {error}",
        ) from error


def _plain(text: str, align: str) -> str:
    return _paragraph(text, BODY_RPR, f'{LINE}<w:jc w:val="{align}"/>')


def to_docx(letter: Letter) -> bytes:
    """The letter as a DOCX: 小标宋 title, 文号, addressee flush left, 仿宋 body, signature and date right.

    A letter from an uploaded template is already the agency's own document.
    """
    if letter.docx is not None:
        return letter.docx
    return _laid_out(letter.title, letter.number, letter.paragraphs, letter.agency, zh_date(letter.issued_on))


def starter_docx(kind: LetterKind, body: str) -> bytes:
    """A DOCX to begin an agency's own template with: `body` (a text template) laid out as the desk
    lays out its letters, with every placeholder left in, and the 文号, signature and date as
    placeholders too. The agency adds its 红头 in Word or WPS and uploads it; filled in, it says
    what the text template says."""
    paragraphs = tuple(line.strip() for line in body.splitlines() if line.strip())
    return _laid_out(TITLES[kind], "{number}", paragraphs, "{agency}", "{date}")


def _laid_out(title: str, number: str, paragraphs: tuple[str, ...], agency: str, dated: str) -> bytes:
    body = [_title(title)]
    if number:
        body.append(_plain(number, "center"))
    for i, paragraph in enumerate(paragraphs):
        addressee = i == 0 and paragraph.endswith("：")
        body.append(_plain(paragraph, "left") if addressee else _body(paragraph))
    body += [_plain("", "right"), _plain(agency, "right"), _plain(dated, "right")]
    return assemble(body, title, agency)


def file_name(request: Request, letter: Letter) -> str:
    """The letter's title, the request and the date, as the applicant saves it (letters, digits and
    dashes only, so storage keeps it as it is)."""
    return f"{letter.title}-{request.pk}-{letter.issued_on.isoformat()}.docx"
