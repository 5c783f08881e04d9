"""Read-only queries of requests for views, exports and other apps, all scoped by `requests_for`.

Due dates are derived, not stored, so the "due soon" and "overdue" lists first narrow the open
requests with a bound the clock guarantees (a request cannot be due before the 20th working day
after its receipt) and then derive each candidate's clock from its events.

The staff list's page is read by one of three plans, by the scope's width: one agency walks its
(agency, received_on, id) index; a few agencies (a district's) merge each agency's newest rows;
a wide scope (a 督查 or admin over many agencies) walks the (received_on, id, agency) index in list
order and checks the agency from the index, instead of collecting every request of hundreds of
agencies and sorting them: on 1,000,000 requests the admin's first page went from seconds to
milliseconds (docs/benchmarks.md, "bench:desk").
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from gongkai.clock import ClockState, WorkCalendar
from gongkai.clock import derive as derive_clock
from gongkai.clock.deadline import ANSWER_WORKDAYS
from gongkai.personal_data import could_be_personal
from gongkai.tally import Counts
from gongkai.web.agencies import selectors as agencies
from gongkai.web.agencies.models import Agency, Role
from gongkai.web.agencies.permissions import (
    AnyUser,
    ScopeKey,
    all_agency_ids,
    can,
    is_superuser,
    scope_key,
    visible_agency_ids,
)
from gongkai.web.calendar.selectors import work_calendar
from gongkai.web.core import versions
from gongkai.web.core.audit import history
from gongkai.web.core.errors import NotFound
from gongkai.web.core.models import AuditLog

from . import clock, codes, privacy
from .letters import TITLES, TO_APPLICANT
from .models import (
    OPEN_STATES,
    Appeal,
    ApplicantKind,
    Attachment,
    EventKind,
    LetterKind,
    Request,
    RequestEvent,
)
from .timeliness import Timeliness, timeliness

__all__ = ["Timeliness", "timeliness"]  # for the reports app: selectors are its way in

User = AbstractBaseUser | AnonymousUser
ListRow = tuple[dict[str, Any], ClockState]  # `LIST_FIELDS` values and the clock
CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit
# From this many agencies on, a scope is filtered in a way no agency index can serve (see `scoped`):
# walking the list index costs about a page divided by the scope's share of all requests (worst
# case, a scope with no requests at all, one pass over the index: ~130 ms per million requests on
# SQLite), while the agency indexes cost every request of the scope (7 agencies, 13,000 requests:
# 40 ms; 100 agencies: 500 ms).
WIDE_SCOPE = 2
UNINDEXED_SCOPE = "scope_agency"  # the alias that marks such a query
# The events the clock replays; letters, notes, asking for reasons and archiving never move a date.
CLOCK_KINDS = frozenset(EventKind) - {
    EventKind.LETTER_ISSUED,
    EventKind.NOTE,
    EventKind.REASONS_REQUESTED,
    EventKind.ARCHIVED,
}


def requests_for(user: AnyUser) -> QuerySet[Request]:
    """Every request `user` may see; all request lists, searches and exports start here."""
    if is_superuser(user):
        return Request.objects.all()
    return Request.objects.filter(agency_id__in=visible_agency_ids(user))


def scoped(user: User, *, selective: bool = False) -> QuerySet[Request]:
    """`requests_for(user)`, the same rows, written for the plan that suits the scope's width.

    For one agency or a few, the agency indexes find the rows. For a wide scope, `agency_id IN
    (hundreds of ids)` makes both SQLite (without statistics) and PostgreSQL read every request of
    the scope and sort them for one page; comparing `agency_id + 0` instead lets the database walk
    the (received_on, id, agency) index newest first and stop after a page. `selective` says the
    caller adds a filter with an index of its own (an open state, a handler), which then should win.
    """
    if is_superuser(user):
        return requests_for(user)
    ids = visible_agency_ids(user)
    if selective or len(ids) < WIDE_SCOPE:
        return Request.objects.filter(agency_id__in=ids)
    if len(ids) == len(all_agency_ids()):
        return Request.objects.all()  # the whole tree: no filter at all
    unindexed = ExpressionWrapper(F("agency_id") + 0, output_field=BigIntegerField())
    return Request.objects.alias(**{UNINDEXED_SCOPE: unindexed}).filter(**{f"{UNINDEXED_SCOPE}__in": ids})


def requests(
    user: User,
    *,
    state: str | None = None,
    handler: int | None = None,
    agency: int | None = None,
    search: str = "",
) -> QuerySet[Request]:
    """The staff request list: newest first, filtered by state, handler, agency or text."""
    return filtered(user, ListFilter(state=state, handler=handler, agency=agency, search=search))


# What a list row shows, read as plain values: 50 rows cost no model instances.
LIST_FIELDS = (
    "pk",
    "applicant_kind",
    "applicant_name",
    "agency_id",
    "agency__name",
    "agency__path",
    "channel",
    "received_on",
    "state",
    "handler__username",
    "events_stamp",
)
LIST_ORDER = ("-received_on", "-id")


@dataclass(frozen=True)
class ListFilter:
    """What the staff list is narrowed to; hashable, so each filter's compiled query can be kept."""

    state: str | None = None
    handler: int | None = None
    agency: int | None = None
    search: str = ""
    received_from: date | None = None
    received_to: date | None = None
    # Where the search may match personal data (`privacy.searchable_agencies`); None: everywhere.
    searchable: frozenset[int] | None = None

    def for_user(self, user: User) -> ListFilter:
        """This filter with the user's privacy rule applied to its search."""
        return replace(self, searchable=privacy.searchable_agencies(user)) if self.search.strip() else self

    @property
    def selective(self) -> bool:
        """Whether an index of the filter's own (an open state, a handler, an agency) should win."""
        return self.state in OPEN_STATES or self.handler is not None or self.agency is not None

    def apply(self, qs: QuerySet[Request]) -> QuerySet[Request]:
        if self.state:
            qs = qs.filter(state=self.state)
        if self.handler is not None:
            qs = qs.filter(handler_id=self.handler)
        if self.agency is not None:
            qs = qs.filter(agency_id=self.agency)
        text = self.search.strip()
        if text:
            personal = Q(tracking_code=codes.normalise(text) or text) | Q(applicant_name__icontains=text)
            if self.searchable is not None:  # a masked viewer's search must not find by personal data
                organisation = Q(applicant_name__icontains=text) & ~Q(
                    applicant_kind=ApplicantKind.NATURAL_PERSON
                )
                personal = (personal & Q(agency_id__in=sorted(self.searchable))) | organisation
            content = Q(content__icontains=text)
            if self.searchable is not None:  # nor through the request text: no numbers, not its own name
                hidden = Q(applicant_kind=ApplicantKind.NATURAL_PERSON) & Q(applicant_name__icontains=text)
                guarded = Q() if could_be_personal(text) else content & ~hidden
                content = (content & Q(agency_id__in=sorted(self.searchable))) | guarded
            qs = qs.filter(personal | content)
        if self.received_from:
            qs = qs.filter(received_on__gte=self.received_from)
        if self.received_to:
            qs = qs.filter(received_on__lte=self.received_to)
        return qs


