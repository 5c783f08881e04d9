"""The register's writers: items, attachments, the review chain, the personal-data gate,
publication, withdrawal and 依申请转主动公开. Each checks permission, validates through the core
(`gongkai.proactive`), and writes the audit log in its own transaction.

Nothing is public before the chain's last step approves: publishing is that approval, and it also
fills the item's search pieces. An approval is refused while the scan of the title, the text or an
attachment finds personal data no reviewer has redacted or accepted with a reason. Attachments are
stored only after their metadata is removed (`gongkai.scrub`), so what is scanned is what is
published. Withdrawal keeps the item and says so in public; nothing is ever deleted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.personal_data import redact
from gongkai.proactive import review as gate
from gongkai.proactive.catalogue import CHANNEL_BY_KEY, KIND_BY_KEY, AgencyCatalogue, CatalogueError, Matter
from gongkai.proactive.index_number import IndexRule, IndexRuleError
from gongkai.proactive.register import RegisterError, RegisterItem, check_catalogue
from gongkai.redaction import RedactionError, redact_file
from gongkai.scrub import ScrubError, attachment_text, scrub
from gongkai.web.agencies.models import Agency, Role
from gongkai.web.agencies.permissions import is_superuser, require, roles_on
from gongkai.web.core import checks as check
from gongkai.web.core.audit import record, snapshot
from gongkai.web.core.errors import Conflict, InvalidInput, PermissionDenied
from gongkai.web.requests.models import Request

from . import listing, search
from .models import (
    EDITABLE_STATES,
    AcceptedHit,
    Item,
    ItemAttachment,
    ItemState,
    RegisterSettings,
    ReviewAction,
    ReviewEvent,
    SearchGram,
)

User = AbstractBaseUser | AnonymousUser
EDIT_ROLES = frozenset({Role.REGISTER, Role.HANDLE, Role.APPROVE_ANSWER, Role.APPROVE_EXTENSION})
EDITABLE = EDITABLE_STATES
RELEASED_OUTCOMES = ("disclosed", "partly_disclosed")
MAX_TEXT = 200_000
GRAM_BATCH = 2000


# Settings ------------------------------------------------------------------------------------------


def register_settings(agency: Agency) -> RegisterSettings:
    """The agency's settings, with the defaults when it has none yet (not saved)."""
    found = RegisterSettings.objects.filter(agency=agency).first()
    return found or RegisterSettings(agency=agency)


def catalogue_of(settings: RegisterSettings) -> AgencyCatalogue:
    try:
        return AgencyCatalogue.from_data(settings.catalogue)
    except CatalogueError as exc:
        raise InvalidInput(exc.zh, exc.en) from exc


def chain_of(settings: RegisterSettings) -> list[tuple[str, str]]:
    return [(str(name), str(role)) for name, role in settings.review_chain]


def save_settings(actor: User, agency: Agency, **fields: Any) -> RegisterSettings:
    """Create or change an agency's register settings (its admin only); each is checked first."""
    require(actor, "admin", agency, "设置主动公开目录和流程")
    with transaction.atomic():
        row = RegisterSettings.objects.select_for_update().filter(agency=agency).first()
        before = snapshot(row) if row is not None else None
        row = row or RegisterSettings(agency=agency)
        for name, value in fields.items():
            setattr(row, name, value)
        catalogue_of(row)
        try:
            IndexRule(row.index_rule)
        except IndexRuleError as exc:
            raise InvalidInput(exc.zh, exc.en) from exc
        _check_chain(row.review_chain)
        row.save()
        listing.changed(agency.pk)  # the guide, the system and the catalogue's area names
        record(actor, "register.settings", row, before, snapshot(row), agency_id=agency.pk)
    return row


def _check_chain(chain: object) -> None:
    roles = {r.value for r in Role}
    if (
        not isinstance(chain, list)
        or not chain
        or not all(
            isinstance(s, list | tuple) and len(s) == 2 and str(s[0]).strip() and s[1] in roles for s in chain
        )
    ):
        raise InvalidInput(
            "审核流程至少一步，每一步须有名称和岗位", "the review chain needs named steps with roles"
        )


