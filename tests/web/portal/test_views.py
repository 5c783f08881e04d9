"""The applicant portal: submit without an account, track by code, see no personal data anywhere."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from django.test import Client
from django.utils import timezone

from gongkai.web.core.audit import history
from gongkai.web.core.models import AuditLog
from gongkai.web.requests import services
from gongkai.web.requests.models import Attachment, Channel, Request
from gongkai.web.requests.services.letters import issue_letter

from ..conftest import FORM, Tree

APPLICANT = {
    "applicant_kind": "natural_person",
    "applicant_name": "李四光",
    "id_type": "resident_id",
    "id_number": "320102198805054321",
    "phone": "13900001111",
    "address": "示例市西湖路8号",
    "email": "lisi@example.com",
    "content": "申请公开2025年老旧小区改造计划",
    "delivery": "electronic",
    "token": "portal-token-1",
}
PERSONAL = ("李四光", "320102198805054321", "13900001111", "示例市西湖路8号", "lisi@example.com")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Issued letters are files: keep them out of the working tree."""
    settings.MEDIA_ROOT = tmp_path


def submit(client: Client, tree: Tree, **changes: Any) -> Any:
    return client.post(f"/public/apply/{tree.street.pk}/", {**APPLICANT, **changes})


def test_portal_lists_agencies_that_take_online_requests(client: Client, tree: Tree) -> None:
    html = client.get("/public/").content.decode()
    assert tree.street.name in html and tree.other.name in html
    assert tree.department.name not in html  # nobody registers there
    assert client.get(f"/public/apply/{tree.department.pk}/").status_code == 404
    form = client.get(f"/public/apply/{tree.street.pk}/").content.decode()
    assert "以双方确认之日为收到之日" in form and 'name="token"' in form and 'for="id_applicant_name"' in form


def test_submit_track_and_no_personal_data(client: Client, tree: Tree) -> None:
    response = submit(client, tree)
    assert response.status_code == 302
    request = Request.objects.get()
    assert request.channel == Channel.ONLINE and request.received_on == timezone.localdate()
    code = request.tracking_code_grouped
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{4}", code)
    assert history(request).get().action == "request.submit_online"
    confirmation = client.get(response["Location"]).content.decode()
    assert code in confirmation and f"/public/track/{code}/" in confirmation
    page = client.get(f"/public/track/{request.tracking_code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "已登记，办理中" in html and "答复期限" in html and "自次日起算 20 个工作日" in html
    for value in PERSONAL:
        assert value not in html
    assert "老旧小区" in html  # the code holder is the applicant: they see what they asked
    # Typed from paper: any case, spaces instead of dashes, I/L/O for 1/1/0 — the same request.
    typed = code.lower().replace("-", " ").replace("1", "l").replace("0", "o")
    assert client.get(f"/public/track/?code={typed}")["Location"].endswith(f"/public/track/{code}/")
    assert client.get(f"/public/track/{typed.replace(' ', '')}/").status_code == 200


def test_tracking_shows_letters_and_outcome_but_not_third_parties(client: Client, tree: Tree) -> None:
    request = services.register_request(tree.register, tree.street, **FORM)
    services.start_consultation(tree.handle, request, "某建设有限公司", "third_party", date(2025, 3, 5))
    issue_letter(tree.handle, request, "consultation", date(2025, 3, 5))
    services.end_consultation(tree.handle, request, "某建设有限公司", date(2025, 3, 10))
    services.answer(tree.approve, request, "disclosed", "条例第三十六条", date(2025, 3, 20))
    issue_letter(tree.handle, request, "answer", date(2025, 3, 20))
    html = client.get(f"/public/track/{request.tracking_code}/").content.decode()
    assert "政府信息公开申请答复书" in html and "（一）予以公开" in html and "已答复" in html
    # The letters sent to the applicant download by the code; the 征询函 to the third party does not.
    answer = Attachment.objects.get(description__startswith="政府信息公开申请答复书")
    consultation = Attachment.objects.get(description__startswith="政府信息公开第三方意见征询函")
    code = request.tracking_code_grouped
    assert f"/public/track/{code}/letters/{answer.pk}/" in html
    download = client.get(f"/public/track/{code}/letters/{answer.pk}/")
    assert download.status_code == 200 and "filename*=utf-8''" in download["Content-Disposition"]
    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    assert any("答复书" in p.text for p in document.paragraphs)
    assert client.get(f"/public/track/{code}/letters/{consultation.pk}/").status_code == 404
    other = services.register_request(tree.register, tree.street, **{**FORM, "idempotency_key": "x2"})
    assert client.get(f"/public/track/{other.tracking_code}/letters/{answer.pk}/").status_code == 404
    assert "征询函" not in html  # that letter went to the third party
    assert "某建设有限公司" not in html and "暂停计时" in html
    for value in ("张三丰", "110101199001011237", "13812345678", "zhang@example.com"):
        assert value not in html


def test_unknown_codes_give_one_generic_page(client: Client, tree: Tree) -> None:
    request = services.register_request(tree.register, tree.street, **FORM)
    pages = [
        client.get("/public/track/AAAAAAAAAAAAAAAAAAAAAA/"),
        client.get(f"/public/track/{request.tracking_code[:-1]}/"),
        client.get("/public/track/" + "x" * 40 + "/"),
        client.get("/public/submitted/nope/"),
        client.get("/public/track/?code=%3Cscript%3E"),
    ]
    assert {p.status_code for p in pages} == {404}
    bodies = {p.content.decode() for p in pages}
    assert len(bodies) == 1 and "未找到对应的申请" in bodies.pop()


def test_double_submission_and_honeypot(client: Client, tree: Tree) -> None:
    first, second = submit(client, tree), submit(client, tree)
    assert first["Location"] == second["Location"] and Request.objects.count() == 1
    robot = submit(client, tree, token="portal-token-2", website="http://spam.example")
    assert robot.status_code == 400 and Request.objects.count() == 1


def test_malformed_submission_shows_chinese_errors(client: Client, tree: Tree) -> None:
    before = (Request.objects.count(), AuditLog.objects.count())
    response = submit(client, tree, applicant_kind="alien", phone="", address="", email="", token="t3")
    html = response.content.decode()
    assert response.status_code == 400
    assert "选择一个有效的选项" in html and "至少填写一种联系方式" in html
    assert (Request.objects.count(), AuditLog.objects.count()) == before


@pytest.mark.usefixtures("one_rate_window")
def test_lookups_are_limited_per_address(client: Client, db: None) -> None:
    statuses = [client.get("/public/track/no-such-code/").status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
    assert "请求过于频繁" in client.get("/public/track/x/").content.decode()
