"""The proactive register: table 二 equals a plain recount, the Art. 26 clock, the part-一 draft,
and a year's report drafted from the demo register reads back through extraction unchanged."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.clock import WorkCalendar
from gongkai.extraction import extract
from gongkai.proactive.catalogue import CHANNELS, DOCUMENT_KINDS, KINDS, AgencyCatalogue, Matter
from gongkai.proactive.demo import DEMO_CATALOGUE, demo_register
from gongkai.proactive.register import (
    RegisterError,
    RegisterItem,
    Timeliness,
    apply_register,
    attention,
    check_catalogue,
    proactive_paragraph,
    publication_due,
    standing,
    table_two,
)
from gongkai.reading import load_bytes
from gongkai.tally import tally
from gongkai.writing import WRITERS
from gongkai.writing.narrative import DRAFT_MARK

YEAR = 2024
CAL = WorkCalendar()
day = st.dates(min_value=date(YEAR - 3, 1, 1), max_value=date(YEAR + 1, 12, 31))
maybe_day = st.one_of(st.none(), day)


@st.composite
def items(draw: st.DrawFn) -> RegisterItem:
    kind = draw(st.sampled_from([k.key for k in KINDS]))
    formed = draw(day)
    channels = draw(st.lists(st.sampled_from([c.key for c in CHANNELS]), min_size=1, max_size=3, unique=True))
    fields: dict[str, object] = {}
    if kind in DOCUMENT_KINDS:
        issued = draw(day)
        after = st.one_of(st.none(), st.integers(0, 2000).map(lambda n: issued + timedelta(days=n)))
        fields = {"issued": issued, "effective": draw(after), "expires": draw(after), "repealed": draw(after)}
    elif kind in ("licensing", "penalty", "coercion"):
        fields = {"decisions": draw(st.one_of(st.none(), st.integers(0, 500)))}
    elif kind == "fees":
        cents = st.integers(0, 10**9).map(lambda n: Decimal(n) / 100)
        fields = {"fee_yuan": draw(st.one_of(st.none(), st.integers(0, 10**7), cents))}
    withdrawn = draw(st.one_of(st.none(), st.integers(0, 800).map(lambda n: formed + timedelta(days=n))))
    return RegisterItem(
        title="事项",
        kind=kind,
        area="",
        formed=formed,
        channels=tuple(channels),
        withdrawn=withdrawn,
        **fields,
    )  # type: ignore[arg-type]


def recount(register: list[RegisterItem], year: int) -> dict[str, dict[str, object]]:
    """Table 二 counted the plainest way, one cell at a time, independent of `table_two`."""
    end = date(year, 12, 31)
    standing = [i for i in register if i.withdrawn is None or i.withdrawn > end]
    grid: dict[str, dict[str, object]] = {}
    for kind in ("rules", "normative_documents"):
        docs = [i for i in standing if i.kind == kind]
        grid[kind] = {
            "issued": len([i for i in docs if i.issued and i.issued.year == year]),
            "repealed": len([i for i in docs if i.repealed and i.repealed.year == year]),
            "in_force": len(
                [
                    i
                    for i in docs
                    if i.issued
                    and i.issued <= end
                    and (i.effective is None or i.effective <= end)
                    and not (i.repealed and i.repealed <= end)
                    and not (i.expires and i.expires < end)
                ]
            ),
        }
    for kind in ("licensing", "penalty", "coercion"):
        grid[kind] = {
            "decisions": sum(i.decisions or 0 for i in standing if i.kind == kind and i.formed.year == year)
        }
    total = sum(
        (Decimal(i.fee_yuan or 0) for i in standing if i.kind == "fees" and i.formed.year == year), Decimal(0)
    )
    grid["fees"] = {"amount_10k_yuan": str((total / 10000).quantize(Decimal("0.0001"), ROUND_HALF_UP))}
    return grid


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(items(), max_size=40), st.integers(YEAR - 1, YEAR + 1))
def test_table_two_equals_a_plain_recount(register: list[RegisterItem], year: int) -> None:
    assert table_two(register, year) == recount(register, year)


def test_rows_kept_by_hand_stay_empty() -> None:
    doc = RegisterItem("规定", "normative_documents", "", date(YEAR, 3, 1), issued=date(YEAR, 3, 1))
    grid = table_two([doc], YEAR, rows=("normative_documents",))
    assert grid["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 1}
    assert grid["penalty"] == {"decisions": None} and grid["fees"] == {"amount_10k_yuan": None}


def test_2019_format_years_are_refused() -> None:
    with pytest.raises(RegisterError) as error:
        table_two([], 2020)
    assert "2019年试行格式" in error.value.zh


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "rules"}, "须登记印发日期"),
        ({"kind": "other", "issued": date(YEAR, 1, 1)}, "只有规章和行政规范性文件"),
        ({"kind": "other", "decisions": 3}, "处理决定数量"),
        ({"kind": "penalty", "decisions": -1}, "非负整数"),
        ({"kind": "fees", "fee_yuan": 1.5}, "收费金额"),
        ({"kind": "other", "channels": ()}, "至少选择一个公开渠道"),
        ({"kind": "other", "channels": ("weibo",)}, "未知的公开渠道"),
        ({"kind": "other", "published": date(YEAR, 1, 1)}, "公开日期早于信息形成日期"),
        ({"kind": "secret"}, "未知的信息类别"),
        ({"kind": "rules", "issued": date(YEAR, 5, 1), "repealed": date(YEAR, 4, 1)}, "废止日期早于印发日期"),
    ],
)
def test_impossible_items_are_refused_in_chinese(fields: dict[str, object], message: str) -> None:
    with pytest.raises(RegisterError) as error:
        RegisterItem(title="测试事项", area="", formed=date(YEAR, 2, 1), **fields)  # type: ignore[arg-type]
    assert message in error.value.zh and "测试事项" in error.value.zh


def test_publication_due_is_20_working_days_after_forming_with_its_explanation() -> None:
    # Formed Saturday 2025-09-20: 国庆/中秋 1–8 October and the make-up Sunday 28 September.
    due = publication_due(date(2025, 9, 20), CAL)
    assert due.due == date(2025, 10, 23)
    assert CAL.workdays_between(date(2025, 9, 20), due.due) == 20
    text = "\n".join(due.lines)
    assert "第二十六条" in text and "跳过国庆节、中秋节假期 10月1日—10月8日" in text
    assert "9月28日（周日）为调休工作日，计入" in text and due.lines[-1] == "公开期限 2025-10-23"


def test_standing_and_the_attention_list() -> None:
    formed = date(2025, 3, 3)  # Monday; due 2025-03-31
    due = publication_due(formed, CAL).due
    assert due == date(2025, 3, 31)
    on_time = RegisterItem("按时", "other", "", formed, published=due)
    late = RegisterItem("逾期公开", "other", "", formed, published=due + timedelta(days=1))
    overdue = RegisterItem("逾期未公开", "other", "", formed)
    soon = RegisterItem("即将到期", "other", "", date(2025, 3, 10))  # due 8 April, after 清明
    fresh = RegisterItem("刚形成", "other", "", date(2025, 4, 1))
    withdrawn = RegisterItem("已撤回", "other", "", formed, withdrawn=date(2025, 3, 5))
    as_of = date(2025, 4, 2)
    assert standing(on_time, as_of, CAL).status is Timeliness.ON_TIME
    assert standing(late, as_of, CAL).late_workdays == 1
    assert standing(overdue, as_of, CAL).late_workdays == 2
    assert standing(fresh, as_of, CAL).status is Timeliness.OPEN
    assert standing(soon, as_of, CAL).remaining_workdays == 3
    listed = attention([on_time, late, overdue, soon, fresh, withdrawn], as_of, CAL)
    assert [(s.item.title, s.status) for s in listed] == [
        ("逾期未公开", Timeliness.OVERDUE),
        ("即将到期", Timeliness.DUE_SOON),
        ("逾期公开", Timeliness.LATE),
    ]


def test_paragraph_counts_by_area_and_channel_like_the_seeds() -> None:
    register = [
        RegisterItem(f"文化{n}", "other", "public_culture", date(YEAR, 1, 2), published=date(YEAR, 1, 3))
        for n in range(12)
    ] + [
        RegisterItem(
            "安全",
            "other",
            "work_safety",
            date(YEAR, 5, 6),
            channels=("website", "notice_board"),
            published=date(YEAR, 5, 7),
        ),
        RegisterItem("明年", "other", "work_safety", date(YEAR, 12, 30), published=date(YEAR + 1, 1, 4)),
    ]
    text = proactive_paragraph(register, YEAR, "曙光路街道办事处", DEMO_CATALOGUE)
    assert text == (
        f"（一）主动公开方面。{YEAR}年，曙光路街道办事处主动公开政府信息13条。"
        "按领域分别为：公共文化服务领域12条、安全生产领域1条。"
        "按公开渠道分别为：政府网站13条、社区/村公示栏1条（同一条信息通过多个渠道公开的，分别计入各渠道）。"
    )


def test_a_report_drafted_from_the_demo_register_reads_back_unchanged() -> None:
    register = demo_register(2025, seed=7)
    report = tally([], [], 2025)
    report.agency = "示例市东城区东湖街道办事处"
    drafted = apply_register(report, register, DEMO_CATALOGUE)
    assert drafted.proactive == table_two(register, 2025)
    assert drafted.proactive["penalty"]["decisions"] == sum(
        i.decisions or 0 for i in register if i.kind == "penalty"
    )
    first = drafted.sections["一"].splitlines()
    assert first[0] == DRAFT_MARK and first[1] == proactive_paragraph(
        register, 2025, drafted.agency or "", DEMO_CATALOGUE
    )
    for writer in ("text", "docx"):
        read = extract(load_bytes(WRITERS[writer].write(drafted), f"r.{writer}"))
        assert read.canonical() == drafted.canonical(), writer
        assert first[1] in read.sections["一"], writer


def test_a_written_part_one_is_kept() -> None:
    report = tally([], [], 2025)
    report.sections["一"] = "本机关自己写的总体情况。"
    assert (
        apply_register(report, demo_register(2025), DEMO_CATALOGUE).sections["一"]
        == "本机关自己写的总体情况。"
    )


def test_the_demo_register_is_reproducible_and_realistic() -> None:
    a, b = demo_register(2025, seed=3), demo_register(2025, seed=3)
    assert a == b and a != demo_register(2025, seed=4)
    assert len({i.index_number for i in a if i.index_number}) == 72
    by_area = {area: len([i for i in a if i.area == area]) for area in DEMO_CATALOGUE.covered}
    assert set(by_area.values()) == {12}


def test_items_must_fit_the_agency_catalogue() -> None:
    selection = AgencyCatalogue(
        covered=("social_assistance",),
        matters={"social_assistance": (Matter("最低生活保障", "保障对象"),)},
    )
    fits = RegisterItem(
        "低保公示", "other", "social_assistance", date(YEAR, 1, 2), matter=Matter("最低生活保障", "保障对象")
    )
    check_catalogue(fits, selection)
    check_catalogue(RegisterItem("机构职能", "other", "", date(YEAR, 1, 2)), selection)
    with pytest.raises(RegisterError) as error:
        check_catalogue(RegisterItem("安全检查", "other", "work_safety", date(YEAR, 1, 2)), selection)
    assert "领域“安全生产”不在本机关的公开目录中" in error.value.zh
    with pytest.raises(RegisterError) as error:
        check_catalogue(replace(fits, matter=Matter("临时救助")), selection)
    assert "公开事项“临时救助”不在" in error.value.zh


def test_the_demo_follows_any_catalogue() -> None:
    selection = AgencyCatalogue(covered=("budget", "social_assistance"))
    register = demo_register(2025, catalogue=selection)
    assert {i.area for i in register if i.area} == {"budget", "social_assistance"}
    assert any(i.title == "2025年3月财政预决算领域信息公开" for i in register)
    for item in register:
        check_catalogue(item, selection)