# Items ---------------------------------------------------------------------------------------------


def _may_edit(actor: User, agency: Agency) -> None:
    if not (
        is_superuser(actor) or Role.ADMIN in roles_on(actor, agency) or roles_on(actor, agency) & EDIT_ROLES
    ):
        raise PermissionDenied("您没有登记主动公开信息的权限", "not allowed: edit register")


def _date(value: object, label: str) -> date | None:
    return None if value in (None, "") else check.as_date(value, label, future=True)


def _clean(agency: Agency, data: dict[str, Any]) -> dict[str, Any]:
    """The item's fields from form data, checked by the core's rules and the agency's catalogue."""
    clean: dict[str, Any] = {
        "title": check.text(data.get("title"), "标题", max_length=300),
        "body": check.text(data.get("body", ""), "正文", required=False, max_length=MAX_TEXT),
        "kind": check.choice(data.get("kind", "other"), KIND_BY_KEY, "信息类别"),
        "area": check.text(data.get("area", ""), "目录领域", required=False, max_length=64),
        "matter1": check.text(data.get("matter1", ""), "一级事项", required=False, max_length=200),
        "matter2": check.text(data.get("matter2", ""), "二级事项", required=False, max_length=200),
        "channels": [check.choice(c, CHANNEL_BY_KEY, "公开渠道") for c in data.get("channels") or ()],
        "document_number": check.text(
            data.get("document_number", ""), "文号", required=False, max_length=100
        ),
        "publisher": check.text(data.get("publisher", ""), "发布机构", required=False, max_length=200)
        or agency.name,
        "formed": check.as_date(data.get("formed"), "信息形成或变更日期"),
        "issued": _date(data.get("issued"), "印发日期"),
        "effective": _date(data.get("effective"), "施行日期"),
        "expires": _date(data.get("expires"), "有效期至"),
        "repealed": _date(data.get("repealed"), "废止日期"),
        "decisions": None
        if data.get("decisions") in (None, "")
        else check.integer(data.get("decisions"), "处理决定数量", 0, 10**7),
        "fee_yuan": _money(data.get("fee_yuan")),
    }
    core = _core_item(clean)
    catalogue = catalogue_of(register_settings(agency))
    try:
        check_catalogue(core, catalogue)
    except RegisterError as exc:
        raise InvalidInput(exc.zh, exc.en) from exc
    return clean


