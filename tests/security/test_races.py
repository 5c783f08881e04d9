"""Item 5: two editors saving from the same page; a double-clicked portal form (sequential here;
at once on PostgreSQL in test_races_postgres.py)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from gongkai.web.reports.models import AnnualReport, ProactiveFigures
from gongkai.web.requests.models import LetterTemplate, Request

from .conftest import FORM, Tree

pytestmark = pytest.mark.django_db
YEAR = 2025


def _seen(page: str, form: int = 0) -> str:
    """The version the page's `form`-th form carries (empty for a row not saved yet); on the report
    page the first is table 二's, the second the written parts'."""
    found = re.findall(r'name="seen" value="([^"]*)"', page)
    assert len(found) > form, "the form carries the version it was rendered with"
    return str(found[form])


def _editors(tree: Tree) -> tuple[Client, Client]:
    first, second = Client(), Client()
    first.force_login(tree.head)
    second.force_login(tree.handle)
    return first, second


def test_the_second_editor_of_a_draft_is_told(tree: Tree) -> None:
    first, second = _editors(tree)
    url = f"/reports/{tree.street.pk}/{YEAR}/"
    seen = _seen(first.get(url).content.decode(), 1)
    assert _seen(second.get(url).content.decode(), 1) == seen
    assert first.post(url, {"op": "save", "seen": seen, "part_一": "第一位的总体情况"}).status_code == 302
    stale = second.post(url, {"op": "save", "seen": seen, "part_一": "第二位的总体情况"}, follow=True)
    assert "其他人已保存了新的内容" in stale.content.decode()
    saved = AnnualReport.objects.get(agency=tree.street, year=YEAR)
    assert saved.data["sections"]["一"] == "第一位的总体情况"
    # Reloaded, the second editor may save over it knowingly.
    fresh = _seen(second.get(url).content.decode(), 1)
    assert fresh != seen
    assert second.post(url, {"op": "save", "seen": fresh, "part_一": "第二位的总体情况"}).status_code == 302


def test_the_second_editor_of_table_two_is_told(tree: Tree) -> None:
    first, second = _editors(tree)
    url = f"/reports/{tree.street.pk}/{YEAR}/"
    seen = _seen(first.get(url).content.decode())
    cell = "rules.issued"
    assert first.post(url, {"op": "figures", "seen": seen, cell: "7"}).status_code == 302
    stale = second.post(url, {"op": "figures", "seen": seen, cell: "9"}, follow=True)
    assert "其他人已保存了新的内容" in stale.content.decode()
    assert ProactiveFigures.objects.get(agency=tree.street, year=YEAR).data["rules"]["issued"] == 7


def test_the_second_editor_of_a_letter_template_is_told(tree: Tree) -> None:
    first, second = Client(), Client()
    first.force_login(tree.head)
    second.force_login(tree.admin)
    url = f"/letters/templates/?agency={tree.street.pk}&kind=receipt"
    seen = _seen(first.get(url).content.decode())
    form = {"agency": tree.street.pk, "kind": "receipt", "outcome": "", "action": "body", "seen": seen}
    assert first.post(url, {**form, "body": "第一位的回执正文"}).status_code == 302
    stale = second.post(url, {**form, "body": "第二位的回执正文"})
    assert stale.status_code == 400 and "其他人已保存了新的内容" in stale.content.decode()
    assert LetterTemplate.objects.get(agency=tree.street, kind="receipt").body == "第一位的回执正文"


def test_a_double_clicked_portal_form_reaches_the_tracking_code(client: Client, tree: Tree) -> None:
    page = client.get(f"/public/apply/{tree.street.pk}/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page)
    assert token
    data = {k: v for k, v in FORM.items() if k not in ("channel", "received_on")}
    data.update(token=token.group(1), website="")
    first = client.post(f"/public/apply/{tree.street.pk}/", data)
    second = client.post(f"/public/apply/{tree.street.pk}/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Request.objects.count() == 1
