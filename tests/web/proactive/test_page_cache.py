"""The portal's kept pages and the per-area counts behind the catalogue: kept by the services that
publish and withdraw, so a withdrawn item leaves every kept page at once."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongkai.web.proactive import listing, selectors, services
from gongkai.web.proactive.models import PublicListing, RegisterSettings

from ..conftest import Tree
from .conftest import NewItem, publish


def _pages(tree: Tree, pk: int) -> dict[str, str]:
    base = f"/public/{tree.street.pk}/"
    return {
        "item": f"{base}items/{pk}/",
        "catalogue": f"{base}catalogue/",
        "area": f"{base}catalogue/social_assistance/",
        "home": base,
    }


def test_a_kept_page_is_served_without_reading_the_register(
    tree: Tree, new_item: NewItem, client: Client
) -> None:
    item = publish(tree, new_item())
    url = _pages(tree, item.pk)["item"]
    first = client.get(url).content
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content
    assert again == first and item.title in again.decode()
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "proactive_item" not in read and "agencies_agency" not in read
    assert len(queries.captured_queries) <= 2  # the agency's version and the directory stamp


def test_a_withdrawn_item_leaves_every_kept_page_at_once(
    tree: Tree, new_item: NewItem, client: Client
) -> None:
    item = publish(tree, new_item())
    pages = _pages(tree, item.pk)
    before = {name: client.get(url).content.decode() for name, url in pages.items()}
    assert all(item.title in before[name] for name in ("item", "area", "home"))
    assert "（1条）" in before["catalogue"]
    services.withdraw(tree.head, item, "数据有误", today=date(2025, 4, 1))
    after = {name: client.get(url).content.decode() for name, url in pages.items()}
    assert "本信息已于2025年4月1日撤回" in after["item"] and item.body not in after["item"]
    assert item.title not in after["area"] and item.title not in after["home"]
    assert "（1条）" not in after["catalogue"] and "社会救助</a>（0条）" in after["catalogue"]


def test_a_signed_in_visitor_never_gets_the_anonymous_page(
    tree: Tree, new_item: NewItem, client: Client
) -> None:
    item = publish(tree, new_item())
    url = _pages(tree, item.pk)["item"]
    assert "退出" not in client.get(url).content.decode()
    client.force_login(tree.register)
    assert "退出" in client.get(url).content.decode()


def test_a_settings_change_reaches_the_kept_guide(
    tree: Tree, register: RegisterSettings, client: Client
) -> None:
    url = f"/public/{tree.street.pk}/guide/"
    assert register.address in client.get(url).content.decode()
    services.save_settings(tree.admin, tree.street, address="东湖路9号")
    assert "东湖路9号" in client.get(url).content.decode()


def test_the_counts_kept_by_the_services_equal_a_recount(tree: Tree, new_item: NewItem) -> None:
    items = [publish(tree, new_item(title=f"公示{n}", area=area)) for n, area in enumerate(
        ["social_assistance", "social_assistance", "employment", ""]
    )]  # fmt: skip
    services.withdraw(tree.head, items[0], "重复发布")
    new_item(title="草稿不计")
    kept = selectors.listing_counts(tree.street.pk)
    assert kept == {"social_assistance": 1, "employment": 1, "": 1}
    PublicListing.objects.filter(agency=tree.street).update(counts={})
    listing.recount([tree.street.pk])
    assert selectors.listing_counts(tree.street.pk) == kept


def test_the_search_page_pages_on_and_marks_the_chosen_agency(
    tree: Tree, new_item: NewItem, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [publish(tree, new_item()) for _ in range(3)]
    monkeypatch.setattr(selectors, "PAGE", 2)
    page = client.get("/public/search/", {"q": "最低生活保障", "agency": tree.street.pk}).content.decode()
    assert f'<option value="{tree.street.pk}" selected>东湖街道办事处</option>' in page
    assert items[2].title in page and f"before={items[1].pk}" in page and 'rel="next"' in page
    more = client.get("/public/search/", {"q": "最低生活保障", "before": items[1].pk}).content.decode()
    assert f"/items/{items[0].pk}/" in more and f"/items/{items[2].pk}/" not in more