def filtered(user: User, narrow: ListFilter) -> QuerySet[Request]:
    """The staff list narrowed by everything in `narrow`, newest first."""
    qs = scoped(user, selective=narrow.selective).select_related("agency", "handler").order_by(*LIST_ORDER)
    return narrow.for_user(user).apply(qs)


# Compiled list queries by (scope, filter, slice). The query depends on nothing else, and compiling
# it through the ORM cost more than the database takes to run it.
_LIST_SQL: versions.Cache[tuple[ScopeKey, ListFilter, int, int], tuple[str, tuple[Any, ...]]] = (
    versions.Cache(versions.DIRECTORY)
)


def list_page(user: User, narrow: ListFilter, start: int, stop: int) -> list[dict[str, Any]]:
    """Rows `start` to `stop` of the staff list, as `LIST_FIELDS` values."""
    narrow = narrow.for_user(user)
    sql, params = _LIST_SQL.get(
        (scope_key(user), narrow, start, stop), lambda: _page_sql(user, narrow, start, stop)
    )
    return _values(sql, params)


def list_total(user: User, narrow: ListFilter) -> int:
    """How many requests the staff list has under `narrow` (one COUNT over the same scope)."""
    return narrow.apply(scoped(user, selective=narrow.selective)).order_by().count()


