"""A deterministic demo: a small agency tree, users per role, and a year of realistic requests.

Used by `gongkai demo` and `gongkai serve` on an empty database, and for the benchmark database
(1,000,000 requests over 500 agencies), hence bulk inserts in batches and no per-request services:
the generator writes records whose events already satisfy the clock, plus one audit entry. It is
the site's loader, like `cli`, above the apps: it writes every app's tables, and no app imports it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from gongkai.clock import WorkCalendar
from gongkai.proactive.demo import DEMO_CATALOGUE, DEMO_ORG_CODE, DEMO_RULE, demo_register

from .agencies.models import Agency, AgencyKind, Level, Membership, Role
from .calendar.models import CalendarDay
from .calendar.selectors import work_calendar
from .core import versions
from .core.models import AuditLog
from .oversight import samples as oversight_samples
from .proactive import listing, search
from .proactive.models import Item, ItemState, RegisterSettings, SearchGram
from .reports.models import ProactiveFigures
from .requests import codes
from .requests.models import Appeal, EventKind, Request, RequestEvent, State

PASSWORD = "gongkai-demo"
BATCH = 5000

CITY_DEPARTMENTS = (
    "教育局",
    "公安局",
    "民政局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
)
DISTRICT_DEPARTMENTS = (
    "发展和改革局",
    "教育局",
    "民政局",
    "住房和城乡建设局",
    "市场监督管理局",
    "卫生健康局",
)
STREETS = ("东湖", "西城", "南山", "北关", "中心", "滨江", "新华", "和平", "长安", "文昌")
DISTRICTS = ("东城", "西湖", "南岸", "北塘", "江北", "高新", "临江", "青山", "白云", "金水")

APPLICANT_WEIGHTS = {
    "natural_person": 85,
    "commercial": 6,
    "research": 1,
    "public_interest": 1,
    "legal_service": 4,
    "other_org": 3,
}
CHANNEL_WEIGHTS = {
    "online": 50,
    "registered_post": 20,
    "in_person": 15,
    "ordinary_letter": 8,
    "fax": 2,
    "other": 5,
}
OUTCOME_WEIGHTS = {
    "disclosed": 35,
    "partly_disclosed": 10,
    "withheld_state_secret": 1,
    "withheld_prohibited": 1,
    "withheld_security": 1,
    "withheld_third_party": 2,
    "withheld_internal": 2,
    "withheld_process": 3,
    "withheld_enforcement_file": 1,
    "withheld_query": 1,
    "unavailable_not_held": 20,
    "unavailable_needs_creation": 4,
    "unavailable_unclear": 2,
    "rejected_petition": 3,
    "rejected_repeat": 4,
    "rejected_publication": 1,
    "rejected_excessive": 1,
    "rejected_confirmation": 1,
    "other_other": 2,
}
BASIS = {
    "disclosed": "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
    "partly_disclosed": "《中华人民共和国政府信息公开条例》第三十七条",
    "withheld": "《中华人民共和国政府信息公开条例》第十四条至第十六条",
    "unavailable": "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第三十八条",
    "rejected": "《中华人民共和国政府信息公开条例》第三十五条、第三十六条第（六）项、第三十九条",
    "other": "申请人撤回申请",
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
TOPICS = (
    "拆迁补偿安置方案",
    "建设项目环评批复",
    "行政处罚决定书",
    "财政预算执行情况",
    "学校招生划片依据",
    "低保审批名单",
)


@dataclass
class DemoUser:
    username: str
    role: str
    agency: str


@dataclass
class Summary:
    agencies: int = 0
    requests: int = 0
    events: int = 0
    appeals: int = 0
    users: list[DemoUser] = field(default_factory=list)
    password: str = PASSWORD


def generate(
    *,
    agencies: int = 12,
    requests: int = 2000,
    year: int | None = None,
    seed: int = 1,
    today: date | None = None,
) -> Summary:
    """Fill an empty database; the same arguments give the same records (tracking codes included)."""
    today = today or timezone.localdate()
    year = year or today.year - 1
    rng = random.Random(seed)
    summary = Summary()
    with transaction.atomic():
        CalendarDay.objects.create(
            date=_first_monday(year, 6), is_workday=False, name="演示：地方性假日（可修改或删除）"
        )
        versions.refresh()
        tree = _agencies(max(1, agencies))
        summary.agencies = len(tree)
        users = _users(tree, summary)
        handler = users.get(Role.HANDLE)
        home = tree[min(len(tree) - 1, _home_index(tree))]
        _proactive(rng, tree, year)
        calendar = work_calendar()
        _registers(tree, year, calendar)
        start = date(year, 1, 1) - timedelta(days=60)
        end = min(today, date(year + 1, 12, 31))
        weights = [3 if a.kind != AgencyKind.GOVERNMENT else 1 for a in tree]
        made = 0
        while made < requests:
            n = min(BATCH, requests - made)
            batch = [
                _request(rng, calendar, rng.choices(tree, weights)[0], start, end, today) for _ in range(n)
            ]
            for r, _plan in batch:
                if r.agency_id == home.pk and handler is not None:
                    r.handler_id = handler
            Request.objects.bulk_create([r for r, _ in batch], batch_size=BATCH)
            events = [e for r, plan in batch for e in _events(r, plan)]
            RequestEvent.objects.bulk_create(events, batch_size=BATCH)
            appeals = [a for r, _ in batch if (a := _appeal(rng, r, today)) is not None]
            Appeal.objects.bulk_create(appeals, batch_size=BATCH)
            made += n
            summary.events += len(events)
            summary.appeals += len(appeals)
        summary.requests = made
        oversight_samples.fill(home.parent or tree[0], year, skip=home)  # the supervisor's desk
        AuditLog.objects.create(
            action="demo.generate",
            object_type="demo",
            object_id=str(seed),
            subject_type="demo",
            subject_id=str(seed),
            after={"agencies": summary.agencies, "requests": made, "year": year, "seed": seed},
        )
    return summary


def _first_monday(year: int, month: int) -> date:
    d = date(year, month, 1)
    return d + timedelta(days=(7 - d.weekday()) % 7)


# Agencies and users -----------------------------------------------------------------------------


def _agency_specs() -> Iterator[tuple[str, str, str, int | None]]:
    """(name, level, kind, parent index) in an order where any prefix is a sensible small tree."""
    yield "示例市人民政府", Level.CITY, AgencyKind.GOVERNMENT, None
    district_index = 1
    yield f"示例市{DISTRICTS[0]}区人民政府", Level.COUNTY, AgencyKind.GOVERNMENT, None
    for name in CITY_DEPARTMENTS[:3]:
        yield f"示例市{name}", Level.DEPARTMENT, AgencyKind.DEPARTMENT, 0
    for name in DISTRICT_DEPARTMENTS[:3]:
        yield f"示例市{DISTRICTS[0]}区{name}", Level.DEPARTMENT, AgencyKind.DEPARTMENT, district_index
    for name in STREETS[:3]:
        yield f"示例市{DISTRICTS[0]}区{name}街道办事处", Level.TOWNSHIP, AgencyKind.TOWNSHIP, district_index
    for name in CITY_DEPARTMENTS[3:]:
        yield f"示例市{name}", Level.DEPARTMENT, AgencyKind.DEPARTMENT, 0
    for k in range(1, 10_000):
        prefix = (
            f"示例市{DISTRICTS[k % len(DISTRICTS)]}{'' if k < len(DISTRICTS) else k // len(DISTRICTS) + 1}区"
        )
        yield f"{prefix}人民政府", Level.COUNTY, AgencyKind.GOVERNMENT, 0
        for name in DISTRICT_DEPARTMENTS:
            yield f"{prefix}{name}", Level.DEPARTMENT, AgencyKind.DEPARTMENT, -1
        for name in STREETS[:5]:
            yield f"{prefix}{name}街道办事处", Level.TOWNSHIP, AgencyKind.TOWNSHIP, -1


def _agencies(count: int) -> list[Agency]:
    tree: list[Agency] = []
    district: Agency | None = None
    for index, (name, level, kind, parent_index) in zip(range(count), _agency_specs(), strict=False):
        if parent_index == -1:
            parent = district
        elif parent_index is None:
            parent = tree[0] if tree else None
        else:
            parent = tree[parent_index]
        agency = Agency.objects.create(
            name=name, code=f"DEMO{index + 1:05d}", level=level, kind=kind, parent=parent, path=f"new{index}"
        )
        agency.path = Agency.make_path(parent, agency.pk)
        agency.save(update_fields=("path",))
        if level == Level.COUNTY:
            district = agency
        tree.append(agency)
    return tree


def _home_index(tree: list[Agency]) -> int:
    """The first street office: where the demo's working staff sit."""
    return next((i for i, a in enumerate(tree) if a.kind == AgencyKind.TOWNSHIP), 0)


