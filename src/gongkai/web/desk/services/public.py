"""What the public does without an account: submit a request online (channel 网络).

The anonymous actor has no role, so the permission here is the agency's: it must accept online
requests, which means somebody there registers them (a 登记 member). The receipt date is the day
the system confirms the submission to the applicant (Art. 31: 以双方确认之日为收到之日).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..models import RECEIPT_RULE, Agency, ApplicantKind, Channel, Delivery, EventKind, IdType, Request, Role
from ..models import RequestEvent as Event
from . import _input as check
from .audit import record, snapshot
from .errors import InvalidInput, PermissionDenied


def accepting_agencies() -> QuerySet[Agency]:
    """Agencies with someone to register what arrives: the portal lists these and only these."""
    return Agency.objects.filter(memberships__role=Role.REGISTER).distinct().order_by("path")


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
    idempotency_key: str,
) -> Request:
    """Register an online request as the anonymous public; a resubmitted form returns the first request."""
    if not accepting_agencies().filter(pk=agency.pk).exists():
        raise PermissionDenied("该机关暂不受理网上申请", "the agency takes no online requests")
    key = check.text(idempotency_key, "提交标识", max_length=64)
    existing = Request.objects.filter(idempotency_key=key, channel=Channel.ONLINE, agency=agency).first()
    if existing is not None:
        return existing
    fields = {
        "agency": agency,
        "applicant_kind": check.choice(applicant_kind, ApplicantKind.values, "申请人类型"),
        "applicant_name": check.text(applicant_name, "申请人姓名或名称", max_length=200),
        "id_type": check.choice(id_type, IdType.values, "证件类型"),
        "id_number": check.text(id_number, "证件号码", max_length=64),
        "phone": check.text(phone, "联系电话", required=False, max_length=64),
        "address": check.text(address, "通信地址", required=False, max_length=300),
        "email": check.text(email, "电子邮箱", required=False, max_length=200),
        "channel": Channel.ONLINE,
        "received_on": timezone.localdate(),
        "content": check.text(content, "所需信息的内容描述", max_length=5000),
        "delivery": check.choice(delivery, Delivery.values, "获取信息的方式"),
        "idempotency_key": key,
    }
    if not (fields["phone"] or fields["address"] or fields["email"]):
        raise InvalidInput("请至少填写一种联系方式", "contact: phone, address or email required")
    try:
        with transaction.atomic():
            request = Request.objects.create(**fields)
            Event.objects.create(
                request=request,
                kind=EventKind.REGISTERED,
                date=request.received_on,
                data={"channel": request.channel, "receipt_rule": str(RECEIPT_RULE[Channel.ONLINE])},
            )
            record(None, "request.submit_online", request, None, snapshot(request))
    except IntegrityError:
        raise InvalidInput("该表单已提交，请勿重复提交", "idempotency key already used") from None
    return request
