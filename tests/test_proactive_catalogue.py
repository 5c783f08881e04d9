"""The catalogue as data, an agency's selection, and 索引号 rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.formats import get_format
from gongkai.proactive.catalogue import (
    AREAS,
    KINDS,
    AgencyCatalogue,
    Area,
    CatalogueError,
    Matter,
)
from gongkai.proactive.index_number import IndexRule, IndexRuleError


def test_areas_follow_the_domain_notes_with_unverified_names_marked() -> None:
    assert len(AREAS) == len({a.key for a in AREAS}) == len({a.name for a in AREAS}) == 26
    unverified = {a.name for a in AREAS if not a.verified}
    assert unverified == {
        "税收管理",
        "国有土地上房屋征收与补偿",
        "环境保护",
        "城市综合执法",
        "市场监管",
        "公共体育",
    }


def test_kinds_take_their_labels_from_the_format() -> None:
    table = get_format("2021").table("proactive")
    counted = [k for k in KINDS if k.row]
    assert [(k.row, k.label) for k in counted] == [(r.key, r.label) for r in table.rows]
    assert [k.key for k in KINDS if not k.row] == ["other"]


def test_an_agency_selection_round_trips_as_plain_data() -> None:
    selection = AgencyCatalogue(
        covered=("public_culture", "jobs_and_business"),
        not_applicable={"farm_subsidies": "辖区无农业。"},
        own_areas=(Area("jobs_and_business", "就业创业", verified=False),),
        matters={"public_culture": (Matter("公共文化服务", "文化活动"), Matter("公共文化设施"))},
    )
    again = AgencyCatalogue.from_data(selection.to_data())
    assert again == selection
    assert [a.name for a in again.covered_areas()] == ["公共文化服务", "就业创业"]
    assert "farm_subsidies" not in {a.key for a in again.undeclared()}
    assert len(again.undeclared()) == len(AREAS) - 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"covered": ["moon_landing"]}, "未知的领域代码"),
        ({"covered": ["budget", "budget"]}, "重复"),
        ({"covered": ["budget"], "not_applicable": {"budget": "无"}}, "既列为公开领域又声明为未涉及"),
        ({"covered": [], "matters": {"budget": [{"level1": "预算"}]}}, "未列为公开领域"),
        ({"covered": ["budget"], "matters": {"budget": [{"level1": " "}]}}, "缺少一级事项"),
        ({"covered": [], "own_areas": [{"key": "budget", "name": "预算"}]}, "与标准目录的领域重复"),
        ({"covered": [], "own_areas": [{"key": "x", "name": "安全生产"}]}, "代码或名称重复"),
        ({"covered": "budget"}, "格式不正确"),
        ({"covered": [], "own_areas": [{"name": "无代码"}]}, "格式不正确"),
    ],
)
def test_bad_selections_are_refused_in_chinese(data: dict[str, object], message: str) -> None:
    with pytest.raises(CatalogueError) as error:
        AgencyCatalogue.from_data(data)
    assert message in error.value.zh


RULE = IndexRule("{org_code}/{year}-{area_code}-{seq:05d}")


def test_numbers_count_on_and_restart_in_a_new_year_or_area() -> None:
    first = RULE.next(None, year=2025, org_code="11410300MB0000000X", area_code="03")
    assert first == "11410300MB0000000X/2025-03-00001"
    second = RULE.next(first, year=2025, org_code="11410300MB0000000X", area_code="03")
    assert second == "11410300MB0000000X/2025-03-00002"
    assert RULE.next(second, year=2026, org_code="11410300MB0000000X", area_code="03").endswith(
        "2026-03-00001"
    )
    assert RULE.next(second, year=2025, org_code="11410300MB0000000X", area_code="04").endswith("-04-00001")
    assert RULE.parse(second) == {
        "org_code": "11410300MB0000000X",
        "year": "2025",
        "area_code": "03",
        "seq": "00002",
    }


@given(st.integers(1, 99998), st.integers(2000, 2099), st.from_regex(r"[A-Z0-9]{1,18}", fullmatch=True))
def test_next_is_always_one_more(seq: int, year: int, org: str) -> None:
    number = RULE.format(seq, year=year, org_code=org, area_code="07")
    assert RULE.next(number, year=year, org_code=org, area_code="07") == RULE.format(
        seq + 1, year=year, org_code=org, area_code="07"
    )


def test_adjacent_fixed_width_fields_need_no_separator() -> None:
    rule = IndexRule("{category}-{year}{seq:04d}")
    number = rule.next("XK-20250041", year=2025, category="XK")
    assert number == "XK-20250042"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("", "不能为空"),
        ("{org_code}/{year}-{seq", "花括号不成对"),
        ("{org}/{year}-{seq}", "未知字段 {org}"),
        ("{org_code}/{year}", "必须包含序号字段"),
        ("{org_code}-{seq}", "必须包含年份字段"),
        ("{year}-{seq:5x}", "序号格式"),
        ("{year:04d}-{seq}", "不能带格式"),
        ("{year}-{seq}-{seq}", "出现了两次"),
        ("{year}-{org_code}{area_code}-{seq}", "之间需要分隔符"),
        ("{year}-{seq!r}", "转换"),
        ("{}-{year}-{seq}", "未知字段"),
    ],
)
def test_bad_templates_get_clear_chinese_errors(template: str, message: str) -> None:
    with pytest.raises(IndexRuleError) as error:
        IndexRule(template)
    assert message in error.value.zh


def test_bad_values_and_overflow_are_refused() -> None:
    with pytest.raises(IndexRuleError, match="separator") as error:
        RULE.next(None, year=2025, org_code="A-B", area_code="01")
    assert "分隔符" in error.value.zh
    with pytest.raises(IndexRuleError) as error:
        RULE.next(None, year=2025, org_code="", area_code="01")
    assert "机构代码不能为空" in error.value.zh
    with pytest.raises(IndexRuleError) as error:
        RULE.next("X/2025-01-99999", year=2025, org_code="X", area_code="01")
    assert "超过模板规定的 5 位" in error.value.zh
    with pytest.raises(IndexRuleError) as error:
        RULE.next("乱写的编号", year=2025, org_code="X", area_code="01")
    assert "不符合规则" in error.value.zh