def list_rows(qs: QuerySet[Request], start: int, stop: int | None) -> list[dict[str, Any]]:
    """Rows `start` to `stop` of a `requests(...)` queryset, as `LIST_FIELDS` values."""
    return _values(*_compiled(qs, start, stop))


def _page_sql(user: User, narrow: ListFilter, start: int, stop: int) -> tuple[str, tuple[Any, ...]]:
    """The plan for one page: a few agencies' pages are merged, any other scope is `filtered`."""
    if narrow.agency is None and not is_superuser(user):
        ids = visible_agency_ids(user)
        # Merging reads about `stop` index entries per agency; walking the list index reads about
        # `stop` divided by the scope's share of the requests, roughly len(ids) / all agencies.
        if len(ids) > 1 and len(ids) ** 2 <= len(all_agency_ids()):
            return _merged(ids, narrow, start, stop)
    return _compiled(filtered(user, narrow), start, stop)


def _merged(
    agency_ids: Sequence[int], narrow: ListFilter, start: int, stop: int
) -> tuple[str, tuple[Any, ...]]:
    """A page of a few agencies' requests, from each agency's newest `stop` in list order.

    Each agency's part walks its own (agency, received_on, id) index and stops after `stop` rows, so
    a district of 7 agencies reads some 350 index entries for its first page, where walking the
    list index past every other agency's requests read 4,000 (PostgreSQL: 2.4 ms, this way 0.5).
    The ORM cannot slice the parts of a UNION on SQLite, so the parts are joined here.
    """
    parts: list[str] = []
    params: list[Any] = []
    for i, agency in enumerate(agency_ids):
        part = narrow.apply(Request.objects.filter(agency_id=agency)).order_by(*LIST_ORDER)
        sql, part_params = part.values("id", "received_on")[:stop].query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part{i}")
        params.extend(part_params)
    newest = (
        f"SELECT id FROM ({' UNION ALL '.join(parts)}) AS merged"
        f" ORDER BY received_on DESC, id DESC LIMIT {stop - start} OFFSET {start}"
    )
    page = Request.objects.filter(pk__in=RawSQL(newest, params)).order_by(*LIST_ORDER)
    sql, page_params = page.values(*LIST_FIELDS).query.sql_with_params()
    return sql, tuple(page_params)


def _compiled(qs: QuerySet[Request], start: int, stop: int | None) -> tuple[str, tuple[Any, ...]]:
    page = qs[start:stop]
    if stop is not None and (start > 0 or UNINDEXED_SCOPE in qs.query.annotations):
        # The page's ids first, from an index alone, then those rows. Past the first page, the
        # database otherwise reads and joins every skipped row (SQLite, page 21: 3.8 ms, this way
        # 0.5). A wide scope's walk otherwise reads the table row of every request it passes to
        # check the agency (PostgreSQL, a district of 7 agencies: 5.4 ms, this way 1.6).
        page = Request.objects.filter(pk__in=page.values("pk")).order_by(*qs.query.order_by)
    sql, params = page.values(*LIST_FIELDS).query.sql_with_params()
    return sql, tuple(params)


