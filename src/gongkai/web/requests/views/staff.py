"""Staff pages: the home page, the request list, registration, a request's page and its actions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gongkai.clock import ClockState, Status
from gongkai.web.agencies.permissions import Action, can, can_at, visible_agencies
from gongkai.web.core.forms import one_time_token
from gongkai.web.core.models import AuditLog
from gongkai.web.core.views import staff_user

from .. import forms as f
from .. import selectors, services
from ..models import (
    ARCHIVABLE_STATES,
    OPEN_STATES,
    OUTCOME_CHOICES,
    AppealKind,
    Channel,
    EventKind,
    LetterKind,
    Request,
    RequestEvent,
    State,
)
from ..privacy import (
    applicant_fields,
    content_as_seen,
    may_download,
    name_as_seen,
    sees_personal_data,
)
from ..services import Recorded, ServiceError
from ..services.letters import issue_letter
from . import office

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

Label: TypeAlias = "str | _StrPromise"
PAGE_SIZE = 50  # bounded: one page query plus one events query, whatever the table size
MAX_PAGE = 2000
DEFAULT_DUE_WITHIN = 5

COLUMNS = (
    _("编号"),
    _("申请人"),
    _("受理机关"),
    _("申请方式"),
    _("收到日期"),
    _("办理状态"),
    _("答复期限"),
    _("期限情况"),
    _("承办人"),
)
LINK_PK = 987654321  # a stand-in id: the detail URL is reversed once per table, not once per row
# Labels looked up once: `get_FOO_display` hashes the choices on every call, which a 50-row page feels.
CHANNEL_LABELS = dict(Channel.choices)
STATE_LABELS = dict(State.choices)


def _get(request: HttpRequest, pk: int) -> Request:
    """The request if the user may see it; a forged id of another agency's request is a plain 404."""
    try:
        return selectors.get_request(request.user, pk)
    except ServiceError:
        raise Http404("没有找到该申请") from None


def _listed(request: Request) -> dict[str, Any]:
    """A request as the values of a list row (`selectors.LIST_FIELDS`)."""
    return {
        "pk": request.pk,
        "applicant_kind": request.applicant_kind,
        "applicant_name": request.applicant_name,
        "agency_id": request.agency_id,
        "agency__name": request.agency.name,
        "agency__path": request.agency.path,
        "channel": request.channel,
        "received_on": request.received_on,
        "state": request.state,
        "handler__username": request.handler.get_username() if request.handler else None,
        "events_stamp": request.events_stamp,
    }


@dataclass(frozen=True)
class _TableText:
    """What every request table of one language says, escaped: worked out once per process."""

    head: str
    link: tuple[str, str]  # the detail URL around the id
    channels: dict[str, str]
    states: dict[str, str]
    provisional: str
    pending: str
    empty: str


_TABLE_TEXT: dict[tuple[str, str], _TableText] = {}


def _table_text() -> _TableText:
    key = (get_language(), get_script_prefix())
    text = _TABLE_TEXT.get(key)
    if text is None:
        url = reverse("requests:request_detail", kwargs={"pk": LINK_PK})
        before, after = map(escape, url.split(str(LINK_PK)))
        text = _TABLE_TEXT[key] = _TableText(
            head="".join(f'<th scope="col">{escape(str(h))}</th>' for h in COLUMNS),
            link=(before, after),
            channels={k: escape(str(v)) for k, v in CHANNEL_LABELS.items()},
            states={k: escape(str(v)) for k, v in STATE_LABELS.items()},
            provisional=escape(gettext("（暂定）")),
            pending=escape(gettext("待补正")),
            empty=f'<tr><td colspan="{len(COLUMNS)}">{escape(gettext("没有符合条件的申请"))}</td></tr>',
        )
    return text


