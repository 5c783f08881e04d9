"""The register's readers. Staff reads are scoped by the permission functions; public reads
(`public_*`) see published and withdrawn items only, and of a withdrawn item only its notice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone

from gongkai.proactive.catalogue import AREA_BY_KEY, AgencyCatalogue, CatalogueError, Matter
from gongkai.proactive.register import PublicationDue, RegisterItem, Standing, attention, publication_due
from gongkai.web.agencies.models import Agency
from gongkai.web.agencies.permissions import AnyUser, visible_agency_ids
from gongkai.web.calendar.selectors import work_calendar
from gongkai.web.core.errors import NotFound

from . import search
from .models import (
    PUBLIC_STATES,
    Item,
    ItemAttachment,
    ItemState,
    PublicListing,
    RegisterSettings,
    SearchGram,
)

PAGE = 50
RARE = 5000  # pieces are counted up to here to choose the rarest (beyond it, all are common alike)
WALK = 5000  # index entries of the driving piece one window walks
MAX_WALK = 50_000  # ... and one page at most; a page cut short offers the cursor to go on
WINDOW = 60  # candidates read at a time until a page is full (most hold the phrase itself)
SHOWN = ("pk", "agency_id", "title", "body", "published", "published_at")


def items_for(user: AnyUser) -> QuerySet[Item]:
    """Every item of the agencies `user` sees."""
    return Item.objects.filter(agency_id__in=visible_agency_ids(user))


def get_item(user: AnyUser, pk: int | str) -> Item:
    try:
        return items_for(user).select_related("agency", "source_request").get(pk=int(pk))
    except (Item.DoesNotExist, ValueError, TypeError):
        raise NotFound("没有找到该主动公开事项", f"no visible item {pk!r}") from None


def core_item(item: Item) -> RegisterItem:
    """The stored item as the core's `RegisterItem` (for table 二, the clock and part 一)."""
    return RegisterItem(
        title=item.title,
        kind=item.kind,
        area=item.area,
        formed=item.formed,
        channels=tuple(item.channels) or ("website",),
        index_number=item.index_number,
        document_number=item.document_number,
        publisher=item.publisher,
        matter=Matter(item.matter1, item.matter2) if item.matter1 else None,
        published=item.published,
        issued=item.issued,
        effective=item.effective,
        expires=item.expires,
        repealed=item.repealed,
        withdrawn=item.withdrawn,
        decisions=item.decisions,
        fee_yuan=item.fee_yuan,
    )


def due(item: Item) -> PublicationDue:
    """The Art. 26 due date with its derivation, on the desk's calendar."""
    return publication_due(item.formed, work_calendar())


def needing_attention(user: AnyUser, as_of: date | None = None) -> list[tuple[Item, Standing]]:
    """Items late or about to be (overdue, due soon, published late in the last 60 days)."""
    as_of = as_of or timezone.localdate()
    qs = items_for(user).exclude(state=ItemState.WITHDRAWN).filter(formed__gte=as_of - timedelta(days=366))
    rows = list(qs.select_related("agency")[:5000])
    cores = [core_item(row) for row in rows]
    row_of = {id(core): row for core, row in zip(cores, rows, strict=True)}
    standings = attention(cores, as_of, work_calendar())
    return [(row_of[id(s.item)], s) for s in standings][:200]


def register_items(agency_ids: Sequence[int]) -> list[RegisterItem]:
    """Every item of the agencies as the core sees them (withdrawn ones carry their date)."""
    qs = Item.objects.filter(agency_id__in=agency_ids)
    return [core_item(i) for i in qs.iterator(chunk_size=2000)]


def register_agency_ids(ids: Sequence[int]) -> list[int]:
    """Those of the agencies whose table 二 is counted from their register."""
    return list(
        RegisterSettings.objects.filter(agency_id__in=ids, table_two=True).values_list("agency_id", flat=True)
    )


def settings_of(agency: Agency) -> RegisterSettings | None:
    return RegisterSettings.objects.filter(agency=agency).first()


def catalogue(agency: Agency) -> AgencyCatalogue | None:
    """The agency's catalogue selection (from its settings, when already loaded with it)."""
    try:
        found = agency.register_settings
    except RegisterSettings.DoesNotExist:
        return None
    try:
        return AgencyCatalogue.from_data(found.catalogue)
    except CatalogueError:
        return None


