"""The register's readers. Staff reads are scoped by the permission functions; public reads
(`public_*`) see published and withdrawn items only, and of a withdrawn item only its notice."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from gongkai.proactive.catalogue import AREA_BY_KEY, AgencyCatalogue, CatalogueError, Matter
from gongkai.proactive.register import PublicationDue, RegisterItem, Standing, attention, publication_due
from gongkai.web.agencies.models import Agency
from gongkai.web.agencies.permissions import AnyUser, visible_agency_ids
from gongkai.web.calendar.selectors import work_calendar
from gongkai.web.core.errors import NotFound

from . import listing, search
from .models import PUBLIC_STATES, Item, ItemState, RegisterSettings, SearchGram

PAGE = 50
MAX_CANDIDATES = 1000  # items a search checks for the phrase itself; more asks for a longer phrase
RARE = 5000  # a piece held by at most this many items drives the search from its own items
SCAN = 50_000  # otherwise the newest this many published items are searched
WINDOW = 100  # candidates read at a time until a page is full
SHOWN = ("pk", "agency_id", "agency__name", "title", "body", "published", "published_at")


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


def public_item_of(agency_id: int, pk: int) -> Item | None:
    """A published or withdrawn item of the agency, with the agency, in one query."""
    return (
        Item.objects.filter(pk=pk, agency_id=agency_id, state__in=PUBLIC_STATES)
        .select_related("agency", "agency__register_settings")
        .first()
    )


@dataclass(frozen=True)
class AreaCount:
    key: str
    name: str
    count: int


def public_catalogue(agency: Agency) -> tuple[list[AreaCount], list[tuple[str, str]]]:
    """The covered areas with their published counts, and the areas declared not applicable."""
    cat = catalogue(agency)
    counts = listing.counts_of(agency.pk)  # kept by the services: no count over the agency's items
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
    too_many: bool


def search_public(phrase: str, agency: Agency | None = None) -> SearchResult:
    """Published items whose title or text holds every word of `phrase`, newest first.

    The database finds items holding every piece of the phrase. When one piece is rare (at most
    RARE items), its items are the candidates; when every piece is common, the newest published
    items (the newest SCAN at most) are walked and each checked for the pieces through the
    (gram, item) index, stopping at MAX_CANDIDATES. Either way a search reads a bounded number of
    index entries; a search cut short says so (`too_many`).
    """
    pieces = search.query_grams(phrase[: search.MAX_QUERY])
    words = search.terms(phrase)
    if not pieces:
        return SearchResult([], too_short=bool(phrase.strip()), too_many=False)
    qs = public_items(agency).filter(state=ItemState.PUBLISHED)
    sizes = {g: _postings(g) for g in pieces}
    rarest = min(pieces, key=lambda g: sizes[g])
    if sizes[rarest] <= RARE:
        qs = qs.filter(pk__in=SearchGram.objects.filter(gram=rarest).values("item_id"))
    walked = sizes[rarest] > RARE
    cut = False
    if walked:
        cutoff = qs.order_by("-published_at", "pk").values_list("published_at", flat=True)[SCAN : SCAN + 1]
        oldest = next(iter(cutoff), None)
        if oldest is not None:
            qs, cut = qs.filter(published_at__gte=oldest), True
    for gram in pieces:
        if gram != rarest or walked:
            qs = qs.filter(Exists(SearchGram.objects.filter(gram=gram, item_id=OuterRef("pk"))))
    ordered = qs.order_by("-published_at", "pk").select_related("agency").only(*SHOWN)
    found: list[Item] = []
    for start in range(0, MAX_CANDIDATES, WINDOW):
        window = list(ordered[start : start + WINDOW])
        found += [i for i in window if _holds(i, words)]
        if len(found) > PAGE or len(window) < WINDOW:
            break
    return SearchResult(found[:PAGE], too_short=False, too_many=cut or len(found) > PAGE)


def _postings(gram: str) -> int:
    """How many items hold `gram`, counted up to RARE + 1 only."""
    return SearchGram.objects.filter(gram=gram)[: RARE + 1].count()


def _holds(item: Item, words: list[str]) -> bool:
    if search.matches(f"{item.title}\n{item.body}", words):
        return True
    texts: Iterable[str] = (item.title, item.body, *item.attachments.values_list("text", flat=True))
    return search.matches("\n".join(texts), words)