def _users(tree: list[Agency], summary: Summary) -> dict[str, int]:
    home = tree[_home_index(tree)]
    district = home.parent or tree[0]
    plan = [
        ("demo_register", Role.REGISTER, home),
        ("demo_handle", Role.HANDLE, home),
        ("demo_approve", Role.APPROVE_ANSWER, home),
        ("demo_head", Role.APPROVE_EXTENSION, home),
        ("demo_supervise", Role.SUPERVISE, district),
        ("demo_admin", Role.ADMIN, tree[0]),
    ]
    model = get_user_model()
    hashed = make_password(PASSWORD)
    ids: dict[str, int] = {}
    for username, role, agency in plan:
        user = model.objects.create(username=username, password=hashed)
        Membership.objects.create(user=user, agency=agency, role=role)
        ids[role] = user.pk
        summary.users.append(DemoUser(username, str(role.label), agency.name))
    return ids


def _proactive(rng: random.Random, tree: list[Agency], year: int) -> None:
    rows = []
    for agency in tree:
        issued = rng.randint(0, 12)
        rows.append(
            ProactiveFigures(
                agency=agency,
                year=year,
                data={
                    "rules": {"issued": 0, "repealed": 0, "in_force": 0},
                    "normative_documents": {
                        "issued": issued,
                        "repealed": rng.randint(0, 3),
                        "in_force": issued + rng.randint(5, 40),
                    },
                    "licensing": {"decisions": rng.randint(0, 900)},
                    "penalty": {"decisions": rng.randint(0, 300)},
                    "coercion": {"decisions": rng.randint(0, 20)},
                    "fees": {"amount_10k_yuan": "0"},
                },
            )
        )
    ProactiveFigures.objects.bulk_create(rows)


