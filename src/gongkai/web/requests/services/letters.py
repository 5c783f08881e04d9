"""Issuing letters and keeping the agencies' letter templates; every issuance is an audited event.

The issued DOCX is kept as an attachment of the request, so the letter as sent stays downloadable
even after the agency edits its template. A template is a text body, an uploaded DOCX, or both
(the DOCX is used while it is there; the body is what applies again once it is removed).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.base import ContentFile, File
from django.db import transaction

from gongkai.web.agencies.models import Agency
from gongkai.web.agencies.permissions import can, require
from gongkai.web.core import checks as check
from gongkai.web.core.audit import record, snapshot
from gongkai.web.core.errors import InvalidInput, NotFound, PermissionDenied
from gongkai.web.core.rows import locked_or_created, require_unchanged

from .. import letter_docx, letters
from ..models import OUTCOMES, Attachment, LetterKind, LetterTemplate, Request
from .requests import keep_file, letter_action, record_letter

User = AbstractBaseUser | AnonymousUser
GROUPS = frozenset(letters.outcome_group(o) for o in OUTCOMES)
FIELDS = ("kind", "outcome", "body", "docx")  # what the audit log keeps of a template


def issue_letter(
    actor: User, request: Request, kind: str, on: date | str, number: str = "", body: str = ""
) -> Attachment:
    """Compose the letter (from the agency's template, or from `body`), record the issuance, keep the DOCX."""
    letter_kind = LetterKind(check.choice(kind, LetterKind.values, "文书类型"))
    issued_on = check.as_date(on, "出具日期")
    require(actor, letter_action(actor, letter_kind, request), request, "出具文书")
    request = Request.objects.select_related("agency").get(pk=request.pk)  # the letter says what is stored
    number = check.text(number, "文号", required=False)
    letter = letters.compose(
        request, letter_kind, issued_on, number, check.text(body, "正文", required=False)
    )
    content = ContentFile(letters.to_docx(letter), name=letters.file_name(request, letter))
    with transaction.atomic():
        kept = keep_file(actor, request, content, f"{letter.title}（{issued_on}）")
        record_letter(actor, request, letter_kind, issued_on, letter.number, kept)
        return kept


def _keeper(actor: User, agency: Agency) -> None:
    """Templates are kept by the agency's 负责人 or an administrator."""
    if not (can(actor, "approve_extension", agency) or can(actor, "admin", agency)):
        raise PermissionDenied("您没有维护本机关文书模板的权限", "not allowed: letter templates")


def _target(kind: str, outcome: str) -> tuple[str, str]:
    letter_kind = check.choice(kind, LetterKind.values, "文书类型")
    target = check.text(outcome, "适用的办理结果", required=False)
    if target:
        check.choice(target, OUTCOMES | GROUPS, "适用的办理结果")
    return letter_kind, target


def _locked(agency: Agency, kind: str, outcome: str) -> LetterTemplate | None:
    rows = LetterTemplate.objects.select_for_update()
    return rows.filter(agency=agency, kind=kind, outcome=outcome).first()


def _forget_file(name: str | None) -> None:
    """Delete a replaced template file once the change is committed (a rollback still needs it)."""
    if name:
        storage = LetterTemplate._meta.get_field("docx").storage
        transaction.on_commit(lambda: storage.delete(name))


def _kept(agency: Agency, kind: str, outcome: str, seen: str | None) -> tuple[LetterTemplate, bool]:
    """The template row, locked (made if missing, so concurrent first saves keep one row), refused
    when the form was rendered from an older version; and whether it existed before."""
    key = {"agency": agency, "kind": kind, "outcome": outcome}
    row, created = locked_or_created(LetterTemplate, key, {})
    require_unchanged(None if created else row, seen)
    return row, not created


def save_template(
    actor: User, agency: Agency, kind: str, outcome: str, body: str, seen: str | None = None
) -> LetterTemplate | None:
    """Set an agency's template body; an empty body removes it (the built-in default applies again).

    An uploaded DOCX for the same letter stays: only its removal ends the template. `seen` is the
    version the form showed (`core.rows.version_of`); a save from an older form is refused.
    """
    _keeper(actor, agency)
    letter_kind, target = _target(kind, outcome)
    text = check.text(body, "正文", required=False, max_length=20000)
    with transaction.atomic():
        row, existed = _kept(agency, letter_kind, target, seen)
        before = snapshot(row, FIELDS) if existed else None
        if not text:
            if not existed or not row.docx:
                if existed:
                    record(actor, "letter_template.delete", row, before, None)
                row.delete()
                return None
            if not row.body:
                return row
        row.body = text
        row.save()
        record(actor, "letter_template.save", row, before, snapshot(row, FIELDS))
    return row


def upload_template_docx(
    actor: User, agency: Agency, kind: str, outcome: str, file: File[Any] | None, seen: str | None = None
) -> LetterTemplate:
    """Keep an agency's own DOCX (e.g. with its 红头) as the template; letters then fill it in.

    The file is checked before anything changes: a real DOCX of at most 5 MB whose placeholders
    are all known, since an unknown one would be printed as is in every letter.
    """
    _keeper(actor, agency)
    letter_kind, target = _target(kind, outcome)
    data = _docx_bytes(file)
    with transaction.atomic():
        row, existed = _kept(agency, letter_kind, target, seen)
        before = snapshot(row, FIELDS) if existed else None
        old = row.docx.name if row.docx else ""
        name = f"{agency.pk}-{letter_kind}-{target or 'all'}.docx"
        row.docx.save(name, ContentFile(data), save=False)
        try:
            row.save()
            record(actor, "letter_template.docx_upload", row, before, snapshot(row, FIELDS))
        except BaseException:
            row.docx.delete(save=False)  # the row was not stored: do not leave its file behind
            raise
        _forget_file(old)
    return row


def remove_template_docx(actor: User, agency: Agency, kind: str, outcome: str) -> LetterTemplate | None:
    """Drop the uploaded DOCX; the text body (the agency's, else the default) applies again."""
    _keeper(actor, agency)
    letter_kind, target = _target(kind, outcome)
    with transaction.atomic():
        row = _locked(agency, letter_kind, target)
        if row is None or not row.docx:
            raise NotFound("该文书没有上传的 DOCX 模板", "no uploaded DOCX template")
        before = snapshot(row, FIELDS)
        _forget_file(row.docx.name)
        if not row.body.strip():
            record(actor, "letter_template.docx_remove", row, before, None)
            row.delete()
            return None
        row.docx = ""
        row.save()
        record(actor, "letter_template.docx_remove", row, before, snapshot(row, FIELDS))
    return row


def _docx_bytes(file: File[Any] | None) -> bytes:
    """The upload's bytes, refused unless it is a DOCX within the size limit with known placeholders."""
    if file is None or not getattr(file, "name", ""):
        raise InvalidInput("请选择要上传的 DOCX 文件", "a DOCX file is required")
    limit = letter_docx.MAX_BYTES
    too_large = InvalidInput(
        f"DOCX 模板不能超过 {limit // (1024 * 1024)} MB", f"DOCX template over {limit} bytes"
    )
    if (file.size or 0) > limit:
        raise too_large
    file.open("rb")
    data = bytes(file.read(limit + 1))
    if len(data) > limit:
        raise too_large
    try:
        found = letter_docx.placeholders(data)
    except letter_docx.NotDocx as error:
        raise InvalidInput(
            "上传的文件不是有效的 DOCX 文档，请在 Word 或 WPS 中另存为 .docx 格式后再上传",
            f"not a DOCX: {error}",
        ) from error
    unsafe = letter_docx.hazards(data)
    if unsafe:
        raise InvalidInput(
            f"DOCX 模板含有不允许的内容：{'、'.join(unsafe)}。"
            "请删除这些内容（图片请直接插入，不要链接）后重新上传",
            f"unsafe template content: {len(unsafe)} kinds",
        )
    unknown = [p for p in found if p[1:-1] not in letters.PLACEHOLDERS]
    if unknown:
        raise InvalidInput(
            f"DOCX 模板中有无法识别的占位符：{'、'.join(unknown)}。请只使用本页列出的占位符",
            f"unknown placeholders: {', '.join(unknown)}",
        )
    return data
