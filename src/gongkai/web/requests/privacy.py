"""The one privacy rule: who sees which applicant's personal data (anchors §5.7).

Personal data (a natural person's name, ID number, phone, address, e-mail, the tracking code, and
the files kept with the request: letters, ID copies) is seen only by those who work the request
(`can(user, "view_personal_data", request)`: 登记, 承办, 审核, 负责人, admin); 督查 sees it
masked. Every surface asks here: the detail page (`applicant_fields`), list rows
(`name_as_seen`), what was asked for (`content_as_seen`), search (`searchable_agencies`: a masked
viewer's search never matches on personal data, nor searches the request text for a query that
could single out a person, so it cannot be used as an oracle), attachments and letters
(`may_download`).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from gongkai.personal_data import masked
from gongkai.web.agencies.permissions import can, can_at, is_superuser, scope_key, visible_agencies
from gongkai.web.core import versions

from .models import ApplicantKind, Request

AnyUser = AbstractBaseUser | AnonymousUser

MASK = "*"


def mask(value: str, keep_start: int = 1, keep_end: int = 0) -> str:
    """Keep a few characters at each end: "张三丰" -> "张**", "13812345678" (3, 4) -> "138****5678"."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[:1] + MASK * (len(value) - 1)
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + MASK * hidden + (value[-keep_end:] if keep_end else "")


def mask_email(value: str) -> str:
    local, at, domain = value.partition("@")
    return f"{mask(local)}{at}{domain}" if at else mask(value)


def name_as_seen(kind: str, name: str, sees_personal_data: bool) -> str:
    """An applicant's name for a viewer: a natural person's is personal data, an organisation's is not."""
    return name if sees_personal_data or kind != ApplicantKind.NATURAL_PERSON else mask(name)


def sees_personal_data(user: AnyUser, request: Request) -> bool:
    return can(user, "view_personal_data", request)


def content_as_seen(user: AnyUser, request: Request) -> str:
    """What the applicant asked for, as this viewer may see it: a masked viewer sees the ID, phone
    and card numbers and the names next to them masked (the scanner of `gongkai.personal_data`), and
    the applicant's own name, as stored, masked wherever the text repeats it."""
    if sees_personal_data(user, request):
        return request.content
    text = request.content
    if request.applicant_kind == ApplicantKind.NATURAL_PERSON and len(request.applicant_name) > 1:
        text = text.replace(request.applicant_name, mask(request.applicant_name))
    return masked(text)


def may_download(user: AnyUser, request: Request) -> bool:
    """Files kept with a request (letters carry the applicant's name and address, uploads may be ID
    copies) are personal data as a whole: no masked copy exists, so a masked viewer gets none."""
    return sees_personal_data(user, request)


_SEARCHABLE: versions.Cache[object, frozenset[int]] = versions.Cache(versions.DIRECTORY)


def searchable_agencies(user: AnyUser) -> frozenset[int] | None:
    """The agencies where `user`'s search may match personal data (None: everywhere)."""
    if is_superuser(user):
        return None

    def load() -> frozenset[int]:
        rows = visible_agencies(user).values_list("pk", "path")
        return frozenset(pk for pk, path in rows if can_at(user, "view_personal_data", pk, path))

    return _SEARCHABLE.get(scope_key(user), load)


def applicant_fields(user: AnyUser, request: Request) -> dict[str, str]:
    """The applicant's data as this viewer may see it. Organisation names are not personal data."""
    full = sees_personal_data(user, request)
    fields = {
        "applicant_kind": request.get_applicant_kind_display(),
        "applicant_name": name_as_seen(request.applicant_kind, request.applicant_name, full),
        "id_type": request.get_id_type_display(),
        "id_number": request.id_number,
        "phone": request.phone,
        "address": request.address,
        "email": request.email,
        "tracking_code": request.tracking_code_grouped,
    }
    if full:
        return fields
    fields["id_number"] = mask(request.id_number, 4, 4)
    fields["phone"] = mask(request.phone, 3, 4)
    fields["address"] = mask(request.address, 6)
    fields["email"] = mask_email(request.email)
    fields["tracking_code"] = mask(request.tracking_code, 0) if request.tracking_code else ""
    return fields