REGISTERS = 5  # street offices that keep a register in the demo (a year each, about 80 items)


def _registers(tree: list[Agency], year: int, calendar: WorkCalendar) -> None:
    """A year of the core's demo register for the first street offices, published as it says."""
    streets = [a for a in tree if a.kind == AgencyKind.TOWNSHIP][:REGISTERS]
    for n, agency in enumerate(streets, 1):
        RegisterSettings.objects.create(
            agency=agency,
            catalogue=DEMO_CATALOGUE.to_data(),
            index_rule=DEMO_RULE.template,
            org_code=DEMO_ORG_CODE,
            office=f"{agency.name}党政办公室",
            address=f"{agency.name}便民服务中心一楼",
            hours="工作日上午9:00-12:00，下午13:30-17:00",
            phone="0371-6000000" + str(n),
            postcode="450000",
            reading_points=f"{agency.name}便民服务中心政务公开查阅点；各社区政务公开专区",
        )
        items = []
        for it in demo_register(year, seed=n, agency=agency.name, calendar=calendar):
            state = ItemState.PUBLISHED if it.published else ItemState.IN_REVIEW
            stamp = timezone.make_aware(datetime.combine(it.published, time(9))) if it.published else None
            items.append(
                Item(
                    agency=agency,
                    title=it.title,
                    body=f"{agency.name}{it.title}。",
                    kind=it.kind,
                    area=it.area,
                    channels=list(it.channels),
                    index_number=it.index_number,
                    document_number=it.document_number,
                    publisher=it.publisher,
                    formed=it.formed,
                    issued=it.issued,
                    effective=it.effective,
                    expires=it.expires,
                    repealed=it.repealed,
                    decisions=it.decisions,
                    state=state,
                    published=it.published,
                    published_at=stamp,
                )
            )
        Item.objects.bulk_create(items, batch_size=BATCH)
        grams = [
            SearchGram(gram=g, item_id=i.pk)
            for i in items
            if i.state == ItemState.PUBLISHED
            for g in sorted(search.grams(f"{i.title}\n{i.body}"))
        ]
        SearchGram.objects.bulk_create(grams, batch_size=BATCH)
    listing.recount(a.pk for a in streets)  # loaded past the services, so counted here


