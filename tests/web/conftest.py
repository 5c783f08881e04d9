"""Fixtures for the desk: a small agency tree, one user per role, and a request factory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User

from gongkai.web.agencies.models import Agency, AgencyKind, Level, Membership, Role
from gongkai.web.calendar.models import CalendarDay
from gongkai.web.core.errors import ServiceError
from gongkai.web.core.models import AuditLog
from gongkai.web.requests import services
from gongkai.web.requests.models import Appeal, Request, RequestEvent

RECEIVED = date(2025, 3, 3)  # a Monday, safely in the past
NewRequest = Callable[..., Request]


def day(n: int) -> date:
    """`n` days after RECEIVED."""
    return RECEIVED + timedelta(days=n)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def one_rate_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rate-limit counts in fixed windows: pin their clock mid-window, or a test whose calls
    straddle a window's end would see its count start again."""
    from types import SimpleNamespace

    from django.utils import timezone

    from gongkai.web.core import counters

    now = timezone.now().replace(second=30, microsecond=0)
    monkeypatch.setattr(counters, "timezone", SimpleNamespace(now=lambda: now))


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_agency(name: str, level: str, kind: str, parent: Agency | None = None) -> Agency:
    agency = Agency.objects.create(
        name=name, code=name, level=level, kind=kind, parent=parent, path=f"new-{name}"
    )
    agency.path = Agency.make_path(parent, agency.pk)
    agency.save(update_fields=("path",))
    return agency


class Tree:
    def __init__(self) -> None:
        self.city = make_agency("示例市人民政府", Level.CITY, AgencyKind.GOVERNMENT)
        self.district = make_agency("示例区人民政府", Level.COUNTY, AgencyKind.GOVERNMENT, self.city)
        self.street = make_agency("东湖街道办事处", Level.TOWNSHIP, AgencyKind.TOWNSHIP, self.district)
        self.other = make_agency("西城街道办事处", Level.TOWNSHIP, AgencyKind.TOWNSHIP, self.district)
        self.department = make_agency("示例市教育局", Level.DEPARTMENT, AgencyKind.DEPARTMENT, self.city)
        for office in (self.street, self.other):
            office.review_body, office.court = "示例区人民政府", "示例区人民法院"
            office.fee_payment = "请通过政务服务网非税收入缴款系统缴纳（缴款码见本通知书）"
            office.save(update_fields=("review_body", "court", "fee_payment"))
        self.users: dict[str, User] = {}
        for role in Role:
            agency = {Role.SUPERVISE: self.district, Role.ADMIN: self.city}.get(role, self.street)
            self.users[role] = self.member(f"{role}_user", agency, role)
        self.outsider = self.member("other_register", self.other, Role.REGISTER)
        self.other_approver = self.member("other_approve", self.other, Role.APPROVE_ANSWER)

    def member(self, username: str, agency: Agency, role: str) -> User:
        user = User.objects.create_user(username, password="x")
        Membership.objects.create(user=user, agency=agency, role=role)
        return user

    @property
    def register(self) -> User:
        return self.users[Role.REGISTER]

    @property
    def handle(self) -> User:
        return self.users[Role.HANDLE]

    @property
    def approve(self) -> User:
        return self.users[Role.APPROVE_ANSWER]

    @property
    def head(self) -> User:
        return self.users[Role.APPROVE_EXTENSION]

    @property
    def supervise(self) -> User:
        return self.users[Role.SUPERVISE]

    @property
    def admin(self) -> User:
        return self.users[Role.ADMIN]


@pytest.fixture
def tree(db: None) -> Tree:
    return Tree()


FORM: dict[str, Any] = {
    "applicant_kind": "natural_person",
    "applicant_name": "张三丰",
    "id_type": "resident_id",
    "id_number": "110101199001011237",
    "phone": "13812345678",
    "address": "示例市示例区东湖路1号",
    "email": "zhang@example.com",
    "channel": "online",
    "received_on": RECEIVED,
    "content": "申请公开东湖路拆迁补偿安置方案",
    "delivery": "electronic",
}

# A company applying: what `new_request` changes of FORM for an organisation's request.
COMPANY: dict[str, Any] = {
    "applicant_kind": "commercial",
    "applicant_name": "示例有限公司",
    "id_type": "credit_code",
    "id_number": "91110000600037341L",
    "legal_representative": "钱董事",
    "contact_person": "孙联络",
}


@pytest.fixture
def new_request(tree: Tree) -> Callable[..., Request]:
    def make(agency: Agency | None = None, user: User | None = None, **changes: Any) -> Request:
        return services.register_request(user or tree.register, agency or tree.street, **{**FORM, **changes})

    return make


def _state() -> tuple[Any, ...]:
    """Everything a refused service must leave unchanged."""
    return (
        list(Request.objects.order_by("pk").values()),
        list(RequestEvent.objects.order_by("pk").values()),
        list(AuditLog.objects.order_by("pk").values()),
        list(Appeal.objects.order_by("pk").values()),
        list(CalendarDay.objects.order_by("pk").values()),
    )


@contextmanager
def refused(kind: type[ServiceError] = ServiceError) -> Iterator[None]:
    before = _state()
    with pytest.raises(kind) as raised:
        yield
    assert any("\u4e00" <= ch <= "\u9fff" for ch in raised.value.zh), raised.value.zh
    assert raised.value.en
    assert _state() == before