def _table(
    user: AbstractBaseUser, rows: Iterable[tuple[dict[str, Any], ClockState]], caption: Label
) -> SafeString:
    """The request table, built in Python: through the template engine, 50 rows of 9 cells were
    most of a list page's cost. Whether the user sees personal data is asked once per agency."""
    text = _table_text()
    before, after = text.link
    agencies: dict[int, tuple[bool, str]] = {}  # whether the user sees names there, its name
    body = []
    for row, state in rows:
        agency = row["agency_id"]
        if agency not in agencies:
            sees = can_at(user, "view_personal_data", agency, row["agency__path"])
            agencies[agency] = (sees, escape(row["agency__name"]))
        sees, agency_name = agencies[agency]
        name = name_as_seen(row["applicant_kind"], row["applicant_name"], sees)
        is_open = row["state"] in OPEN_STATES
        remaining = state.remaining_workdays if is_open else None
        due = state.answer_due.isoformat() if state.answer_due else text.pending
        urgency = (
            ""
            if remaining is None
            else ' class="overdue"'
            if state.overdue
            else ' class="soon"'
            if remaining <= 3
            else ""
        )
        countdown = escape(state.countdown_zh) if is_open else "—"
        pk = row["pk"]
        body.append(
            f'<tr><th scope="row"><a href="{before}{pk}{after}">#{pk}</a></th>'
            f"<td>{escape(name)}</td><td>{agency_name}</td>"
            f"<td>{text.channels[row['channel']]}</td><td>{row['received_on'].isoformat()}</td>"
            f"<td>{text.states[row['state']]}</td>"
            f"<td>{due}{text.provisional if state.provisional else ''}</td>"
            f"<td{urgency}>{countdown}</td>"
            f"<td>{escape(row['handler__username'] or '—')}</td></tr>"
        )
    return mark_safe(  # every value above is escaped
        f'<table class="list">\n  <caption class="visually-hidden">{escape(str(caption))}</caption>\n'
        f"  <thead><tr>{text.head}</tr></thead>\n  <tbody>\n{''.join(body) or text.empty}\n  </tbody>\n"
        "</table>"
    )


# Home -------------------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Counts and short lists: due soon, overdue, mine, by state; scoped to one agency if chosen."""
    user = staff_user(request)
    agencies = visible_agencies(user)
    try:
        within = min(max(int(request.GET.get("n", DEFAULT_DUE_WITHIN)), 0), 60)
    except ValueError:
        within = DEFAULT_DUE_WITHIN
    agency = (
        agencies.filter(pk=request.GET["agency"]).first() if request.GET.get("agency", "").isdigit() else None
    )
    due = selectors.due_within(user, within)
    if agency is not None:
        due = [(r, s) for r, s in due if r["agency_id"] == agency.pk]
    mine_qs = selectors.requests(user, handler=user.pk, agency=agency.pk if agency else None)
    mine = list(mine_qs.filter(state__in=OPEN_STATES)[:20])
    mine_states = selectors.clock_states(mine)
    by_state = dict(
        selectors.requests(user, agency=agency.pk if agency else None)
        .order_by()
        .values_list("state")
        .annotate(n=Count("id"))
    )
    overdue = [row for row in due if row[1].overdue]
    soon = [row for row in due if not row[1].overdue]
    return render(
        request,
        "requests/home.html",
        {
            "agencies": agencies,
            "agency": agency,
            "within": within,
            "overdue": _table(user, overdue[:20], _("已超期的申请")),
            "overdue_count": len(overdue),
            "soon": _table(user, soon[:20], _("即将到期的申请")),
            "soon_count": len(soon),
            "mine": _table(user, [(_listed(r), mine_states[r.pk]) for r in mine], _("我承办的申请")),
            "mine_count": len(mine),
            "by_state": [(value, label, by_state.get(value, 0)) for value, label in State.choices],
            "inbox": office.inbox(user),
            "timeliness": office.timeliness_of(user, agency),
        },
    )


# Request list -----------------------------------------------------------------------------------------


def _narrowed(user: AbstractBaseUser, data: dict[str, Any]) -> selectors.ListFilter:
    """The list filter from the filter form's cleaned data."""
    return selectors.ListFilter(
        state=data.get("state") or None,
        handler=user.pk if data.get("mine") else data.get("handler"),
        agency=data.get("agency"),
        search=(data.get("q") or "").strip(),
        received_from=data.get("received_from"),
        received_to=data.get("received_to"),
    )


NARROWING = ("q", "agency", "state", "handler", "mine", "received_from", "received_to")