# Requests ---------------------------------------------------------------------------------------

Plan = list[tuple[str, date, dict[str, Any]]]


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _workday_on_or_after(calendar: WorkCalendar, d: date) -> date:
    return calendar.add_workdays(d - timedelta(days=1), 1)


def _request(
    rng: random.Random, calendar: WorkCalendar, agency: Agency, start: date, end: date, today: date
) -> tuple[Request, Plan]:
    received = _workday_on_or_after(calendar, start + timedelta(days=rng.randrange((end - start).days + 1)))
    if received > today:
        received = today
    kind = _pick(rng, APPLICANT_WEIGHTS)
    person = kind == "natural_person"
    name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
    request = Request(
        agency_id=agency.pk,
        applicant_kind=kind,
        applicant_name=name if person else f"示例{rng.choice(GIVEN)}{rng.choice(GIVEN)}有限公司",
        id_type="resident_id" if person else "credit_code",
        id_number=f"{rng.randrange(10**17, 10**18)}" if person else f"91{rng.randrange(10**15, 10**16)}",
        phone=f"1{rng.randrange(3 * 10**9, 10**10)}",
        address=f"示例市{rng.choice(DISTRICTS)}区{rng.choice(STREETS)}路{rng.randint(1, 300)}号",
        channel=_pick(rng, CHANNEL_WEIGHTS),
        received_on=received,
        content=f"申请公开{rng.choice(TOPICS)}（{received.year}年）",
        delivery=rng.choice(("paper", "electronic", "electronic", "viewing")),
        tracking_code=codes.new_code(rng),
    )
    plan = _plan(rng, calendar, received)
    plan = [p for p in plan if p[1] <= today]
    closing = next((p for p in plan if p[0] in (EventKind.ANSWERED, EventKind.WITHDRAWN)), None)
    if closing is not None:
        request.outcome = closing[2]["outcome"]
        request.legal_basis = closing[2]["legal_basis"]
        request.closed_on = closing[1]
        request.state = State.ANSWERED if closing[0] == EventKind.ANSWERED else State.WITHDRAWN
        if request.outcome == "other_no_supplement":
            request.state = State.NO_SUPPLEMENT
        if closing[1] < today - timedelta(days=60) and rng.random() < 0.7:
            archived = closing[1] + timedelta(days=rng.randint(1, 30))
            plan.append((EventKind.ARCHIVED, archived, {}))
            request.state = State.ARCHIVED
    else:
        request.state = _state(plan)
    return request, plan