def area_name(key: str, cat: AgencyCatalogue | None) -> str:
    if not key:
        return "其他"
    try:
        return cat.area(key).name if cat else AREA_BY_KEY[key].name
    except (CatalogueError, KeyError):
        return key


# Public --------------------------------------------------------------------------------------------


def register_agencies() -> QuerySet[Agency]:
    """Agencies with a register: the portal lists them."""
    return Agency.objects.filter(register_settings__isnull=False).order_by("path")


def public_items(agency: Agency | None = None) -> QuerySet[Item]:
    qs = Item.objects.filter(state__in=PUBLIC_STATES)
    return qs.filter(agency=agency) if agency is not None else qs


def public_item(agency: Agency, pk: int) -> Item | None:
    return public_item_of(agency.pk, pk)


def public_item_of(agency_id: int, pk: int, joined: bool = True) -> Item | None:
    """A published or withdrawn item of the agency, with the agency and its settings in the same
    query unless the caller keeps them (`joined=False`)."""
    qs = Item.objects.filter(pk=pk, agency_id=agency_id, state__in=PUBLIC_STATES)
    return (qs.select_related("agency", "agency__register_settings") if joined else qs).first()


def listing_version(agency_id: int) -> int:
    """The agency's current version (0 before anything was published); one indexed read in plain
    SQL, since every cached page asks."""
    table = connection.ops.quote_name(PublicListing._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE agency_id = %s", [agency_id])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def listing_counts(agency_id: int) -> dict[str, int]:
    found = PublicListing.objects.filter(agency_id=agency_id).values_list("counts", flat=True).first()
    return {str(k): int(v) for k, v in (found or {}).items()}


def attachment_names(item_id: int) -> list[tuple[int, str]]:
    """(pk, name) of an item's attachments in order; plain SQL, since every item page asks."""
    table = connection.ops.quote_name(ItemAttachment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, name FROM {table} WHERE item_id = %s ORDER BY id", [item_id])
        return [(int(pk), str(name)) for pk, name in cursor.fetchall()]


@dataclass(frozen=True)
class AreaCount:
    key: str
    name: str
    count: int


def public_catalogue(agency: Agency) -> tuple[list[AreaCount], list[tuple[str, str]]]:
    """The covered areas with their published counts, and the areas declared not applicable."""
    cat = catalogue(agency)
    counts = listing_counts(agency.pk)  # kept by the services: no count over the agency's items
    keys = list(cat.covered) if cat else []
    keys += sorted(k for k in counts if k not in keys)
    areas = [AreaCount(k, area_name(k, cat), counts.get(k, 0)) for k in keys]
    missing = [(area_name(k, cat), note) for k, note in (cat.not_applicable.items() if cat else ())]
    return areas, missing


def public_area(agency: Agency, area: str, start: int = 0) -> list[Item]:
    qs = public_items(agency).filter(state=ItemState.PUBLISHED, area=area).order_by("-published", "-pk")
    return list(qs.only("pk", "title", "published", "index_number", "agency_id")[start : start + PAGE])


def recent(limit: int = 50, agency: Agency | None = None) -> list[Item]:
    qs = public_items(agency).filter(state=ItemState.PUBLISHED).order_by("-published_at", "pk")
    return list(qs.select_related("agency")[:limit])


@dataclass(frozen=True)
class SearchResult:
    items: list[Item]
    too_short: bool
    more: int | None = None  # the cursor of the next page (search on below this item id), if any


def search_public(phrase: str, agency: Agency | None = None, before: int | None = None) -> SearchResult:
    """Published items whose title, text or attachments hold every word of `phrase`, newest
    registered first (by id, descending), one page at a time from the cursor `before`.

    The database intersects the phrase's pieces (`SearchGram`, published items only), driven by
    the rarest piece's index entries walked backwards in ranges of WALK entries, each candidate
    probed for the other pieces through the (gram, item) index; the page then keeps the items that
    hold the phrase itself. A page walks at most MAX_WALK entries; the cursor says where to go on,
    so a common phrase costs the same per page as a rare one, and the same on SQLite and PostgreSQL
    (the same plain SQL, the same order).
    """
    pieces = search.query_grams(phrase[: search.MAX_QUERY])
    if not pieces:
        return SearchResult([], too_short=bool(phrase.strip()))
    words = search.terms(phrase)
    sizes = _postings(pieces)
    # The rarest piece drives the walk; the others are probed rarest first.
    ordered = sorted(pieces, key=lambda g: (sizes[g], g))
    cursor = before if before is not None and before > 0 else None
    found: list[Item] = []
    walked = 0
    while walked < MAX_WALK:
        window, cursor = _window(ordered, agency, cursor)
        walked += WALK
        found += _holding(window, words)
        if len(found) >= PAGE or cursor is None:
            break
    if len(found) > PAGE:
        found, cursor = found[:PAGE], found[PAGE - 1].pk
    return SearchResult(found, too_short=False, more=cursor)


def _postings(pieces: list[str]) -> dict[str, int]:
    """How many items hold each piece, counted up to RARE + 1 only, in one statement."""
    table = connection.ops.quote_name(SearchGram._meta.db_table)
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE gram = %s LIMIT {RARE + 1}) AS p{n})"
        for n in range(len(pieces))
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}", pieces)
        row = cursor.fetchone()
    return dict(zip(pieces, (int(v) for v in row), strict=True))