def _clocked(user: AbstractBaseUser, data: dict[str, Any]) -> list[selectors.ListRow]:
    """The due-soon or overdue list (derived clocks), narrowed by the other filters in chunks of ids."""
    rows = selectors.overdue(user) if data.get("overdue") else selectors.due_within(user, data["due"])
    if not any(data.get(k) for k in NARROWING):
        return rows
    qs = selectors.filtered(user, _narrowed(user, data))
    allowed: set[int] = set()
    ids = [r["pk"] for r, _ in rows]
    for i in range(0, len(ids), selectors.CHUNK):
        allowed.update(qs.filter(pk__in=ids[i : i + selectors.CHUNK]).values_list("pk", flat=True))
    return [row for row in rows if row[0]["pk"] in allowed]


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The list with its total and page bounds; a refused filter (a reversed date range) shows its
    message and no rows, never the unfiltered list as if it were the answer."""
    user = staff_user(request)
    data: dict[str, Any] = {}
    refused = False
    if request.GET:
        form = f.FilterForm(request.GET, user=user)
        refused = not form.is_valid()
        data = {} if refused else form.cleaned_data
        filters = form.inline()
    else:
        filters = f.FilterForm.blank(user)
    try:
        asked = int(request.GET.get("page", 1))
    except ValueError:
        asked = 1
    rows: list[tuple[dict[str, Any], ClockState]] = []
    total = 0
    clocked = None
    if refused:
        pass
    elif data.get("overdue") or data.get("due") is not None:
        clocked = _clocked(user, data)
        total = len(clocked)
    else:
        narrow = _narrowed(user, data)
        total = selectors.list_total(user, narrow)
    pages = min(max(1, -(-total // PAGE_SIZE)), MAX_PAGE)
    page = min(max(asked, 1), pages)
    start = (page - 1) * PAGE_SIZE
    if clocked is not None:
        rows = clocked[start : start + PAGE_SIZE]
    elif total:
        found = selectors.list_page(user, narrow, start, start + PAGE_SIZE)
        states = selectors.list_clocks(found)
        rows = [(row, states[row["pk"]]) for row in found]

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    return render(
        request,
        "requests/request_list.html",
        {
            "filters": filters,
            "table": _table(user, rows, _("申请列表")),
            "page": page,
            "pages": pages,
            "total": total,
            "first_row": start + 1 if rows else 0,
            "last_row": start + len(rows),
            "previous": link(page - 1) if page > 1 else "",
            "next": link(page + 1) if page < pages else "",
        },
    )


# Registration -----------------------------------------------------------------------------------------


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    """Registration at the desk; the hidden one-time token makes a double submission register once."""
    user = staff_user(request)
    ids = [a.pk for a in visible_agencies(user) if can(user, "register", a)]
    if not ids:
        raise PermissionDenied("您没有登记申请的权限")
    agencies = visible_agencies(user).filter(pk__in=ids)
    if request.method == "POST":
        form = f.RequestForm(request.POST, agencies=agencies)
        if form.is_valid():
            data = dict(form.cleaned_data)
            agency, token = data.pop("agency"), data.pop("token")
            try:
                created = services.register_request(user, agency, idempotency_key=token, **data)
            except ServiceError as error:
                form.add_error(None, error.zh)
            else:
                messages.success(request, gettext("已登记申请 #%(pk)s") % {"pk": created.pk})
                backdated = services.backdating_warning(created.received_on)
                if backdated:
                    messages.warning(request, backdated)
                return redirect("requests:request_detail", pk=created.pk)
        return render(request, "requests/request_new.html", {"form": form}, status=400)
    initial = {"token": one_time_token(), "received_on": timezone.localdate()}
    if len(ids) == 1:
        initial["agency"] = ids[0]
    form = f.RequestForm(initial=initial, agencies=agencies)
    return render(request, "requests/request_new.html", {"form": form})


# One request ------------------------------------------------------------------------------------------

Run = Callable[[AbstractBaseUser, Request, dict[str, Any]], object]
Make = Callable[[Any, Any, Request, AbstractBaseUser], django_forms.Form]
When = Callable[[Request, ClockState], bool]


def _open(r: Request, s: ClockState) -> bool:
    return r.is_open


@dataclass(frozen=True)
class Spec:
    """One action on the request page: who may, when it applies, its form, and the service it calls."""

    label: Label
    permission: Action | tuple[Action, ...]  # any one of them
    form: Make
    run: Run
    when: When = _open
    who: Callable[[AbstractBaseUser, Request], bool] | None = None  # beyond `permission` (sign-off)


def _simple(form: type[django_forms.Form]) -> Make:
    return lambda data, files, r, u: form(data, files)


ACTIONS: dict[str, Spec] = {
    "assign": Spec(
        _("分配承办人"),
        "assign",
        lambda data, files, r, u: f.AssignForm(data, agency=r.agency),
        lambda u, r, d: services.assign_handler(u, r, d["handler"]),
    ),
    "supplement": Spec(
        _("告知补正"),
        "handle",
        _simple(f.SupplementForm),
        lambda u, r, d: services.request_supplement(u, r, d["on"], d["due"], d["items"]),
        lambda r, s: r.is_open and r.state != State.AWAITING_SUPPLEMENT,
    ),
    "receive_supplement": Spec(
        _("收到补正"),
        "handle",
        _simple(f.OnForm),
        lambda u, r, d: services.receive_supplement(u, r, d["on"]),
        lambda r, s: r.state == State.AWAITING_SUPPLEMENT,
    ),
    "consult": Spec(
        _("征求意见"),
        "handle",
        _simple(f.ConsultationStartForm),
        lambda u, r, d: services.start_consultation(u, r, d["party"], d["kind"], d["on"]),
    ),
    "consult_end": Spec(
        _("收到意见（征求意见结束）"),
        "handle",
        _simple(f.ConsultationEndForm),
        lambda u, r, d: services.end_consultation(u, r, d["party"], d["on"], d["opinion"]),
        lambda r, s: r.is_open and any(c.ended is None for c in s.consultations),
    ),
    "extend": Spec(
        _("批准延期"),
        "approve_extension",
        _simple(f.ExtensionForm),
        lambda u, r, d: services.approve_extension(u, r, d["workdays"], d["on"], d["reason"]),
    ),
    "ask_reasons": Spec(
        _("要求说明理由（第三十五条）"),
        "handle",
        _simple(f.ReasonsForm),
        lambda u, r, d: services.request_reasons(u, r, d["on"], d["reply_by"], d["grounds"]),
    ),
    "later_deadline": Spec(
        _("确定合理期限（第三十五条）"),
        "approve_extension",
        _simple(f.LaterDeadlineForm),
        lambda u, r, d: services.set_later_deadline(u, r, d["on"], d["due"], d["reason"]),
    ),
    "fee_notice": Spec(
        _("发出收费通知"),
        "handle",
        _simple(f.FeeNoticeForm),
        lambda u, r, d: services.issue_fee_notice(u, r, d["on"], d["method"], d["pages"]),
        lambda r, s: r.is_open and r.state != State.AWAITING_FEE,
    ),
    "fee_paid": Spec(
        _("登记缴费"),
        "handle",
        _simple(f.OnForm),
        lambda u, r, d: services.record_fee_payment(u, r, d["on"]),
        lambda r, s: r.state == State.AWAITING_FEE,
    ),
    "answer": Spec(
        _("答复"),
        "approve_answer",
        _simple(f.AnswerForm),
        lambda u, r, d: services.answer(u, r, d["outcome"], d["legal_basis"], d["on"]),
    ),
    "withdraw": Spec(
        _("申请人撤回申请"),
        "handle",
        _simple(f.WithdrawForm),
        lambda u, r, d: services.withdraw(u, r, d["on"], d["reason"]),
    ),
    "close_no_supplement": Spec(
        _("逾期未补正，不再处理"),
        "approve_answer",
        _simple(f.OnForm),
        lambda u, r, d: services.close_without_supplement(u, r, d["on"]),
        lambda r, s: r.is_open and s.supplement_overdue,
    ),
    "close_unpaid_fee": Spec(
        _("逾期未缴费，不再处理"),
        "approve_answer",
        _simple(f.OnForm),
        lambda u, r, d: services.close_unpaid_fee(u, r, d["on"]),
        lambda r, s: r.is_open and s.status is Status.LAPSED,
    ),
    "archive": Spec(
        _("归档"),
        "handle",
        _simple(f.OnForm),
        lambda u, r, d: services.archive(u, r, d["on"]),
        lambda r, s: r.state in ARCHIVABLE_STATES,
    ),
    **{name: Spec(**spec) for name, spec in office.ACTIONS.items()},
    "letter": Spec(
        _("出具文书（生成 DOCX）"),
        tuple(dict.fromkeys(a for actions in services.LETTER_ISSUERS.values() for a in actions)),
        lambda data, files, r, u: f.LetterForm(data, kinds=services.issuable_letters(u, r)),
        lambda u, r, d: issue_letter(u, r, d["kind"], d["on"], d["number"]),
        lambda r, s: True,
    ),
    "attachment": Spec(
        _("上传附件"),
        "handle",
        lambda data, files, r, u: f.AttachmentForm(data, files),
        lambda u, r, d: services.add_attachment(u, r, d["file"], d["description"]),
        lambda r, s: True,
    ),
    "appeal": Spec(
        _("登记行政复议、行政诉讼"),
        "handle",
        _simple(f.AppealForm),
        lambda u, r, d: services.file_appeal(u, r, d["kind"], d["filed_on"], d["note"]),
        lambda r, s: not r.is_open,
    ),
    "decide_appeal": Spec(
        _("登记复议、诉讼结果"),
        "handle",
        lambda data, files, r, u: f.AppealDecisionForm(data, pending=r.appeals.filter(result__isnull=True)),
        lambda u, r, d: services.decide_appeal(u, d["appeal"], d["result"], d["decided_on"]),
        lambda r, s: r.appeals.filter(result__isnull=True).exists(),
    ),
}

DATE_FIELDS = ("on", "filed_on", "decided_on")


def _permitted(user: AbstractBaseUser, spec: Spec, r: Request) -> bool:
    """The user holds one of the action's permissions, and its own test (`who`) if it has one."""
    wanted = spec.permission if isinstance(spec.permission, tuple) else (spec.permission,)
    return any(can(user, action, r) for action in wanted) and (spec.who is None or spec.who(user, r))