def _plan(rng: random.Random, calendar: WorkCalendar, received: date) -> Plan:
    """Events in an order the clock accepts, ending in an answer or a withdrawal."""
    add = calendar.add_workdays
    plan: Plan = [(EventKind.REGISTERED, received, {})]
    start = received
    roll = rng.random()
    if roll < 0.08:  # 补正
        asked = add(received, rng.randint(1, 7))
        due = asked + timedelta(days=15)
        plan.append(
            (
                EventKind.SUPPLEMENT_REQUESTED,
                asked,
                {"due": due.isoformat(), "items": "请明确所需信息的名称、文号"},
            )
        )
        if rng.random() < 0.3:
            return [*plan, _closing("other_no_supplement", due + timedelta(days=1))]
        start = asked + timedelta(days=rng.randint(2, 15))
        plan.append((EventKind.SUPPLEMENT_RECEIVED, start, {}))
    if rng.random() < 0.03:
        return [*plan, _closing("other_other", add(start, rng.randint(1, 10)), withdrawn=True)]
    last = start
    paused = 0
    if rng.random() < 0.04:  # consultation
        began = add(start, rng.randint(2, 8))
        ended = add(began, rng.randint(3, 15))
        party = "示例第三方企业"
        plan.append((EventKind.CONSULTATION_STARTED, began, {"party": party, "kind": "third_party"}))
        plan.append((EventKind.CONSULTATION_ENDED, ended, {"party": party}))
        paused += calendar.workdays_between(began, ended)
        last = ended
    allowance = 20
    if rng.random() < 0.06:  # extension, approved before the original deadline
        workdays = rng.choice((5, 10, 15, 20))
        plan.append(
            (
                EventKind.EXTENSION_APPROVED,
                max(last, add(start, rng.randint(10, 19))),
                {"workdays": workdays, "reason": "需要调取档案"},
            )
        )
        allowance += workdays
        last = plan[-1][1]
    if rng.random() < 0.01:  # fee
        notice = max(last, add(start, rng.randint(3, 10)))
        plan.append((EventKind.FEE_NOTICE_ISSUED, notice, {"method": "per_item", "amount": 100}))
        if rng.random() < 0.3:
            return [*plan, _closing("other_unpaid_fee", add(notice, 21))]
        paid = add(notice, rng.randint(1, 15))
        plan.append((EventKind.FEE_PAID, paid, {}))
        paused += calendar.workdays_between(notice, paid)
        last = paid
    late = rng.randint(1, 10) if rng.random() < 0.04 else 0
    answered = max(add(start, rng.randint(1, allowance) + paused + late), last + timedelta(days=1))
    return [*plan, _closing(_pick(rng, OUTCOME_WEIGHTS), answered)]


def _closing(outcome: str, on: date, withdrawn: bool = False) -> tuple[str, date, dict[str, Any]]:
    basis = BASIS.get(outcome) or BASIS[outcome.split("_")[0]]
    kind = EventKind.WITHDRAWN if withdrawn else EventKind.ANSWERED
    return kind, on, {"outcome": outcome, "legal_basis": basis}


def _state(plan: Plan) -> State:
    kinds = [k for k, _, _ in plan]
    if kinds.count(EventKind.SUPPLEMENT_REQUESTED) > kinds.count(EventKind.SUPPLEMENT_RECEIVED):
        return State.AWAITING_SUPPLEMENT
    if kinds.count(EventKind.CONSULTATION_STARTED) > kinds.count(EventKind.CONSULTATION_ENDED):
        return State.IN_CONSULTATION
    if kinds.count(EventKind.FEE_NOTICE_ISSUED) > kinds.count(EventKind.FEE_PAID):
        return State.AWAITING_FEE
    return State.EXTENDED if EventKind.EXTENSION_APPROVED in kinds else State.REGISTERED


def _events(request: Request, plan: Plan) -> list[RequestEvent]:
    return [RequestEvent(request_id=request.pk, kind=kind, date=on, data=data) for kind, on, data in plan]


def _appeal(rng: random.Random, request: Request, today: date) -> Appeal | None:
    if request.closed_on is None or request.outcome in ("disclosed", "other_other") or rng.random() > 0.04:
        return None
    filed = request.closed_on + timedelta(days=rng.randint(10, 60))
    if filed > today:
        return None
    kind = rng.choices(
        ["reconsideration", "litigation_direct", "litigation_after_reconsideration"], [70, 20, 10]
    )[0]
    decided = filed + timedelta(days=rng.randint(30, 120))
    if decided > today or rng.random() < 0.3:
        return Appeal(request_id=request.pk, kind=kind, filed_on=filed)
    result = rng.choices(["upheld", "corrected", "other"], [70, 15, 15])[0]
    return Appeal(request_id=request.pk, kind=kind, filed_on=filed, result=result, decided_on=decided)
