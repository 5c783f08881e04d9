"""Item 5 on PostgreSQL, where writers really run at once (SQLite queues them from BEGIN): 20
simultaneous first saves of one draft, one table 二 and one letter template give one row each and
no server error; clicks of one portal form at once all reach the same tracking code.

Collected only on PostgreSQL (conftest.py); `scripts/test` runs this directory there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client

from gongkai.web.reports.models import AnnualReport, ProactiveFigures
from gongkai.web.requests.models import LetterTemplate, Request

from .conftest import FORM, Tree

pytestmark = pytest.mark.django_db(transaction=True)
AT_ONCE = 20


def _at_once(n: int, call: Callable[[int], HttpResponse]) -> list[int]:
    """Run `call` in `n` threads released together; their status codes (500 for an exception)."""
    gate = threading.Barrier(n)
    statuses: list[int] = [0] * n

    def run(i: int) -> None:
        try:
            gate.wait()
            statuses[i] = call(i).status_code
        except Exception:
            statuses[i] = 500
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return statuses


def _clients(tree: Tree, n: int) -> list[Client]:
    clients = []
    for _ in range(n):
        client = Client(raise_request_exception=False)
        client.force_login(tree.head)
        clients.append(client)
    return clients


def test_twenty_first_saves_of_a_draft_keep_one_row(tree: Tree) -> None:
    clients = _clients(tree, AT_ONCE)
    url = f"/reports/{tree.street.pk}/2025/"
    statuses = _at_once(AT_ONCE, lambda i: clients[i].post(url, {"op": "save", "part_一": f"第{i}稿"}))
    assert 500 not in statuses and statuses.count(302) == AT_ONCE, statuses
    assert AnnualReport.objects.filter(agency=tree.street, year=2025).count() == 1


def test_twenty_first_saves_of_table_two_keep_one_row(tree: Tree) -> None:
    clients = _clients(tree, AT_ONCE)
    url = f"/reports/{tree.street.pk}/2025/"
    statuses = _at_once(AT_ONCE, lambda i: clients[i].post(url, {"op": "figures", "rules.issued": str(i)}))
    assert 500 not in statuses and statuses.count(302) == AT_ONCE, statuses
    assert ProactiveFigures.objects.filter(agency=tree.street, year=2025).count() == 1


def test_twenty_first_saves_of_a_letter_template_keep_one_row(tree: Tree) -> None:
    clients = _clients(tree, AT_ONCE)
    url = "/letters/templates/"
    form: dict[str, Any] = {"agency": tree.street.pk, "kind": "receipt", "outcome": "", "action": "body"}
    statuses = _at_once(AT_ONCE, lambda i: clients[i].post(url, {**form, "body": f"回执正文{i}"}))
    assert 500 not in statuses and statuses.count(302) == AT_ONCE, statuses
    assert LetterTemplate.objects.filter(agency=tree.street, kind="receipt").count() == 1


def test_clicks_of_one_portal_form_at_once_reach_one_tracking_code(tree: Tree) -> None:
    data = {k: v for k, v in FORM.items() if k not in ("channel", "received_on")}
    data.update(token="the-same-token-of-one-form-0123456789", website="")
    clients = [Client(raise_request_exception=False, REMOTE_ADDR=f"10.1.0.{i}") for i in range(5)]
    responses: list[HttpResponse] = [HttpResponse()] * 5

    def click(i: int) -> HttpResponse:
        responses[i] = clients[i].post(f"/public/apply/{tree.street.pk}/", data)
        return responses[i]

    statuses = _at_once(5, click)
    assert statuses == [302] * 5, statuses
    assert len({r["Location"] for r in responses}) == 1
    assert Request.objects.count() == 1
