"""Item 3 (and issue 11): the masked role (督查) reaches every URL and export it can, searches with
the demo applicants' names, ID numbers and phones, and finds no unmasked datum and no match."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gongkai.web.agencies.models import Agency
from gongkai.web.core.models import AuditLog
from gongkai.web.demo import generate
from gongkai.web.oversight.models import Submission
from gongkai.web.proactive.models import Item
from gongkai.web.requests import selectors, services
from gongkai.web.requests.models import ApplicantKind, Request
from gongkai.web.requests.services.letters import issue_letter
from gongkai.writing import WRITERS

pytestmark = pytest.mark.django_db

SLOW = {"pdf"}  # through LibreOffice: the same report as the DOCX, seconds per call


def _routes(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern):
            yield f"{namespace}:{p.name}"


def _texts(response: HttpResponse) -> str:
    """What a response says: its text, or for a zipped office file every part's text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as package:
            return "".join(package.read(n).decode("utf-8", "replace") for n in package.namelist())
    return body.decode("utf-8", "replace")


@pytest.fixture
def demo() -> list[Request]:
    generate(agencies=10, requests=40, seed=3, today=date(2026, 3, 2))  # a street office keeps a register
    people = list(
        Request.objects.filter(applicant_kind=ApplicantKind.NATURAL_PERSON).select_related("agency")
    )
    handler = User.objects.get(username="demo_handle")
    mine = set(selectors.requests_for(handler).values_list("pk", flat=True))
    worked = next(r for r in people if r.pk in mine)
    issue_letter(handler, worked, "receipt", worked.received_on)
    services.add_attachment(handler, worked, ContentFile(b"%PDF-1.4 ID copy", name="id.pdf"), "身份证复印件")
    return people


def test_the_masked_role_finds_and_downloads_no_personal_data(client: Client, demo: list[Request]) -> None:
    supervisor = User.objects.get(username="demo_supervise")
    client.force_login(supervisor)
    seen = list(selectors.requests_for(supervisor))
    assert seen, "the 督查 of the demo reviews a district"
    secrets = {
        value
        for r in demo
        if r in seen
        for value in (r.applicant_name, r.id_number, r.phone, r.email, r.address, r.tracking_code)
        if value and len(value) >= 2
    }
    mine = {r.pk for r in seen}
    r = next(r for r in demo if r.pk in mine and r.attachments.exists())
    agency = Agency.objects.get(pk=r.agency_id)
    year = r.received_on.year
    items = list(Item.objects.order_by("pk")[:3])
    assert items, "the demo keeps a register"
    urls = {
        "core:health": ["/health/"],
        "core:static": ["/static/core/desk.css"],
        "core:login": ["/login/"],
        "requests:home": ["/"],
        "requests:request_list": ["/requests/", "/requests/?overdue=1"],
        "requests:request_new": ["/requests/new/"],
        "requests:request_detail": [f"/requests/{x.pk}/" for x in seen],
        "requests:request_action": [f"/requests/{r.pk}/do/appeal/"],
        "requests:attachment": [f"/requests/{r.pk}/attachments/{a.pk}/" for a in r.attachments.all()],
        "requests:letter_templates": ["/letters/templates/"],
        "requests:letter_template_docx": ["/letters/templates/docx/"],
        "calendar:index": ["/calendar/"],
        "calendar:delete": ["/calendar/2026-06-01/delete/"],
        "reports:index": ["/reports/"],
        "reports:report": [f"/reports/{agency.pk}/{year}/", f"/reports/{agency.pk}/{year}/?rollup=1"],
        "reports:export": [f"/reports/{agency.pk}/{year}/export/{f}/" for f in WRITERS if f not in SLOW],
        "reports:publish": [f"/reports/{agency.pk}/{year}/publish/"],
        "requests:letter_settings": ["/letters/settings/"],
        "requests:ledger_export": ["/requests/ledger.csv", "/requests/ledger.xlsx"],
        "requests:ledger_import": ["/requests/import/"],
        "requests:ledger_confirm": ["/requests/import/confirm/"],
        "requests:bulk": ["/requests/bulk/"],
        "requests:notifications_read": ["/notifications/read/"],
        "requests:signoff_chain": ["/signoff/"],
        "portal:index": ["/public/"],
        "portal:apply": [f"/public/apply/{agency.pk}/"],
        "portal:track_form": ["/public/track/"],
        # The tracking pages need the code, which is what this role must not have.
        "portal:submitted": ["/public/submitted/unknown-code/"],
        "portal:track": ["/public/track/unknown-code/"],
        "portal:letter": ["/public/track/unknown-code/letters/1/"],
        # The proactive register and the public disclosure pages hold no applicant's data of their
        # own; the walk makes sure none leaks through them either.
        "proactive:index": ["/register/"],
        "proactive:new": ["/register/new/"],
        "proactive:from_request": [f"/register/from-request/?request={r.pk}"],
        "proactive:settings": [f"/register/settings/{agency.pk}/"],
        "proactive:item": [f"/register/{i.pk}/" for i in items],
        "proactive:edit": [f"/register/{i.pk}/edit/" for i in items],
        "proactive:act": [f"/register/{i.pk}/approve/" for i in items],
        "portal:disclosure": ["/public/disclosure/"],
        "portal:search": ["/public/search/?q=申请"],
        "portal:feed": ["/public/feed.atom"],
        "portal:sitemap": ["/public/sitemap.xml"],
        "portal:sitemap_section": ["/public/sitemap-items.xml"],
        "portal:home": [f"/public/{agency.pk}/"],
        "portal:guide": [f"/public/{agency.pk}/guide/"],
        "portal:system": [f"/public/{agency.pk}/system/"],
        "portal:catalogue": [f"/public/{agency.pk}/catalogue/"],
        "portal:area": [f"/public/{agency.pk}/catalogue/x/"],
        "portal:reports": [f"/public/{agency.pk}/reports/"],
        "portal:report": [f"/public/{agency.pk}/reports/{year}/"],
        "portal:report_file": [f"/public/{agency.pk}/reports/{year}/docx/"],
        "portal:item": [f"/public/{i.agency_id}/items/{i.pk}/" for i in items],
        "portal:attachment": [f"/public/{agency.pk}/items/1/attachments/1/"],
        **_oversight_urls(supervisor),
    }
    routes = set(_routes(get_resolver().url_patterns)) - {"core:logout"}
    assert routes <= set(urls), f"a URL the test does not visit: {sorted(routes - set(urls))}"
    searches = {f"/requests/?q={value}": value for value in sorted(secrets)}
    visited = 0
    for url in [*(u for found in urls.values() for u in found), *searches]:
        response = client.get(url)
        assert response.status_code < 500, url
        text = _texts(response)
        if url in searches:  # the search box echoes what was typed
            text = text.replace(searches[url], "")
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{url} shows {leaked[:3]}"
        if url in searches:
            assert "没有符合条件的申请" in text, f"{url} matched"
        visited += 1
    assert client.get(urls["requests:attachment"][0]).status_code == 403
    assert visited > len(seen) + len(secrets)


