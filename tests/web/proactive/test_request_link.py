"""The request page's 依申请转主动公开 section: offered to register roles on an answered, released,
not yet converted request; the made item linked back both ways."""

from __future__ import annotations

from django.test import Client

from gongkai.web.proactive import services

from ..conftest import NewRequest, Tree
from .test_services import _answer


def test_the_button_is_offered_only_when_the_service_would_convert(
    tree: Tree, register: object, new_request: NewRequest, client: Client
) -> None:
    request = new_request(content="申请公开东湖街道2025年老旧小区改造项目清单")
    url = f"/requests/{request.pk}/"
    client.force_login(tree.register)
    assert "转为主动公开</button>" not in client.get(url).content.decode()  # not answered
    assert not services.may_convert(tree.register, request)
    _answer(tree, request)
    request.refresh_from_db()
    assert services.may_convert(tree.register, request)
    assert not services.may_convert(tree.outsider, request)  # a register role, elsewhere
    assert not services.may_convert(tree.users["supervise"], request)  # no register role
    assert "转为主动公开</button>" in client.get(url).content.decode()
    made = client.post("/register/from-request/", {"request": request.pk})
    assert made.status_code == 302
    page = client.get(url).content.decode()
    item = request.register_items.get()
    assert f'href="/register/{item.pk}/"' in page and "转为主动公开</button>" not in page
    assert not services.may_convert(tree.register, request)  # once only
    back = client.get(f"/register/{item.pk}/").content.decode()
    assert f'href="/requests/{request.pk}/"' in back
