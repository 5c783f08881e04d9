"""Search equals a plain scan of the published texts, page by page through its cursor, whatever the
phrase; the suite runs it on SQLite and again on PostgreSQL, so both give the same results."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.web.proactive import search, selectors, services
from gongkai.web.proactive.models import Item, ItemState

from ..conftest import Tree

TEXTS = (
    "城市最低生活保障金发放情况公示",
    "农村最低生活保障对象名单公示",
    "安全生产检查情况通报",
    "2025年第一季度安全生产大检查",
    "公益性岗位招聘公告",
    "公益性岗位人员考核结果",
    "临时救助审批情况公示",
    "老旧小区改造项目清单",
    "最低生活保障标准调整的通知",
    "辖区安全生产隐患排查整改",
    "ＡＢＣ全角字母的公告",
    "东湖街道2025年预算公开",
)


@pytest.fixture
def published(tree: Tree, register: object) -> list[Item]:
    items = []
    for n, text in enumerate(TEXTS * 3):
        item = Item.objects.create(
            agency=tree.street if n % 4 else tree.other,
            title=f"{text}（{n}）",
            body=f"{text}。",
            area="",
            formed=date(2025, 3, 3),
            state=ItemState.PUBLISHED if n % 7 else ItemState.IN_REVIEW,
            published=date(2025, 3, 4),
        )
        if item.state == ItemState.PUBLISHED:
            services.index(item)
        items.append(item)
    return items


def _scan(items: list[Item], phrase: str) -> list[int]:
    words = search.terms(phrase)
    public = [i for i in items if i.state == ItemState.PUBLISHED]
    return sorted((i.pk for i in public if search.matches(f"{i.title}\n{i.body}", words)), reverse=True)


def _all_pages(phrase: str) -> list[int]:
    pks, cursor = [], None
    for _ in range(100):
        page = selectors.search_public(phrase, before=cursor)
        pks += [i.pk for i in page.items]
        if page.more is None:
            return pks
        cursor = page.more
    raise AssertionError("the cursor never ended")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_search_equals_a_plain_scan(
    published: list[Item], monkeypatch: pytest.MonkeyPatch, data: st.DataObject
) -> None:
    text = data.draw(st.sampled_from(TEXTS))
    start = data.draw(st.integers(0, len(text) - 2))
    phrase = text[start : start + data.draw(st.integers(2, 6))]
    for name, value in (("PAGE", 3), ("WINDOW", 2), ("WALK", 4), ("MAX_WALK", 8)):
        monkeypatch.setattr(selectors, name, value)
    assert _all_pages(phrase) == _scan(published, phrase)
