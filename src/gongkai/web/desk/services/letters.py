"""Issuing letters and keeping the agencies' letter templates; every issuance is an audited event.

The issued DOCX is kept as an attachment of the request, so the letter as sent stays downloadable
even after the agency edits its template.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction

from .. import letters
from ..models import OUTCOMES, Agency, Attachment, LetterKind, LetterTemplate, Request
from ..permissions import can
from . import _input as check
from .audit import record, snapshot
from .errors import PermissionDenied
from .requests import add_attachment, letter_action, record_letter

User = AbstractBaseUser | AnonymousUser
GROUPS = frozenset(letters.outcome_group(o) for o in OUTCOMES)


def issue_letter(actor: User, request: Request, kind: str, on: date | str, number: str = "") -> Attachment:
    """Compose the letter from the agency's template, record the issuance, keep the DOCX."""
    letter_kind = LetterKind(check.choice(kind, LetterKind.values, "文书类型"))
    issued_on = check.as_date(on, "出具日期")
    check.require(actor, letter_action(actor, letter_kind, request), request, "出具文书")
    request = Request.objects.select_related("agency").get(pk=request.pk)  # the letter says what is stored
    letter = letters.compose(request, letter_kind, issued_on, check.text(number, "文号", required=False))
    content = ContentFile(letters.to_docx(letter), name=letters.file_name(request, letter))
    with transaction.atomic():
        record_letter(actor, request, letter_kind, issued_on, letter.number)
        return add_attachment(actor, request, content, f"{letter.title}（{issued_on}）")


def save_template(actor: User, agency: Agency, kind: str, outcome: str, body: str) -> LetterTemplate | None:
    """Set an agency's template body; an empty body removes it (the built-in default applies again).

    Templates are kept by the agency's 负责人 or an administrator.
    """
    if not (can(actor, "approve_extension", agency) or can(actor, "admin", agency)):
        raise PermissionDenied("您没有维护本机关文书模板的权限", "not allowed: letter templates")
    letter_kind = check.choice(kind, LetterKind.values, "文书类型")
    target = check.text(outcome, "适用的办理结果", required=False)
    if target:
        check.choice(target, OUTCOMES | GROUPS, "适用的办理结果")
    text = check.text(body, "正文", required=False, max_length=20000)
    with transaction.atomic():
        row = (
            LetterTemplate.objects.select_for_update()
            .filter(agency=agency, kind=letter_kind, outcome=target)
            .first()
        )
        before = snapshot(row, ("kind", "outcome", "body")) if row is not None else None
        if not text:
            if row is not None:
                record(actor, "letter_template.delete", row, before, None)
                row.delete()
            return None
        row = row or LetterTemplate(agency=agency, kind=letter_kind, outcome=target)
        row.body = text
        row.save()
        record(actor, "letter_template.save", row, before, snapshot(row, ("kind", "outcome", "body")))
    return row
