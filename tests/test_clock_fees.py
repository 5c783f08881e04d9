"""Information-processing fee, 国办函〔2020〕109号: the tier examples from the notes and the band formulas."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.clock import Method, item_fee, page_fee, to_wan_yuan


@pytest.mark.parametrize(
    ("k", "amount"), [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (55, 400)]
)
def test_item_fee_of_the_kth_request(k: int, amount: int) -> None:
    assert item_fee(k).amount == amount


@given(st.integers(min_value=31, max_value=2000))
def test_item_rate_matches_the_notes_formula(k: int) -> None:
    assert item_fee(k).amount == 100 + 100 * math.ceil((k - 30) / 10)


def test_item_fee_for_a_month() -> None:
    fee = item_fee(1, 35)  # 20 × 100 + 5 × 200
    assert fee.method is Method.PER_ITEM
    assert fee.amount == 3000
    assert [(t.first, t.last, t.rate) for t in fee.tiers] == [(1, 10, 0), (11, 30, 100), (31, 35, 200)]
    assert fee.lines() == [
        "按件计收（同一申请人当月累计申请件数）",
        "第 1—10 件：免费",
        "第 11—30 件：20 件 × 100 元 = 2000 元",
        "第 31—35 件：5 件 × 200 元 = 1000 元",
        "合计 3000 元",
    ]


@given(st.integers(1, 300), st.integers(1, 100), st.integers(1, 100))
def test_item_fee_is_additive(first: int, m: int, n: int) -> None:
    assert item_fee(first, m).amount + item_fee(first + m, n).amount == item_fee(first, m + n).amount


@pytest.mark.parametrize(
    ("pages", "amount"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (150, 1700), (200, 2700), (201, 2740)],
)
def test_page_fee(pages: int, amount: int) -> None:
    assert page_fee(pages).amount == amount


def test_page_fee_explanation() -> None:
    assert page_fee(150).lines() == [
        "按量计收（本件申请的页数）",
        "第 1—30 页：免费",
        "第 31—100 页：70 页 × 10 元 = 700 元",
        "第 101—150 页：50 页 × 20 元 = 1000 元",
        "合计 1700 元",
    ]


@given(st.integers(0, 5000))
def test_page_fee_is_the_sum_of_page_rates(pages: int) -> None:
    def rate(p: int) -> int:
        return 0 if p <= 30 else 10 if p <= 100 else 20 if p <= 200 else 40

    assert page_fee(pages).amount == sum(rate(p) for p in range(1, pages + 1))


def test_invalid_counts() -> None:
    with pytest.raises(ValueError):
        item_fee(0)
    with pytest.raises(ValueError):
        item_fee(5, 0)
    with pytest.raises(ValueError):
        page_fee(-1)


def test_wan_yuan() -> None:
    assert to_wan_yuan(400) == "0.04"
    assert to_wan_yuan(0) == "0.00"
    assert to_wan_yuan(1700) == "0.17"
    assert to_wan_yuan(50) == "0.01"  # half up
    assert to_wan_yuan(49) == "0.00"
    assert to_wan_yuan(123456, decimals=4) == "12.3456"
    assert to_wan_yuan(123456, decimals=0) == "12"
    assert to_wan_yuan(Decimal("400.50"), decimals=6) == "0.040050"
    with pytest.raises(TypeError):
        to_wan_yuan(400.0)  # type: ignore[arg-type]
