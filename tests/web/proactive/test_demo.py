"""With the demo data: every public page, feed, sitemap and search result is enumerated and none
reveals a requester's particulars or an unpublished item; the desk's report built from the demo
register exports and reads back unchanged."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from gongkai.extraction import extract
from gongkai.proactive.register import proactive_paragraph, table_two
from gongkai.reading import load_bytes
from gongkai.report import Report
from gongkai.web.agencies.models import Agency
from gongkai.web.demo import generate
from gongkai.web.proactive import selectors, services
from gongkai.web.proactive.models import PUBLIC_STATES, Item, ItemState, RegisterSettings
from gongkai.web.reports.models import AnnualReport, ReportStatus
from gongkai.web.reports.services import build_annual_report
from gongkai.web.requests.models import Request

YEAR = 2024
LINK = re.compile(r'href="(/public/[^"#?]*)')
MARK = "未公开标记"


@pytest.fixture
def demo(db: None) -> User:
    generate(agencies=12, requests=300, year=YEAR, seed=5, today=date(2025, 3, 1))
    return User.objects.create_superuser("root", password="x")


def _publish_requests(admin: User, n: int) -> list[Item]:
    """Some answered requests turned into items and published; some left as drafts."""
    made = []
    released = Request.objects.filter(
        outcome__in=services.RELEASED_OUTCOMES, agency__register_settings__isnull=False
    )
    for k, request in enumerate(released.order_by("pk")[:n]):
        item = services.from_request(admin, request)
        if k % 2 == 0:
            services.submit(admin, item)
            for _ in range(3):
                item = services.approve(admin, item)
        made.append(item)
    return made


def test_no_public_page_reveals_a_requester_or_an_unpublished_item(demo: User) -> None:
    made = _publish_requests(demo, 6)
    assert any(i.state == ItemState.PUBLISHED for i in made) and any(i.state == ItemState.DRAFT for i in made)
    hidden = Item.objects.exclude(state__in=PUBLIC_STATES)
    assert hidden.exists()
    for item in hidden:
        Item.objects.filter(pk=item.pk).update(title=f"{MARK}{item.pk}", body=f"{MARK}{item.pk}")
    withdrawn = Item.objects.filter(state=ItemState.PUBLISHED).first()
    assert withdrawn is not None
    services.withdraw(demo, withdrawn, "演示撤回")
    Item.objects.filter(pk=withdrawn.pk).update(body=f"{MARK}撤回正文")

    _publish_report(RegisterSettings.objects.order_by("agency__path").first().agency)  # type: ignore[union-attr]
    client = Client()
    seen: dict[str, str] = {}
    todo = ["/public/", "/public/disclosure/", "/public/feed.atom", "/public/sitemap.xml"]
    todo += [f"/public/feed.atom?agency={a.pk}" for a in selectors.register_agencies()]
    todo += [f"/public/search/?q={q}" for q in ("公示", "社区", "申请公开", "安全生产", "最低生活保障", MARK)]
    todo.append(f"/public/{withdrawn.agency_id}/items/{withdrawn.pk}/")  # linked from nowhere any more
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        streamed = response.streaming_content if response.streaming else ()  # type: ignore[attr-defined]
        body = b"".join(streamed) if response.streaming else response.content
        text = body.decode(errors="replace")  # the report's DOCX and XLSX downloads are binary
        seen[url] = text
        todo += [
            u
            for u in LINK.findall(text) + re.findall(r"<loc>https?://[^/]+(/public/[^<]*)</loc>", text)
            if u not in seen
        ]
    public_ids = set(Item.objects.filter(state__in=PUBLIC_STATES).values_list("pk", flat=True))
    visited_items = {int(m.group(1)) for u in seen for m in [re.search(r"/items/(\d+)/$", u)] if m}
    assert visited_items == public_ids  # every public item is reachable, and nothing else
    assert len(seen) > len(public_ids) + 20

    secrets = set()
    for r in Request.objects.all():
        secrets |= {v for v in (r.applicant_name, r.id_number, r.phone, r.email, r.address) if len(v) >= 2}
    everything = "\n".join(seen.values())
    assert re.search(MARK + r"(\d|撤回正文)", everything) is None  # the search box echoes the phrase only
    assert "没有找到相关信息" in seen[f"/public/search/?q={MARK}"]
    leaked = sorted(s for s in secrets if s in everything)
    assert leaked == []
    for item in hidden:
        assert client.get(f"/public/{item.agency_id}/items/{item.pk}/").status_code == 404


def _publish_report(agency: Agency) -> AnnualReport:
    """The report as built from the records, frozen (as `publish_annual_report` leaves it)."""
    built = build_annual_report(agency, YEAR)
    return AnnualReport.objects.create(
        agency=agency, year=YEAR, data=built.to_json(), status=ReportStatus.PUBLISHED
    )


def test_the_desks_report_from_the_demo_register_exports_and_reads_back(demo: User) -> None:
    settings = RegisterSettings.objects.select_related("agency").order_by("agency__path").first()
    assert settings is not None
    agency = settings.agency
    built = build_annual_report(agency, YEAR)
    register = selectors.register_items([agency.pk])
    assert built.proactive == table_two(register, YEAR)
    assert built.proactive["normative_documents"]["issued"] == 1  # the demo issues one a year
    paragraph = proactive_paragraph(register, YEAR, agency.name, selectors.catalogue(agency))
    assert paragraph in built.sections["一"] and "条" in paragraph

    client = Client()
    client.force_login(demo)
    page = client.get(f"/reports/{agency.pk}/{YEAR}/").content.decode()
    assert "表二由本机关的主动公开登记簿统计" in page and "保存表二数据" not in page
    for fmt in ("docx", "text"):
        response = client.get(f"/reports/{agency.pk}/{YEAR}/export/{fmt}/")
        assert response.status_code == 200
        read = extract(load_bytes(response.content, f"r.{'txt' if fmt == 'text' else fmt}"))
        assert read.canonical() == built.canonical(), fmt
        assert paragraph in read.sections["一"], fmt


def test_a_published_report_is_public_in_the_official_layout_with_downloads(demo: User) -> None:
    settings = RegisterSettings.objects.select_related("agency").order_by("agency__path").first()
    assert settings is not None
    agency = settings.agency
    client = Client()
    assert client.get(f"/public/{agency.pk}/reports/{YEAR}/").status_code == 404  # not yet published
    saved = _publish_report(agency)
    listing = client.get(f"/public/{agency.pk}/reports/").content.decode()
    assert f"/public/{agency.pk}/reports/{YEAR}/" in listing
    page = client.get(f"/public/{agency.pk}/reports/{YEAR}/").content.decode()
    assert 'id="table-proactive"' in page and 'id="table-requests"' in page
    assert "二、主动公开政府信息情况" in page
    response = client.get(f"/public/{agency.pk}/reports/{YEAR}/docx/")
    read = extract(load_bytes(response.content, "r.docx"))
    assert read.canonical() == Report.from_json(saved.data).canonical()
    assert client.get(f"/public/{agency.pk}/reports/{YEAR}/pdf/").status_code == 404
