"""Roll-up: the region's tables are the sum of its members', and disagreements are listed by cell."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.formats import CellRef, Kind
from gongkai.report import Report, Value
from gongkai.rollup import RollUpError, reconcile, roll_up

from .strategies import reports


def _wan(value: Value) -> Decimal:
    """An amount in 万元 by hand: "251000元" is 25.1, "45.82万元" and "1.25" are as printed."""
    assert isinstance(value, str)
    if value.endswith("万元"):
        return Decimal(value[:-2])
    if value.endswith("元"):
        return Decimal(value[:-1]) / 10000
    return Decimal(value)


def _same_year_and_format(members: list[Report]) -> list[Report]:
    first = members[0]
    for member in members:
        member.year = first.year
    return [m for m in members if (m.format, m.proactive_format) == (first.format, first.proactive_format)]


@given(st.sampled_from(["2019", "2021"]).flatmap(lambda key: st.lists(reports(key), min_size=1, max_size=6)))
def test_roll_up_equals_the_sum_of_the_members_tables(drawn: list[Report]) -> None:
    members = _same_year_and_format(drawn)
    total = roll_up(members, agency="示例区")
    assert total.gaps == {} and total.report.agency == "示例区" and total.report.year == members[0].year
    for ref, value in total.report.cells():
        kind = total.report.table(ref.table).kinds[ref]
        if kind in (Kind.COUNT, Kind.SIGNED):
            assert value == sum(int(m.get(ref) or 0) for m in members), ref
        else:
            assert _wan(value) == sum((_wan(m.get(ref)) for m in members), Decimal(0)), ref


@given(
    st.lists(reports("2021"), min_size=2, max_size=5),
    st.data(),
)
def test_a_seeded_disagreement_with_the_regions_own_report_is_listed_at_that_cell(
    drawn: list[Report], data: st.DataObject
) -> None:
    members = _same_year_and_format(drawn)
    own = roll_up(members, agency="示例区").report
    assert reconcile(roll_up(members).report, own) == []
    counts = [ref for ref, _ in own.cells() if own.table(ref.table).kinds[ref] is Kind.COUNT]
    seeded = data.draw(st.sampled_from(counts))
    delta = data.draw(st.integers(1, 50))
    own.set(seeded, int(own.get(seeded) or 0) + delta)
    differences = reconcile(roll_up(members).report, own)
    assert [d.ref for d in differences] == [seeded]
    assert f"相差 {delta}" in differences[0].message_zh
    assert own.table(seeded.table).cell_zh(seeded) in differences[0].message_zh


def test_mixed_formats_are_refused_naming_who_uses_which() -> None:
    old, new = Report.blank("2019", zero=True), Report.blank("2021", zero=True)
    old.agency, new.agency, old.year, new.year = "甲街道", "乙街道", 2021, 2021
    with pytest.raises(RollUpError) as error:
        roll_up([old, new])
    assert "甲街道" in error.value.zh and "乙街道" in error.value.zh and "2019年版格式" in error.value.zh


def test_a_member_cell_left_unread_makes_the_sum_unknown_and_names_the_member() -> None:
    a, b = Report.blank("2021", zero=True), Report.blank("2021", zero=True)
    a.agency, b.agency, a.year, b.year = "甲街道", "乙街道", 2023, 2023
    a.set(CellRef("requests", "received", "total"), 3)
    b.set(CellRef("requests", "received", "total"), None)
    total = roll_up([a, b])
    assert total.report.get(CellRef("requests", "received", "total")) is None
    assert total.gaps == {"requests.received.total": ["乙街道"]}
