"""Item 7: what the page offers only in some states is refused in the others, on the server."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from gongkai.web.reports.models import AnnualReport
from gongkai.web.requests.models import Appeal, RequestEvent

from .conftest import Tree, day

pytestmark = pytest.mark.django_db


def _act(client: Client, pk: int, action: str, **fields: str) -> int:
    data = {f"{action}-{k}": v for k, v in fields.items()}
    return int(client.post(f"/requests/{pk}/do/{action}/", data).status_code)


def test_an_appeal_on_an_open_request_is_refused(client: Client, tree: Tree, new_request: Any) -> None:
    r = new_request()
    client.force_login(tree.handle)
    assert _act(client, r.pk, "appeal", kind="reconsideration", filed_on=day(3).isoformat()) == 409
    assert not Appeal.objects.exists()


def test_an_action_of_another_state_is_refused(client: Client, tree: Tree, new_request: Any) -> None:
    r = new_request()
    client.force_login(tree.handle)
    assert _act(client, r.pk, "receive_supplement", on=day(2).isoformat()) == 409  # none was asked for
    assert _act(client, r.pk, "fee_paid", on=day(2).isoformat()) == 409  # no fee notice
    assert _act(client, r.pk, "archive", on=day(2).isoformat()) == 409  # not closed
    assert RequestEvent.objects.filter(request=r).count() == 1  # the registration alone


def test_a_receipt_dated_before_the_receipt_is_refused(client: Client, tree: Tree, new_request: Any) -> None:
    r = new_request()
    client.force_login(tree.handle)
    response = client.post(
        f"/requests/{r.pk}/do/letter/", {"letter-kind": "receipt", "letter-on": day(-5).isoformat()}
    )
    assert response.status_code == 400 and "早于收到申请日期" in response.content.decode()
    assert RequestEvent.objects.filter(request=r).count() == 1


def test_a_supplement_deadline_in_9999_is_refused(client: Client, tree: Tree, new_request: Any) -> None:
    r = new_request()
    client.force_login(tree.handle)
    fields = {"on": day(2).isoformat(), "due": "9999-12-31", "items": "身份证明"}
    response = client.post(
        f"/requests/{r.pk}/do/supplement/", {f"supplement-{k}": v for k, v in fields.items()}
    )
    assert response.status_code == 400 and "补正期限" in response.content.decode()
    assert RequestEvent.objects.filter(request=r).count() == 1


def test_publishing_needs_every_part(client: Client, tree: Tree) -> None:
    client.force_login(tree.head)
    url = f"/reports/{tree.street.pk}/2025/"
    blank = {"op": "publish", "part_一": "总体情况。", "part_五": "", "part_六": "无。"}
    page = client.post(url, blank, follow=True).content.decode()
    assert "报告缺少以下部分" in page and "五、存在的主要问题及改进情况" in page
    assert not AnnualReport.objects.get(agency=tree.street, year=2025).is_published
