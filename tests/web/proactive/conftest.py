"""Fixtures for the register: the desk's tree, with register settings for the street office."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from gongkai.proactive.demo import DEMO_CATALOGUE
from gongkai.web.proactive import services
from gongkai.web.proactive.models import Item, RegisterSettings

from ..conftest import Tree

FORMED = date(2025, 3, 3)
ITEM: dict[str, Any] = {
    "title": "2025年3月城市最低生活保障金发放情况公示",
    "body": "本月东湖街道共发放城市最低生活保障金12万元，惠及困难群众80户。",
    "kind": "other",
    "area": "social_assistance",
    "channels": ["website", "notice_board"],
    "formed": FORMED,
}
NewItem = Callable[..., Item]


@pytest.fixture
def register(tree: Tree) -> RegisterSettings:
    return RegisterSettings.objects.create(
        agency=tree.street,
        catalogue=DEMO_CATALOGUE.to_data(),
        org_code="11410300MB0000000X",
        address="示例区东湖路1号",
        hours="工作日 9:00-17:00",
        phone="0371-12345678",
    )


@pytest.fixture
def new_item(tree: Tree, register: RegisterSettings) -> NewItem:
    def make(**changes: Any) -> Item:
        return services.create_item(tree.register, tree.street, **{**ITEM, **changes})

    return make


def publish(tree: Tree, item: Item) -> Item:
    """Submit and approve through the default chain 初审 → 复审 → 终审."""
    services.submit(tree.register, item)
    for user in (tree.handle, tree.approve, tree.head):
        item = services.approve(user, item)
    return item
