"""Setting up the agency tree and people's roles (the directory); each write is audited."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from gongkai.web.core import checks as check
from gongkai.web.core.audit import record, snapshot
from gongkai.web.core.errors import Conflict, PermissionDenied

from .models import Agency, AgencyKind, Level, Membership, Role
from .permissions import can, forget_grants, is_superuser, require

User = AbstractBaseUser | AnonymousUser


def create_agency(
    actor: User, name: str, code: str, level: str, kind: str, parent: Agency | None = None
) -> Agency:
    """A new agency under `parent` (admins of the parent's subtree), or a new root (superusers)."""
    if parent is None:
        if not is_superuser(actor):
            raise PermissionDenied("只有系统管理员可以新建顶级机关", "only superusers create root agencies")
    else:
        require(actor, "admin", parent, "管理机关")
    agency = Agency(
        name=check.text(name, "机关名称", max_length=200),
        code=check.text(code, "机关代码", max_length=64),
        level=check.choice(level, Level.values, "层级"),
        kind=check.choice(kind, AgencyKind.values, "类型"),
        parent=parent,
    )
    if Agency.objects.filter(code=agency.code).exists():
        raise Conflict(f"机关代码“{agency.code}”已存在", "agency code already used")
    with transaction.atomic():
        agency.path = f"new-{agency.code}"  # unique placeholder until the pk is known
        agency.save()
        agency.path = Agency.make_path(parent, agency.pk)
        agency.save(update_fields=("path",))
        record(actor, "agency.create", agency, None, snapshot(agency), agency_id=agency.pk)
    return agency


def add_membership(actor: User, user: AbstractBaseUser, agency: Agency, role: str) -> Membership:
    require(actor, "admin", agency, "管理人员岗位")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user_id=user.pk, agency=agency, role=check.choice(role, Role.values, "角色")
        )
        if created:
            record(actor, "membership.add", membership, None, snapshot(membership))
    forget_grants(user)
    return membership


def remove_membership(actor: User, membership: Membership) -> None:
    require(actor, "admin", membership.agency, "管理人员岗位")
    with transaction.atomic():
        record(actor, "membership.remove", membership, snapshot(membership), None)
        membership.delete()
    forget_grants(membership.user)


LETTER_SETTINGS = ("review_body", "court", "review_days", "litigation_months", "fee_payment")


def update_letter_settings(
    actor: User,
    agency: Agency,
    *,
    review_body: str,
    court: str,
    review_days: int | str,
    litigation_months: int | str,
    fee_payment: str,
) -> Agency:
    """What the agency's letters tell applicants, kept by its 负责人 or an administrator."""
    if not (can(actor, "approve_extension", agency) or can(actor, "admin", agency)):
        raise PermissionDenied("您没有维护本机关文书设置的权限", "not allowed: letter settings")
    values = {
        "review_body": check.text(review_body, "行政复议机关", required=False, max_length=200),
        "court": check.text(court, "管辖法院", required=False, max_length=200),
        "review_days": check.integer(review_days, "申请行政复议期限（日）", 60, 365),
        "litigation_months": check.integer(litigation_months, "提起行政诉讼期限（月）", 6, 24),
        "fee_payment": check.text(fee_payment, "信息处理费缴纳方式", required=False, max_length=2000),
    }
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        before = snapshot(locked, LETTER_SETTINGS)
        for key, value in values.items():
            setattr(locked, key, value)
        locked.save(update_fields=LETTER_SETTINGS)
        record(actor, "agency.letter_settings", locked, before, snapshot(locked, LETTER_SETTINGS))
    return locked