def _values(sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    """The rows of a compiled `LIST_FIELDS` query, with dates as dates (SQLite hands back text)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    rows = []
    for values in found:
        row = dict(zip(LIST_FIELDS, values, strict=True))
        row["received_on"] = _day(row["received_on"])
        rows.append(row)
    return rows


def get_request(user: User, pk: int | str) -> Request:
    """One request by id, or NotFound; another agency's id is simply not found (no existence leak)."""
    try:
        return requests_for(user).select_related("agency", "handler").get(pk=int(pk))
    except (Request.DoesNotExist, ValueError, TypeError):
        raise NotFound("没有找到该申请", f"no visible request {pk!r}") from None


def tracking_code_as_printed(text: str) -> str | None:
    """A typed code in its printed form (five groups of four), or None if it is not one."""
    code = codes.normalise(text)
    return codes.grouped(code) if code is not None else None


def request_by_tracking_code(code: str) -> Request | None:
    """For applicants without an account; show only what `privacy` allows the anonymous user.

    A code is looked up as typed from paper (`codes.normalise`: any case, spaces and dashes);
    a code of the older, case-sensitive format only exactly as issued.
    """
    code = code.strip()
    if not code or len(code) > 40:
        return None
    stored = codes.normalise(code) or code
    return Request.objects.select_related("agency").filter(tracking_code=stored).first()


def clock_state(request: Request, as_of: date | None = None) -> ClockState:
    """The request's clock with its derivation lines (`.lines()`), as of today by default."""
    return clock.derive(request, request.events.all(), as_of)


def clock_states(requests: Sequence[Request], as_of: date | None = None) -> dict[int, ClockState]:
    """Clocks of many requests, with their derivation lines, by request id (see `_clocks`)."""
    return _clocks({r.pk: r.channel for r in requests}, as_of, explain=True)


# List clocks by (as of, request, channel, events stamp), until the calendar changes.
_LISTED: versions.Cache[tuple[date, int, str, int], ClockState] = versions.Cache(
    versions.CALENDAR, limit=50_000
)


def list_clocks(rows: Sequence[dict[str, Any]], as_of: date | None = None) -> dict[int, ClockState]:
    """Clocks of list rows (`LIST_FIELDS` values), without derivation lines: a list shows dates.

    Each request's clock is kept in this server process under its `events_stamp`, which the
    database changes on any write to the request's events, so a page reads the events only of
    requests not listed since (its events are read after its stamp: a kept clock may be newer
    than its stamp, never older).
    """
    today = as_of or timezone.localdate()
    kept = _LISTED.entries()
    states: dict[int, ClockState] = {}
    keys: dict[int, tuple[date, int, str, int]] = {}
    for row in rows:
        key = (today, row["pk"], row["channel"], row["events_stamp"])
        if (state := kept.get(key)) is None:
            keys[row["pk"]] = key
        else:
            states[row["pk"]] = state
    if keys:
        for pk, state in _clocks({pk: key[2] for pk, key in keys.items()}, today, explain=False).items():
            kept[keys[pk]] = states[pk] = state
    return states


def clocks(channels: dict[int, str], as_of: date | None = None) -> dict[int, ClockState]:
    """Clocks of many requests by id (their channels given), without derivation lines, uncached by
    request: for exports that walk every request once."""
    return _clocks(channels, as_of, explain=False)


# Derived clocks by (as of, with derivation lines, the clock events): a clock is a pure function of these.
_DERIVED: versions.Cache[tuple[date, bool, tuple[object, ...]], ClockState] = versions.Cache(
    versions.CALENDAR, limit=20_000
)


def _clocks(channels: dict[int, str], as_of: date | None, *, explain: bool) -> dict[int, ClockState]:
    """Clocks of many requests with one events query per 500 requests.

    Only the events the clock replays are loaded, as plain rows (no model instances), and requests
    with the same clock events (most open requests: just their registration on a given day) share
    one derivation, in this server process until the calendar changes.
    """
    calendar = work_calendar()
    today = as_of or timezone.localdate()
    events = _clock_events(list(channels))
    derived = _DERIVED.entries()
    states = {}
    for pk, channel in channels.items():
        replayed = clock.replayed(channel, events[pk])
        key = (today, explain, tuple(replayed))
        state = derived.get(key)
        if state is None:
            state = derived[key] = derive_clock(replayed, calendar, today, explain=explain)
        states[pk] = state
    return states


def _clock_events(ids: list[int]) -> dict[int, list[clock.EventRow]]:
    """The events the clock replays, oldest first, by request id; one query per 500 requests.

    Plain SQL: through the ORM, compiling the query and converting each row cost twice what the
    database does, on the desk's busiest page. SQLite hands back text, PostgreSQL typed values.
    """
    events: dict[int, list[clock.EventRow]] = defaultdict(list)
    kinds = sorted(CLOCK_KINDS)
    table = connection.ops.quote_name(RequestEvent._meta.db_table)
    with connection.cursor() as cursor:
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            params: list[Any]
            if connection.vendor == "postgresql":
                # Two array parameters: one prepared statement for any page, where 60 separate
                # parameters were parsed afresh on every page (psycopg caches up to 50).
                where, params = "request_id = ANY(%s) AND kind = ANY(%s)", [chunk, kinds]
            else:
                where, params = (
                    f"request_id IN ({_marks(chunk)}) AND kind IN ({_marks(kinds)})",
                    [*chunk, *kinds],
                )
            cursor.execute(
                f"SELECT request_id, kind, date, data FROM {table} WHERE {where} ORDER BY date, id", params
            )
            for request_id, kind, day, data in cursor.fetchall():
                details = json.loads(data) if isinstance(data, str) else data
                events[request_id].append((kind, _day(day), details))
    return events


def _day(value: date | str) -> date:
    """A date column in plain SQL: SQLite hands back text, PostgreSQL a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _marks(values: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(values))


def due_within(user: User, workdays: int, as_of: date | None = None) -> list[ListRow]:
    """Open requests whose answer is due within `workdays` working days (overdue ones included)."""
    today = as_of or timezone.localdate()
    calendar = work_calendar()
    limit = calendar.add_workdays(today, workdays)
    rows = _open_with_clock(user, latest_receipt(calendar, limit), today)
    return [(r, s) for r, s in rows if s.answer_due is not None and s.answer_due <= limit]


def overdue(user: User, as_of: date | None = None) -> list[ListRow]:
    today = as_of or timezone.localdate()
    rows = _open_with_clock(user, latest_receipt(work_calendar(), today - timedelta(days=1)), today)
    return [(r, s) for r, s in rows if s.overdue]


def latest_receipt(calendar: WorkCalendar, limit: date) -> date:
    """The latest receipt date whose plain 20-working-day deadline is not after `limit`."""
    received = limit
    while calendar.add_workdays(received, ANSWER_WORKDAYS) > limit:
        received -= timedelta(days=1)
    return received


def _open_with_clock(user: User, received_by: date, as_of: date) -> list[ListRow]:
    """Open requests received by `received_by`, as list rows with their clocks, soonest due first.

    The (state, received_on, agency) index finds them; over 500 agencies they are thousands, so
    they are read as values and their clocks without derivation lines, like the plain list's.
    """
    candidates = scoped(user).filter(state__in=OPEN_STATES, received_on__lte=received_by)
    rows = list_rows(candidates.order_by("received_on", "id"), 0, None)
    states = list_clocks(rows, as_of)
    return sorted(
        ((row, states[row["pk"]]) for row in rows),
        key=lambda pair: (pair[1].answer_due or date.max, pair[0]["pk"]),
    )


# Reads of personal data are logged too, but the request's page shows what was done, not who looked.
READ_ACTIONS = ("request.view_personal_data", "attachment.download")


def audit_log(user: User, request: Request) -> QuerySet[AuditLog]:
    """The request's audit entries of changes, oldest first; empty for anyone who may not see it."""
    if not can(user, "view", request):
        return AuditLog.objects.none()
    return history(request).exclude(action__in=READ_ACTIONS).select_related("actor")


def accepting_agencies() -> QuerySet[Agency]:
    """Agencies with someone to register what arrives: the portal lists these and only these."""
    return agencies.with_role(Role.REGISTER)


@dataclass(frozen=True)
class SentLetter:
    """A letter issued to the applicant: its date, its title, and its kept DOCX if the desk made it."""

    date: date
    title: str
    attachment_id: int | None


def letters_to_applicant(request: Request) -> list[SentLetter]:
    """The letters issued to the applicant (not the consultation letters to third parties)."""
    return [
        SentLetter(e.date, TITLES[LetterKind(e.data["letter"])], e.data.get("attachment"))
        for e in request.events.filter(kind=EventKind.LETTER_ISSUED)
        if e.data.get("letter") in TO_APPLICANT
    ]


def public_derivation(request: Request, state: ClockState) -> list[str]:
    """The clock's derivation lines for the public tracking page, with every consulted party's
    name (as stored with its consultation) blanked, wherever and however a line quotes it."""
    parties = {
        str(e.data.get("party", "")).strip()
        for e in request.events.filter(
            kind__in=(EventKind.CONSULTATION_STARTED, EventKind.CONSULTATION_ENDED)
        )
    }
    names = sorted((p for p in parties if p), key=len, reverse=True)  # "甲公司分公司" before "甲公司"
    lines = []
    for line in state.lines():
        for name in names:
            line = line.replace(name, "（略）")
        lines.append(line)
    return lines


def applicant_letter(request: Request, attachment_id: int) -> Attachment | None:
    """A letter's DOCX the applicant may download: only one issued to them for this request."""
    sent = {letter.attachment_id for letter in letters_to_applicant(request)}
    if attachment_id not in sent:
        return None
    return request.attachments.filter(pk=attachment_id).first()


def counts(ids: list[int], year: int) -> Counts:
    """What tables 三 and 四 of the annual report need for these agencies: one pass over the requests,
    one over the appeals.

    The requests that matter are those received by the year's end and not closed before it began;
    one GROUP BY (applicant kind, outcome if closed in the year) with conditional sums gives 一, 二,
    (一)…(六) and 四 at once, which the covering index on (agency, received_on, id, closed_on,
    applicant_kind, outcome) serves without touching the table.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    one = Value(1)
    closed_in_year = Q(closed_on__gte=start, closed_on__lte=end)
    rows = (
        Request.objects.filter(agency_id__in=ids, received_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .annotate(
            closed_as=Case(
                When(closed_in_year, then=F("outcome")), default=Value(""), output_field=CharField()
            )
        )
        .values("applicant_kind", "closed_as")
        .annotate(
            received=Sum(Case(When(received_on__gte=start, then=one), default=Value(0))),
            carried_over=Sum(Case(When(received_on__lt=start, then=one), default=Value(0))),
            carried_forward=Sum(
                Case(When(Q(closed_on__isnull=True) | Q(closed_on__gt=end), then=one), default=Value(0))
            ),
            n=Count("id"),
        )
        .order_by()
    )
    counts = Counts()
    for r in rows:
        kind = r["applicant_kind"]
        counts.received[kind] += r["received"]
        counts.carried_over[kind] += r["carried_over"]
        counts.carried_forward[kind] += r["carried_forward"]
        if r["closed_as"]:
            counts.closed[str(r["closed_as"]), kind] += r["n"]
    appeals = (
        Appeal.objects.filter(request__agency_id__in=ids, filed_on__gte=start, filed_on__lte=end)
        .annotate(
            column=Case(
                When(result__isnull=False, decided_on__lte=end, then=F("result")),
                default=Value("pending"),
                output_field=CharField(),
            )
        )
        .values("kind", "column")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts.appeals = Counter({(r["kind"], r["column"]): r["n"] for r in appeals})
    return counts