def _oversight_urls(supervisor: User) -> dict[str, list[str]]:
    """The supervisor's desk as the demo's 督查 sees it: reports carry counts, never a person."""
    sub = Submission.objects.order_by("pk").first()
    assert sub is not None, "the demo files reports for the supervisor"
    region = Agency.objects.get(memberships__user=supervisor)
    base, report = f"/oversight/region/{region.pk}/{sub.year}/", f"/oversight/report/{sub.pk}/"
    cell = f"{report}cell/requests.received.total/"
    return {
        "oversight:index": ["/oversight/"],
        "oversight:overview": [base],
        "oversight:collect": [f"{base}collect/"],
        "oversight:rollup": [f"{base}rollup/"],
        "oversight:export": [f"{base}export/{f}/" for f in ("csv", "xlsx", "parquet", "findings", "tables")],
        "oversight:submission": [report],
        "oversight:cell": [cell],
        "oversight:cell_image": [f"{cell}image.png"],
        "oversight:compare": [f"{report}compare/"],
        "oversight:compare_export": [f"{report}compare/docx/"],
        "oversight:report_export": [f"{report}export/{f}/" for f in WRITERS if f not in SLOW],
        "oversight:source": [f"/oversight/version/{sub.current_id}/source/"],
        "oversight:file": [f"/oversight/file/{sub.agency_id}/{sub.year}/"],
        "oversight:form": [f"/oversight/file/{sub.agency_id}/{sub.year}/form/"],
    }


def test_the_same_searches_find_the_request_for_those_who_work_it(
    client: Client, demo: list[Request]
) -> None:
    handler = User.objects.get(username="demo_handle")
    r = next(x for x in selectors.requests_for(handler) if x.applicant_kind == ApplicantKind.NATURAL_PERSON)
    client.force_login(handler)
    for value in (r.applicant_name, r.tracking_code):
        assert f'href="/requests/{r.pk}/"' in client.get("/requests/", {"q": value}).content.decode()
    page = client.get(f"/requests/{r.pk}/").content.decode()
    assert r.id_number in page and r.tracking_code_grouped in page
    assert AuditLog.objects.filter(action="request.view_personal_data", subject_id=str(r.pk)).exists()


def test_personal_data_typed_into_the_request_text_is_masked_and_not_searchable(
    client: Client, demo: list[Request]
) -> None:
    supervisor = User.objects.get(username="demo_supervise")
    handler = User.objects.get(username="demo_handle")
    seen = {x.pk for x in selectors.requests_for(supervisor)}
    r = next(x for x in selectors.requests_for(handler) if x.pk in seen and x in demo)
    phone, id_number = "13812345678", "11010519491231002X"
    r.content = f"本人{r.applicant_name}（身份证号{id_number}，电话{phone}）申请公开本村2024年低保名单。"
    r.save(update_fields=["content"])
    client.force_login(supervisor)
    page = client.get(f"/requests/{r.pk}/").content.decode()
    assert "低保名单" in page  # what was asked stays readable
    assert not [s for s in (phone, id_number, r.applicant_name) if s in page]
    for query in (phone, phone[:7], id_number[:10], r.applicant_name):
        assert "没有符合条件的申请" in client.get("/requests/", {"q": query}).content.decode(), query
    assert f'href="/requests/{r.pk}/"' in client.get("/requests/", {"q": "低保名单"}).content.decode()
    client.force_login(handler)
    assert phone in client.get(f"/requests/{r.pk}/").content.decode()
    assert f'href="/requests/{r.pk}/"' in client.get("/requests/", {"q": phone}).content.decode()
