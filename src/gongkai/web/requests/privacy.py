"""Masking of applicants' personal data (privacy by default, anchors §5.7).

Everything shown about an applicant goes through `applicant_fields`, which masks unless the
permission function says the viewer works the request.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from gongkai.web.agencies.permissions import can

from .models import ApplicantKind, Request

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


def applicant_fields(user: AbstractBaseUser | AnonymousUser, request: Request) -> dict[str, str]:
    """The applicant's data as this viewer may see it. Organisation names are not personal data."""
    full = can(user, "view_personal_data", request)
    fields = {
        "applicant_kind": request.get_applicant_kind_display(),
        "applicant_name": name_as_seen(request.applicant_kind, request.applicant_name, full),
        "id_type": request.get_id_type_display(),
        "id_number": request.id_number,
        "phone": request.phone,
        "address": request.address,
        "email": request.email,
    }
    if full:
        return fields
    fields["id_number"] = mask(request.id_number, 4, 4)
    fields["phone"] = mask(request.phone, 3, 4)
    fields["address"] = mask(request.address, 6)
    fields["email"] = mask_email(request.email)
    return fields