def _money(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput("收费金额应为数字（元）", "fee: not a number") from None
    if not amount.is_finite() or amount < 0 or amount >= 10**14:
        raise InvalidInput("收费金额应为不小于0的元数", "fee: out of range")
    return amount.quantize(Decimal("0.01"))


def _core_item(fields: dict[str, Any], **more: Any) -> RegisterItem:
    try:
        return RegisterItem(
            title=fields["title"],
            kind=fields["kind"],
            area=fields["area"],
            formed=fields["formed"],
            channels=tuple(fields["channels"]),
            matter=Matter(fields["matter1"], fields["matter2"]) if fields["matter1"] else None,
            issued=fields["issued"],
            effective=fields["effective"],
            expires=fields["expires"],
            repealed=fields["repealed"],
            decisions=fields["decisions"],
            fee_yuan=fields["fee_yuan"],
            **more,
        )
    except RegisterError as exc:
        raise InvalidInput(exc.zh, exc.en) from exc


def create_item(actor: User, agency: Agency, source_request: Request | None = None, **data: Any) -> Item:
    """A new draft with its 索引号 from the agency's rule."""
    _may_edit(actor, agency)
    clean = _clean(agency, data)
    with transaction.atomic():
        settings = register_settings(agency)
        if settings.pk is not None:
            RegisterSettings.objects.select_for_update().filter(pk=settings.pk).first()
        item = Item(agency=agency, source_request=source_request, **clean)
        item.index_number = _next_index_number(settings, item)
        item.save()
        record(actor, "register.create", item, None, snapshot(item))
    return item


def _next_index_number(settings: RegisterSettings, item: Item) -> str:
    try:
        rule = IndexRule(settings.index_rule)
        catalogue = AgencyCatalogue.from_data(settings.catalogue)
    except (IndexRuleError, CatalogueError) as exc:
        raise InvalidInput(f"主动公开设置有误：{exc.zh}", exc.en) from exc
    area_code = f"{catalogue.covered.index(item.area) + 1:02d}" if item.area in catalogue.covered else "00"
    fields = {
        "year": item.formed.year,
        "org_code": settings.org_code,
        "area_code": area_code,
        "category": item.kind,
    }
    issued = Item.objects.filter(agency=item.agency, area=item.area, formed__year=item.formed.year)
    last, seq = None, 0
    for number in issued.exclude(index_number="").values_list("index_number", flat=True):
        try:
            parsed = rule.parse(number)
        except IndexRuleError:
            continue
        if all(parsed[f] == str(fields[f]) for f in rule.fields if f != "seq") and int(parsed["seq"]) > seq:
            last, seq = number, int(parsed["seq"])
    try:
        return rule.next(last, **fields)  # type: ignore[arg-type]
    except IndexRuleError as exc:
        raise InvalidInput(exc.zh, exc.en) from exc


def update_item(actor: User, item: Item, **data: Any) -> Item:
    """Change a draft or an item sent back; an item under review or public does not change."""
    _may_edit(actor, item.agency)
    clean = _clean(item.agency, data)
    with transaction.atomic():
        locked = _locked(item)
        if locked.state not in EDITABLE:
            raise Conflict("只有草稿或退回修改的事项可以编辑", "only drafts and returned items change")
        before = snapshot(locked)
        for name, value in clean.items():
            setattr(locked, name, value)
        locked.save()
        record(actor, "register.update", locked, before, snapshot(locked))
    return locked


def _locked(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("agency").get(pk=item.pk)


def add_attachment(actor: User, item: Item, name: str, data: bytes) -> ItemAttachment:
    """Store the attachment without its metadata, with its text for the scan."""
    _may_edit(actor, item.agency)
    name = check.text(name, "文件名", max_length=200)
    try:
        cleaned = scrub(data)
        text = attachment_text(cleaned.data)
    except ScrubError as exc:
        raise InvalidInput(exc.zh, exc.en) from exc
    safe = re.sub(r"[^\w.\-]", "_", name)[-100:] or "attachment"
    with transaction.atomic():
        locked = _locked(item)
        if locked.state not in EDITABLE:
            raise Conflict("只有草稿或退回修改的事项可以添加附件", "only drafts and returned items change")
        attachment = ItemAttachment(
            item=locked, name=name, removed=list(cleaned.removed), text=text[:MAX_TEXT]
        )
        attachment.file.save(safe, ContentFile(cleaned.data), save=False)
        attachment.save()
        record(actor, "register.attach", attachment, None, snapshot(attachment, ("name", "removed")), locked)
    return attachment


def remove_attachment(actor: User, attachment: ItemAttachment) -> None:
    _may_edit(actor, attachment.item.agency)
    with transaction.atomic():
        locked = _locked(attachment.item)
        if locked.state not in EDITABLE:
            raise Conflict("只有草稿或退回修改的事项可以删除附件", "only drafts and returned items change")
        before = snapshot(attachment, ("name",))
        record(actor, "register.detach", attachment, before, None, locked)
        attachment.file.delete(save=False)
        attachment.delete()


# Review --------------------------------------------------------------------------------------------


def texts_of(item: Item) -> dict[str, str]:
    """What the personal-data scan reads: the title, the text, each attachment's text."""
    sources = {"标题": item.title, "正文": item.body}
    for attachment in item.attachments.order_by("pk"):
        sources[_label(attachment)] = attachment.text
    return sources


def scan(item: Item) -> gate.Review:
    accepted = dict(AcceptedHit.objects.filter(item=item).values_list("fingerprint", "reason"))
    return gate.review(texts_of(item), accepted, bytes.fromhex(item.review_key))


def _holds(actor: User, agency: Agency, role: str) -> bool:
    roles = roles_on(actor, agency)
    return is_superuser(actor) or role in roles or Role.ADMIN in roles


def current_step(item: Item) -> tuple[str, str] | None:
    chain = chain_of(register_settings(item.agency))
    return chain[item.step] if item.state == ItemState.IN_REVIEW and item.step < len(chain) else None


def _trail(actor: User, item: Item, action: str, step_name: str = "", comment: str = "") -> None:
    ReviewEvent.objects.create(
        item=item, action=action, step_name=step_name, comment=comment, actor_id=getattr(actor, "pk", None)
    )


def submit(actor: User, item: Item) -> Item:
    """Send a draft (or an item sent back) to the chain's first step."""
    _may_edit(actor, item.agency)
    with transaction.atomic():
        locked = _locked(item)
        if locked.state not in EDITABLE:
            raise Conflict("该事项不在可提交审核的状态", "not a draft")
        if not locked.channels:
            raise InvalidInput("请至少选择一个公开渠道", "no channel")
        before = snapshot(locked, ("state", "step"))
        locked.state, locked.step = ItemState.IN_REVIEW, 0
        locked.save(update_fields=("state", "step", "updated_at"))
        _trail(actor, locked, ReviewAction.SUBMIT)
        record(actor, "register.submit", locked, before, snapshot(locked, ("state", "step")))
    return locked


def _reviewing(actor: User, item: Item) -> tuple[Item, str, int]:
    """The locked item, its current step's name and the chain's length, if `actor` holds the step."""
    locked = _locked(item)
    chain = chain_of(register_settings(locked.agency))
    if locked.state != ItemState.IN_REVIEW or locked.step >= len(chain):
        raise Conflict("该事项不在审核中", "not in review")
    name, role = chain[locked.step]
    if not _holds(actor, locked.agency, role):
        raise PermissionDenied(f"您没有{name}的权限", f"not allowed: review step {locked.step}")
    return locked, name, len(chain)


def approve(actor: User, item: Item, comment: str = "", today: date | None = None) -> Item:
    """Approve the current step; the last approval publishes. Refused while personal data is unresolved."""
    comment = check.text(comment, "审核意见", required=False, max_length=2000)
    with transaction.atomic():
        locked, name, length = _reviewing(actor, item)
        found = scan(locked)
        if not found.may_publish:
            raise Conflict(found.message(), "unresolved personal data")
        before = snapshot(locked, ("state", "step", "published", "published_at"))
        _trail(actor, locked, ReviewAction.APPROVE, name, comment)
        if locked.step + 1 < length:
            locked.step += 1
            locked.save(update_fields=("step", "updated_at"))
        else:
            locked.state = ItemState.PUBLISHED
            locked.published = today or timezone.localdate()
            locked.published_at = timezone.now()
            locked.save(update_fields=("state", "published", "published_at", "updated_at"))
            index(locked)
            listing.changed(locked.agency_id, locked.area, +1)
            _trail(actor, locked, ReviewAction.PUBLISH)
        after = snapshot(locked, ("state", "step", "published", "published_at"))
        record(actor, "register.approve", locked, before, {**after, "step_name": name, "comment": comment})
    return locked


def send_back(actor: User, item: Item, comment: str) -> Item:
    """Return the item to its author with the reviewer's comments; review restarts from the first step."""
    comment = check.text(comment, "退回意见", max_length=2000)
    with transaction.atomic():
        locked, name, _length = _reviewing(actor, item)
        before = snapshot(locked, ("state", "step"))
        locked.state, locked.step = ItemState.RETURNED, 0
        locked.save(update_fields=("state", "step", "updated_at"))
        _trail(actor, locked, ReviewAction.RETURN, name, comment)
        record(
            actor,
            "register.return",
            locked,
            before,
            {**snapshot(locked, ("state", "step")), "comment": comment},
        )
    return locked


def _finding(item: Item, fingerprint: str) -> gate.Finding:
    found = next((f for f in scan(item).findings if f.fingerprint == fingerprint), None)
    if found is None:
        raise InvalidInput("没有找到该处个人信息，请重新检查", "no such finding")
    return found


def _may_resolve(actor: User, item: Item) -> None:
    if item.state in EDITABLE:
        _may_edit(actor, item.agency)
    elif item.state == ItemState.IN_REVIEW:
        _reviewing(actor, item)
    else:
        raise Conflict("已公开或撤回的事项不能再处理", "item is public")


def accept_hit(actor: User, item: Item, fingerprint: str, reason: str) -> AcceptedHit:
    """Accept one hit for publication with the reviewer's reason (an official's name and office phone)."""
    reason = check.text(reason, "确认理由", max_length=500)
    with transaction.atomic():
        locked = _locked(item)
        _may_resolve(actor, locked)
        found = _finding(locked, fingerprint)
        row, _created = AcceptedHit.objects.update_or_create(
            item=locked, fingerprint=fingerprint, defaults={"reason": reason, "actor_id": actor.pk}
        )
        record(
            actor,
            "register.accept_hit",
            row,
            None,
            {"source": found.source, "kind": str(found.kind), "masked": found.masked, "reason": reason},
            locked,
        )
    return row


def redact_hit(actor: User, item: Item, fingerprint: str) -> Item:
    """Mask one hit in the title, the text, or an attachment whose format allows it (DOCX, XLSX:
    `gongkai.redaction`); a PDF's or a picture's hit needs a corrected file, and says so."""
    with transaction.atomic():
        locked = _locked(item)
        _may_resolve(actor, locked)
        found = _finding(locked, fingerprint)
        field = {"标题": "title", "正文": "body"}.get(found.source)
        if field is None:
            _redact_attachment(actor, locked, found)
            return locked
        before = {"masked": found.masked, "source": found.source}
        setattr(locked, field, redact(getattr(locked, field), [found]))
        locked.save(update_fields=(field, "updated_at"))
        record(actor, "register.redact", locked, before, {"masked": found.masked, "source": found.source})
    return locked


def _redact_attachment(actor: User, item: Item, found: gate.Finding) -> None:
    """Mask the hit in the stored file itself, read its text again and check the hit is gone."""
    attachment = next((a for a in item.attachments.order_by("pk") if _label(a) == found.source), None)
    if attachment is None:
        raise InvalidInput("没有找到该附件，请重新检查", "no attachment for the finding")
    original = attachment.text[found.start : found.end]
    with attachment.file.open("rb") as stored:
        data = stored.read()
    try:
        redacted = redact_file(data, [(original, found.masked)])
        text = attachment_text(redacted)
    except (RedactionError, ScrubError) as exc:
        raise InvalidInput(f"附件“{attachment.name}”：{exc.zh}", exc.en) from exc
    if original in text:
        raise InvalidInput(
            f"附件“{attachment.name}”中仍有该处个人信息，无法在系统内遮盖：请上传处理后的附件",
            "the hit is still in the attachment's text after masking",
        )
    old_name = str(attachment.file.name)
    attachment.file.save(old_name.rsplit("/", 1)[-1], ContentFile(redacted), save=False)
    attachment.text = text[:MAX_TEXT]
    attachment.save(update_fields=("file", "text"))
    attachment.file.storage.delete(old_name)
    record(
        actor,
        "register.redact",
        attachment,
        {"masked": found.masked, "source": found.source},
        {"masked": found.masked, "source": found.source, "file": "已遮盖"},
        item,
    )


def maskable(item: Item) -> set[str]:
    """The finding sources a reviewer can mask in the system: the title, the text, and DOCX and
    XLSX attachments (for the page's buttons; `redact_hit` checks the file itself)."""
    named = item.attachments.order_by("pk").only("pk", "name", "item_id")
    return {"标题", "正文"} | {_label(a) for a in named if a.name.lower().endswith((".docx", ".xlsx"))}


def _label(attachment: ItemAttachment) -> str:
    return f"附件“{attachment.name}”"


def withdraw(actor: User, item: Item, reason: str, today: date | None = None) -> Item:
    """Withdraw a published item with a reason (终审 or admin); the public page then says so and when."""
    reason = check.text(reason, "撤回理由", max_length=2000)
    with transaction.atomic():
        locked = _locked(item)
        chain = chain_of(register_settings(locked.agency))
        if not _holds(actor, locked.agency, chain[-1][1]):
            raise PermissionDenied(f"您没有撤回已公开信息的权限（须{chain[-1][0]}）", "not allowed: withdraw")
        if locked.state != ItemState.PUBLISHED:
            raise Conflict("只有已公开的事项可以撤回", "only published items are withdrawn")
        before = snapshot(locked, ("state", "withdrawn", "withdrawn_reason"))
        locked.state = ItemState.WITHDRAWN
        locked.withdrawn = today or timezone.localdate()
        locked.withdrawn_reason = reason
        locked.save(update_fields=("state", "withdrawn", "withdrawn_reason", "updated_at"))
        SearchGram.objects.filter(item=locked).delete()
        listing.changed(locked.agency_id, locked.area, -1)
        _trail(actor, locked, ReviewAction.WITHDRAW, comment=reason)
        record(
            actor,
            "register.withdraw",
            locked,
            before,
            snapshot(locked, ("state", "withdrawn", "withdrawn_reason")),
        )
    return locked


def index(item: Item) -> None:
    """Fill the item's search pieces (title, text and attachments' text)."""
    SearchGram.objects.filter(item=item).delete()
    pieces = search.grams("\n".join(texts_of(item).values()))
    _bulk_grams(item.pk, pieces)


def _bulk_grams(item_id: int, pieces: Iterable[str]) -> None:
    SearchGram.objects.bulk_create(
        [SearchGram(gram=g, item_id=item_id) for g in sorted(pieces)], batch_size=GRAM_BATCH
    )


# 依申请转主动公开 ------------------------------------------------------------------------------------


def may_convert(actor: User, request: Request) -> bool:
    """Whether `actor` may turn `request` into a register item now (the button's condition; the
    service checks again): a released answer, not yet converted, and a register role on its agency."""
    if request.outcome not in RELEASED_OUTCOMES or Item.objects.filter(source_request=request).exists():
        return False
    try:
        _may_edit(actor, request.agency)
    except PermissionDenied:
        return False
    return True


def from_request(actor: User, request: Request) -> Item:
    """Turn an answered request's released information into a draft register item, linked to it.

    The applicant's own particulars are taken out of the text; the item then goes through review
    like any other.
    """
    require(actor, "view", request, "将申请转为主动公开")
    request = Request.objects.select_related("agency").get(pk=request.pk)
    if request.outcome not in RELEASED_OUTCOMES:
        raise Conflict(
            "只有答复予以公开或部分公开的申请可以转为主动公开", "only answered, released requests convert"
        )
    if Item.objects.filter(source_request=request).exists():
        raise Conflict("该申请已转为主动公开事项", "already converted")
    text = request.content
    for value in (request.applicant_name, request.id_number, request.phone, request.address, request.email):
        if value and len(value.strip()) >= 2:
            text = text.replace(value.strip(), "（略）")
    closed = request.closed_on or timezone.localdate()
    title = text.strip().splitlines()[0][:100] if text.strip() else "依申请公开的政府信息"
    return create_item(
        actor,
        request.agency,
        source_request=request,
        title=title,
        body=f"{text}\n\n（本信息经依申请公开后转为主动公开。法律依据：{request.legal_basis}）",
        kind="other",
        area="",
        channels=["website"],
        formed=closed,
    )
