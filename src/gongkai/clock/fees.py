"""The information-processing fee (信息处理费), 国办函〔2020〕109号 Arts. 3–5.

Both methods are progressive by excess bands (超额累进); an agency picks one per request and never
applies both. Amounts are whole 元 (`int`): every rate is a whole number of 元, so no rounding
happens until the annual report prints 万元 (`to_wan_yuan`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Method(StrEnum):
    PER_ITEM = "per_item"  # 按件 (Art. 4)
    PER_PAGE = "per_page"  # 按量 (Art. 5)


@dataclass(frozen=True)
class Tier:
    """The part of a charge that falls in one band: units `first`..`last` at `rate` 元 each."""

    first: int
    last: int
    rate: int
    unit: str  # "件" or "页"

    @property
    def units(self) -> int:
        return self.last - self.first + 1

    @property
    def amount(self) -> int:
        return self.units * self.rate

    def line(self) -> str:
        span = (
            f"第 {self.first} {self.unit}"
            if self.first == self.last
            else f"第 {self.first}—{self.last} {self.unit}"
        )
        if self.rate == 0:
            return f"{span}：免费"
        return f"{span}：{self.units} {self.unit} × {self.rate} 元 = {self.amount} 元"


@dataclass(frozen=True)
class Fee:
    method: Method
    tiers: tuple[Tier, ...]

    @property
    def amount(self) -> int:
        """The fee in 元."""
        return sum(t.amount for t in self.tiers)

    def lines(self) -> list[str]:
        title = (
            "按件计收（同一申请人当月累计申请件数）"
            if self.method is Method.PER_ITEM
            else "按量计收（本件申请的页数）"
        )
        return [title, *(t.line() for t in self.tiers), f"合计 {self.amount} 元"]


Band = tuple[int, int | None, int]  # first unit, last unit (None: no upper end), 元 per unit


def item_band(k: int) -> Band:
    """The band of the k-th request of one applicant in one calendar month (Art. 4).

    1–10 free, 11–30 at 100 元, then bands of 10 each 100 元 dearer: 31–40 at 200 元, 41–50 at 300 元…
    """
    if k <= 10:
        return (1, 10, 0)
    if k <= 30:
        return (11, 30, 100)
    band = (k - 31) // 10  # 0 for 31–40
    return (31 + 10 * band, 40 + 10 * band, 200 + 100 * band)


def page_band(page: int) -> Band:
    """The band of one page of one request (Art. 5): 1–30 free, 31–100 at 10, 101–200 at 20, then 40 元."""
    if page <= 30:
        return (1, 30, 0)
    if page <= 100:
        return (31, 100, 10)
    if page <= 200:
        return (101, 200, 20)
    return (201, None, 40)


def item_fee(ordinal: int, count: int = 1) -> Fee:
    """按件: the fee for `count` requests, the first being the applicant's `ordinal`-th this month."""
    return Fee(Method.PER_ITEM, _tiers(ordinal, count, item_band, "件"))


def page_fee(pages: int) -> Fee:
    """按量: the fee for one request of `pages` pages (150 pages -> 1700 元)."""
    if pages < 0:
        raise ValueError("pages must be >= 0")
    return Fee(Method.PER_PAGE, _tiers(1, pages, page_band, "页") if pages else ())


def _tiers(first: int, count: int, band: Callable[[int], Band], unit: str) -> tuple[Tier, ...]:
    if first < 1 or count < 1:
        raise ValueError("units are numbered from 1 and at least one is charged")
    last = first + count - 1
    tiers = []
    unit_no = first
    while unit_no <= last:
        _, band_last, rate = band(unit_no)
        end = last if band_last is None else min(band_last, last)
        tiers.append(Tier(unit_no, end, rate, unit))
        unit_no = end + 1
    return tuple(tiers)


def to_wan_yuan(yuan: int | Decimal, decimals: int = 2) -> str:
    """A 元 total as the 万元 figure the annual report prints: 400 -> "0.04".

    Rounds half up (四舍五入), the usual rule for printed financial figures; the report format itself
    states no rule (domain-notes §7), hence `decimals` is a parameter.
    """
    if isinstance(yuan, float | bool):
        raise TypeError("pass whole 元 as int or Decimal, never float")
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    quantum = Decimal(1).scaleb(-decimals)
    return str((Decimal(yuan) / 10000).quantize(quantum, rounding=ROUND_HALF_UP))
