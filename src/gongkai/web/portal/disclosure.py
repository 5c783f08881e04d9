"""The public disclosure pages of each agency with a register: the guide (政府信息公开指南) and the
system (制度) written from its settings and the Regulation, the catalogue of 法定主动公开内容 by area,
each published item (a withdrawn one shows only its notice), search, an Atom feed and a sitemap.

Every read goes through the register's `public_*` selectors, which never return an unpublished
item; nothing here shows a requester's particulars (items made from requests were stripped of them
and passed the personal-data review before publication).
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from gongkai.proactive.catalogue import CHANNEL_BY_KEY
from gongkai.web.agencies.models import Agency
from gongkai.web.core import versions
from gongkai.web.proactive import selectors
from gongkai.web.proactive.models import Item, ItemState
from gongkai.web.reports import selectors as annual
from gongkai.web.requests import selectors as requests
from gongkai.writing import WRITERS
from gongkai.writing.html import table_html
from gongkai.writing.layout import table_layout
from gongkai.writing.narrative import parts, title

from . import cache

FEED_ITEMS = 50
OUTSIDE = "other"  # the URL slug of items outside the catalogue's areas


# Agencies that take online requests, kept per process until the directory changes.
_ACCEPTING: versions.Cache[str, frozenset[int]] = versions.Cache(versions.DIRECTORY)


def _agency(pk: int) -> Agency:
    return get_object_or_404(selectors.register_agencies().select_related("register_settings"), pk=pk)


def _accepts(agency: Agency) -> bool:
    """Whether the agency takes online requests (the section menu links to its form only then)."""
    ids = _ACCEPTING.get("all", lambda: frozenset(requests.accepting_agencies().values_list("pk", flat=True)))
    return agency.pk in ids


# The section menu of each agency, rendered once per process: the same on every page of the agency.
_NAV: versions.Cache[tuple[int, bool, str, str], SafeString] = versions.Cache(versions.DIRECTORY, 5000)


def _render(request: HttpRequest, template: str, agency: Agency, **context: object) -> HttpResponse:
    accepts = _accepts(agency)
    shown = {"agency": agency, "accepts": accepts}
    nav = _NAV.get(
        (agency.pk, accepts, get_language(), get_script_prefix()),
        lambda: mark_safe(render_to_string("portal/disclosure/_agency_nav.html", shown)),  # rendered
    )
    return render(request, template, {"agency": agency, "accepts": accepts, "agency_nav": nav, **context})


@require_GET
def home(request: HttpRequest, agency_pk: int) -> HttpResponse:
    return cache.page(request, agency_pk, ("home",), lambda: _home(request, agency_pk))


def _home(request: HttpRequest, agency_pk: int) -> HttpResponse:
    agency = _agency(agency_pk)
    return _render(request, "portal/disclosure/home.html", agency, recent=selectors.recent(10, agency))


@require_GET
def guide(request: HttpRequest, agency_pk: int) -> HttpResponse:
    return cache.page(request, agency_pk, ("guide",), lambda: _guide(request, agency_pk))


def _guide(request: HttpRequest, agency_pk: int) -> HttpResponse:
    agency = _agency(agency_pk)
    settings = selectors.settings_of(agency)
    cat = selectors.catalogue(agency)
    return _render(
        request,
        "portal/disclosure/guide.html",
        agency,
        s=settings,
        areas=[a.name for a in cat.covered_areas()] if cat else [],
        channels=[c.name for c in CHANNEL_BY_KEY.values() if c.key not in ("other", "targeted_push")],
    )


@require_GET
def system(request: HttpRequest, agency_pk: int) -> HttpResponse:
    return cache.page(request, agency_pk, ("system",), lambda: _system(request, agency_pk))


def _system(request: HttpRequest, agency_pk: int) -> HttpResponse:
    agency = _agency(agency_pk)
    settings = selectors.settings_of(agency)
    return _render(request, "portal/disclosure/system.html", agency, s=settings)


@require_GET
def catalogue(request: HttpRequest, agency_pk: int) -> HttpResponse:
    return cache.page(request, agency_pk, ("catalogue",), lambda: _catalogue(request, agency_pk))


def _catalogue(request: HttpRequest, agency_pk: int) -> HttpResponse:
    agency = _agency(agency_pk)
    areas, missing = selectors.public_catalogue(agency)
    shown = [(a.key or OUTSIDE, a.name, a.count) for a in areas]
    return _render(request, "portal/disclosure/catalogue.html", agency, areas=shown, missing=missing)


@require_GET
def area(request: HttpRequest, agency_pk: int, key: str) -> HttpResponse:
    page = _page(request)
    return cache.page(request, agency_pk, ("area", key, page), lambda: _area(request, agency_pk, key, page))


def _area(request: HttpRequest, agency_pk: int, key: str, page: int) -> HttpResponse:
    agency = _agency(agency_pk)
    stored = "" if key == OUTSIDE else key
    items = selectors.public_area(agency, stored, page * selectors.PAGE)
    name = selectors.area_name(stored, selectors.catalogue(agency))
    more = len(items) == selectors.PAGE
    return _render(
        request, "portal/disclosure/area.html", agency, name=name, key=key, items=items, page=page, more=more
    )


def _page(request: HttpRequest) -> int:
    try:
        return max(0, min(int(request.GET.get("page", 0)), 10_000))
    except ValueError:
        return 0


@require_GET
def item(request: HttpRequest, agency_pk: int, pk: int) -> HttpResponse:
    return cache.page(request, agency_pk, ("item", pk), lambda: _item(request, agency_pk, pk))


def _item(request: HttpRequest, agency_pk: int, pk: int) -> HttpResponse:
    found = selectors.public_item_of(agency_pk, pk, joined=False)
    if found is None:
        raise Http404("没有找到该信息")
    agency = found.agency = cache.agency(agency_pk)  # kept per process, with its settings
    cat = selectors.catalogue(agency)
    withdrawn = found.state == ItemState.WITHDRAWN
    return _render(
        request,
        "portal/disclosure/item.html",
        agency,
        item=found,
        withdrawn=withdrawn,
        area=selectors.area_name(found.area, cat),
        area_key=found.area or OUTSIDE,
        channels="、".join(CHANNEL_BY_KEY[c].name for c in found.channels if c in CHANNEL_BY_KEY),
        attachments=[] if withdrawn else selectors.attachment_names(found.pk),
    )


@require_GET
def attachment(request: HttpRequest, agency_pk: int, pk: int, attachment_pk: int) -> FileResponse:
    found = selectors.public_item_of(agency_pk, pk)
    if found is None or found.state != ItemState.PUBLISHED:
        raise Http404("没有找到该附件")
    stored = found.attachments.filter(pk=attachment_pk).first()
    if stored is None:
        raise Http404("没有找到该附件")
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    phrase = request.GET.get("q", "").strip()[:100]
    agency = None
    if request.GET.get("agency"):
        agency = selectors.register_agencies().filter(pk=_int(request.GET["agency"])).first()
    before = _int(request.GET.get("before", "")) or None
    result = selectors.search_public(phrase, agency, before) if phrase else None
    chosen = agency.pk if agency else 0
    options = format_html_join(  # escaped here: one call instead of a template loop per agency
        "",
        '<option value="{}"{}>{}</option>',
        (
            (pk, " selected" if pk == chosen else "", name)
            for pk, name in selectors.register_agencies().values_list("pk", "name")
        ),
    )
    return render(
        request,
        "portal/disclosure/search.html",
        {"q": phrase, "agency": agency, "result": result, "options": options},
    )


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


def public_url(item: Item) -> str:
    return reverse("portal:item", kwargs={"agency_pk": item.agency_id, "pk": item.pk})


@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """An Atom feed of the newest published items (all agencies, or one with ?agency=)."""
    agency = None
    if request.GET.get("agency"):
        agency = selectors.register_agencies().filter(pk=_int(request.GET["agency"])).first()
    title = f"{agency.name if agency else ''}主动公开政府信息"
    atom = Atom1Feed(
        title=title,
        link=request.build_absolute_uri(reverse("portal:disclosure")),
        description=title,
        language="zh-CN",
        feed_url=request.build_absolute_uri(),
    )
    for found in selectors.recent(FEED_ITEMS, agency):
        atom.add_item(
            title=found.title,
            link=request.build_absolute_uri(public_url(found)),
            description=found.body[:500],
            unique_id=request.build_absolute_uri(public_url(found)),
            pubdate=found.published_at,
            updateddate=found.published_at,
            author_name=found.publisher or found.agency.name,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    return response


DOWNLOADS = ("docx", "xlsx", "html", "text")  # PDF needs LibreOffice on the server: the desk offers it


@require_GET
def reports(request: HttpRequest, agency_pk: int) -> HttpResponse:
    agency = _agency(agency_pk)
    years = list(annual.published_reports(agency).values_list("year", flat=True))
    return _render(request, "portal/disclosure/reports.html", agency, years=years)


@require_GET
def report(request: HttpRequest, agency_pk: int, year: int) -> HttpResponse:
    """A published annual report in the official layout: parts in order, tables as the format draws them."""
    agency = _agency(agency_pk)
    found = annual.published_report(agency, year)
    if found is None:
        raise Http404("没有找到该年度报告")
    shown = []
    for part in parts(found):
        html = ""
        if part.table:
            table = found.table(part.table)
            caption = f"表{table.number}　{table.title.split('、', 1)[-1]}"
            html = mark_safe(table_html(table_layout(table), found, caption))  # escaped by the writer
        shown.append(
            {"heading": part.heading, "paragraphs": part.paragraphs, "table": html, "unit": part.unit_note}
        )
    return _render(
        request,
        "portal/disclosure/report.html",
        agency,
        title=title(found),
        year=year,
        parts=shown,
        downloads=[(WRITERS[f].name, WRITERS[f].suffix) for f in DOWNLOADS],
    )


@require_GET
def report_file(request: HttpRequest, agency_pk: int, year: int, fmt: str) -> HttpResponse:
    agency = _agency(agency_pk)
    found = annual.published_report(agency, year)
    if found is None or fmt not in DOWNLOADS:
        raise Http404("没有找到该年度报告")
    writer = WRITERS[fmt]
    response = HttpResponse(writer.write(found), content_type=writer.media_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{title(found)}{writer.suffix}")
    return response


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/disclosure/index.html", {"agencies": selectors.register_agencies()})


class ItemSitemap(Sitemap):  # type: ignore[type-arg]
    """Every published item; Django splits it into pages of 50,000 behind a sitemap index."""

    def items(self) -> QuerySet[Item]:
        return (
            selectors.public_items()
            .filter(state=ItemState.PUBLISHED)
            .order_by("pk")
            .only("pk", "agency_id", "published")
        )

    def location(self, item: Item) -> str:
        return public_url(item)

    def lastmod(self, item: Item) -> object:
        return item.published


class PageSitemap(Sitemap):  # type: ignore[type-arg]
    def items(self) -> list[str]:
        pages = ["portal:disclosure"]
        return pages + [
            f"{name}:{pk}"
            for pk in selectors.register_agencies().values_list("pk", flat=True)
            for name in ("home", "guide", "system", "catalogue", "reports")
        ]

    def location(self, name: str) -> str:
        if ":" in name and name.split(":")[1].isdigit():
            page, pk = name.split(":")
            return reverse(f"portal:{page}", kwargs={"agency_pk": int(pk)})
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "items": ItemSitemap}