def _action_forms(
    user: AbstractBaseUser, r: Request, state: ClockState, bound: tuple[str, django_forms.Form] | None
) -> list[tuple[str, Spec, django_forms.Form]]:
    today = timezone.localdate()
    found = []
    for name, spec in ACTIONS.items():
        if not (_permitted(user, spec, r) and spec.when(r, state)):
            continue
        if bound is not None and bound[0] == name:
            form = bound[1]
        else:
            form = spec.form(None, None, r, user)
            form.initial = {k: today for k in DATE_FIELDS if k in form.fields}
        form.prefix = name
        found.append((name, spec, form))
    return found


OUTCOME_LABELS = dict(OUTCOME_CHOICES)
DATA_LABELS: dict[str, Label] = {
    "channel": _("申请方式"),
    "receipt_rule": _("收到之日"),
    "due": _("期限"),
    "items": _("补正事项"),
    "party": _("征求意见对象"),
    "opinion": _("意见"),
    "workdays": _("延长工作日"),
    "reason": _("理由"),
    "reply_by": _("说明理由的期限"),
    "grounds": _("原因"),
    "amount": _("金额（元）"),
    "lines": _("计算"),
    "outcome": _("办理结果"),
    "legal_basis": _("法律依据"),
    "letter": _("文书"),
    "number": _("文号"),
    "note": _("意见"),
    "comment": _("意见"),
    "step": _("签批步骤"),
    "from_name": _("转出机关"),
    "to_name": _("转入机关"),
}
HIDDEN_DATA = ("kind", "method", "ordinal", "pages", "channel", "attachment", "from", "to")
VALUE_LABELS: dict[str, dict[str, str]] = {
    "outcome": {k: str(v) for k, v in OUTCOME_LABELS.items()},
    "letter": {k: str(v) for k, v in LetterKind.choices},
}