def _window(pieces: list[str], agency: Agency | None, before: int | None) -> tuple[list[int], int | None]:
    """Up to WINDOW items below `before` holding every piece, and the cursor to go on from (None:
    nothing older is left). At most WALK index entries of the driving piece are walked."""
    table = connection.ops.quote_name(SearchGram._meta.db_table)
    items = connection.ops.quote_name(Item._meta.db_table)
    below = "AND g0.item_id < %s" if before is not None else ""
    start: list[int] = [before] if before is not None else []
    with connection.cursor() as cursor:
        cursor.execute(  # the lower end of this walk: WALK entries of the driving piece down
            f"SELECT g0.item_id FROM {table} g0 WHERE g0.gram = %s {below} "
            f"ORDER BY g0.item_id DESC LIMIT 1 OFFSET {WALK - 1}",
            [pieces[0], *start],
        )
        row = cursor.fetchone()
        floor = int(row[0]) if row else None
        probes = "".join(
            f" AND EXISTS (SELECT 1 FROM {table} g{n} WHERE g{n}.gram = %s AND g{n}.item_id = g0.item_id)"
            for n in range(1, len(pieces))
        )
        scoped = f" AND EXISTS (SELECT 1 FROM {items} i WHERE i.id = g0.item_id AND i.agency_id = %s)"
        sql = (
            f"SELECT g0.item_id FROM {table} g0 WHERE g0.gram = %s {below}"
            f"{' AND g0.item_id >= %s' if floor is not None else ''}{probes}{scoped if agency else ''} "
            f"ORDER BY g0.item_id DESC LIMIT {WINDOW}"
        )
        params: list[str | int] = [pieces[0], *start, *([floor] if floor is not None else []), *pieces[1:]]
        cursor.execute(sql, [*params, *([agency.pk] if agency else [])])
        ids = [int(i) for (i,) in cursor.fetchall()]
    if len(ids) == WINDOW:
        return ids, ids[-1]
    return ids, floor


def _holding(ids: list[int], words: list[str]) -> list[Item]:
    """The items of `ids` (in that order) whose title and text, or else attachments, hold every word."""
    if not ids:
        return []
    rows = (
        Item.objects.filter(pk__in=ids, state=ItemState.PUBLISHED)
        .annotate(agency_name=F("agency__name"))
        .only(*SHOWN)
    )
    by_pk = {i.pk: i for i in rows}
    shown = [by_pk[i] for i in ids if i in by_pk]
    misses = [i.pk for i in shown if not search.matches(f"{i.title}\n{i.body}", words)]
    attached: dict[int, list[str]] = {}
    if misses:
        texts = (
            ItemAttachment.objects.filter(item_id__in=misses).order_by("pk").values_list("item_id", "text")
        )
        for item_id, text in texts:
            attached.setdefault(item_id, []).append(text)
    return [
        i
        for i in shown
        if i.pk not in misses or search.matches("\n".join((i.title, i.body, *attached.get(i.pk, ()))), words)
    ]
