"""What the public does without an account: submit a request online (channel 网络).

The anonymous actor has no role, so the permission here is the agency's: it must accept online
requests, which means somebody there registers them (a 登记 member). The receipt date is the day
the system confirms the submission to the applicant (Art. 31: 以双方确认之日为收到之日).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError
from django.utils import timezone

from gongkai.web.agencies.models import Agency
from gongkai.web.core import checks as check
from gongkai.web.core.errors import InvalidInput, PermissionDenied

from ..models import Channel, Request
from ..selectors import accepting_agencies
from .requests import applicant_fields, create_registered


def submit_online(
    agency: Agency,
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
    idempotency_key: str,
) -> Request:
    """Register an online request as the anonymous public; a resubmitted form returns the first request."""
    if not accepting_agencies().filter(pk=agency.pk).exists():
        raise PermissionDenied("该机关暂不受理网上申请", "the agency takes no online requests")
    key = check.text(idempotency_key, "提交标识", max_length=64)
    same_form = Request.objects.filter(idempotency_key=key, channel=Channel.ONLINE, agency=agency)
    existing = same_form.first()
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
        agency=agency, channel=Channel.ONLINE, received_on=timezone.localdate(), idempotency_key=key
    )
    try:
        return create_registered(AnonymousUser(), fields, "request.submit_online")
    except IntegrityError:
        # A double click: the other submission of this form won the insert; the applicant gets
        # its tracking code. A key used for anything else stays refused.
        existing = same_form.first()
        if existing is None:
            raise InvalidInput("该表单已提交，请勿重复提交", "idempotency key already used") from None
        return existing