def describe(event: RequestEvent) -> list[str]:
    """An event's details as Chinese lines for the timeline."""
    lines = []
    for key, value in event.data.items():
        if key in HIDDEN_DATA:
            continue
        shown = "；".join(map(str, value)) if isinstance(value, list) else str(value)
        shown = VALUE_LABELS.get(key, {}).get(shown, shown)
        lines.append(f"{DATA_LABELS.get(key, key)}：{shown}")
    return lines


AUDIT_LABELS: dict[str, Label] = {
    "request.register": _("登记申请"),
    "request.submit_online": _("网上提交申请"),
    "request.assign_handler": _("分配承办人"),
    "request.archive": _("归档"),
    "request.import": _("导入台账"),
    "attachment.add": _("上传附件"),
    "appeal.file": _("登记行政复议、行政诉讼"),
    "appeal.decide": _("登记复议、诉讼结果"),
    **{f"request.{k}": v for k, v in EventKind.choices},
}
# Only workflow fields are shown from the audit snapshots: never the applicant's personal data.
AUDIT_FIELDS: dict[str, Label] = {
    "state": _("办理状态"),
    "outcome": _("办理结果"),
    "closed_on": _("办结日期"),
    "handler_id": _("承办人编号"),
}


def audit_lines(entry: AuditLog) -> list[str]:
    before, after = entry.before or {}, entry.after or {}
    lines = []
    for key, label in AUDIT_FIELDS.items():
        if key in after and before.get(key) != after.get(key):
            old, new = before.get(key), after.get(key)
            if key == "state":
                old, new = STATE_LABELS.get(str(old), old), STATE_LABELS.get(str(new), new)
            if key == "outcome":
                new = OUTCOME_LABELS.get(str(new), new)
            lines.append(f"{label}：{old if old not in (None, '') else '—'} → {new}")
    event = after.get("event")
    if isinstance(event, dict):
        lines.append(gettext("事项日期：%(day)s") % {"day": event.get("date")})
    return lines


def _detail(
    request: HttpRequest,
    r: Request,
    bound: tuple[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = staff_user(request)
    state = selectors.clock_state(r)
    if request.method == "GET" and sees_personal_data(user, r):
        services.note_personal_data_seen(user, r, "request.view_personal_data")
    return render(
        request,
        "requests/request_detail.html",
        {
            "r": r,
            "applicant": applicant_fields(user, r),
            "content": content_as_seen(user, r),
            # An organisation's 法定代表人 and contact person are people: shown only to those who
            # see personal data (masked roles see neither).
            "contacts": (r.legal_representative, r.contact_person)
            if r.legal_representative and can(user, "view_personal_data", r)
            else None,
            "clock": state,
            "lines": state.lines(),
            "events": [(e, describe(e)) for e in r.events.select_related("actor")],
            "attachments": list(r.attachments.all()),
            "may_download": may_download(user, r),
            "appeals": list(r.appeals.all()),
            "appeal_kinds": dict(AppealKind.choices),
            "audit": [
                (e, AUDIT_LABELS.get(e.action, e.action), audit_lines(e))
                for e in selectors.audit_log(user, r)
            ],
            "actions": _action_forms(user, r, state, bound),
            "draft": office.draft_of(r),
        },
        status=status,
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request, pk))


@login_required
@require_POST
def request_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Every action is a POST through its service; a refusal re-shows the page with the Chinese reason."""
    user = staff_user(request)
    r = _get(request, pk)
    spec = ACTIONS.get(name)
    if spec is None:
        raise Http404("没有这项操作")
    if not _permitted(user, spec, r):
        raise PermissionDenied("您没有这项操作的权限")
    if not spec.when(r, selectors.clock_state(r)):  # offered only in some states, refused in the others
        refused = gettext("该申请当前的办理状态不能进行这项操作：%(action)s")
        messages.error(request, refused % {"action": spec.label})
        return _detail(request, r, status=409)
    form = spec.form(request.POST, request.FILES, r, user)
    form.prefix = name  # read lazily by Django, so setting it before validation is enough
    if form.is_valid():
        try:
            done = spec.run(user, r, form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.zh)
        else:
            messages.success(request, gettext("已完成：%(action)s") % {"action": spec.label})
            if isinstance(done, Recorded):
                for warning in done.warnings:
                    messages.warning(request, warning)
            if not selectors.requests_for(user).filter(pk=r.pk).exists():
                return redirect("requests:request_list")  # transferred out of the user's scope
            return redirect(reverse("requests:request_detail", kwargs={"pk": r.pk}) + "#timeline")
    return _detail(request, r, (name, form), status=400)


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Files are served only through the request they belong to, so the same scope applies."""
    user = staff_user(request)
    r = _get(request, pk)
    if not may_download(user, r):
        raise PermissionDenied("附件和文书含有申请人的个人信息，您的角色不能下载")
    found = r.attachments.filter(pk=attachment_pk).first()
    if found is None or not found.file:
        raise Http404("没有找到该附件")
    services.note_personal_data_seen(user, r, "attachment.download", found)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=Path(str(found.file.name)).name)
