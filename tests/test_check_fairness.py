"""The checks never accuse the agency of the reader's faults, and the text rules of issue 14."""

from __future__ import annotations

import re
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.checks import Context, Finding, Severity, check
from gongkai.checks.examples import build
from gongkai.checks.model import Example
from gongkai.checks.numbering import STYLES, candidates, items
from gongkai.extraction import extract
from gongkai.formats import CellRef
from gongkai.formats.common import ALL_APPLICANT_COLUMNS
from gongkai.reading import load_bytes
from gongkai.report import Figure, Note, Report
from gongkai.writing import WRITERS

from .strategies import reports

ARITHMETIC = {"R1", "R2", "R3", "R4"}
AGENCY = "示例区教育局"
NOT_AGENCY = "不是机关的填报错误"
PART_ONE = (
    "本报告统计期限为2023年1月1日至2023年12月31日。本年度持续做好主动公开，依申请公开依法办理，"
    "政府信息管理规范有序，平台建设不断加强，监督保障、考核评议机制健全。"
)


def findings(example: Example) -> list[Finding]:
    report, context = build(example)
    return check(report, context)


def rules(found: list[Finding]) -> list[str]:
    return [f.rule for f in found]


def three_requests() -> Report:
    report = Report.blank("2021", zero=True)
    report.agency, report.year = AGENCY, 2023
    for column, value in (("natural_person", 3), ("commercial", 2), ("total", 5)):
        for row in ("received", "disclosed", "handled_total"):
            report.set(CellRef("requests", row, column), value)
    return report


def read_text(text: str) -> tuple[Report, Context]:
    return extract(load_bytes(text.encode("utf-8"), "r.txt")), Context(text=text)


# -- cells the reader could not read ---------------------------------------------------------


def test_an_undecidable_row_in_a_real_read_is_the_readers_finding_only() -> None:
    text = WRITERS["text"].write(three_requests()).decode("utf-8")
    text = text.replace("（一）予以公开\t\t3\t2\t0\t0\t0\t0\t5", "（一）予以公开\t\t3\t2\t5")
    found = check(*read_text(text))
    assert not [f for f in found if f.rule in ARITHMETIC or f.rule == "T-BLANK"]
    unchecked = [f for f in found if f.rule == "X-UNCHECKED"]
    assert len(unchecked) == 1
    assert "（一）予以公开" in unchecked[0].message_zh and NOT_AGENCY in unchecked[0].message_zh
    assert "requests.disclosed.natural_person" in unchecked[0].cells
    assert unchecked[0].severity is Severity.NOTICE


def test_a_table_the_reader_did_not_find_is_not_printed_empty() -> None:
    text = WRITERS["text"].write(three_requests()).decode("utf-8")
    text = text[: text.index("四、政府信息公开行政复议")] + text[text.index("五、存在的主要问题") :]
    found = check(*read_text(text))
    assert not [f for f in found if f.table == "appeals" and (f.rule in ARITHMETIC or f.rule == "T-BLANK")]
    unchecked = [f for f in found if f.rule == "X-UNCHECKED" and f.table == "appeals"]
    assert (
        len(unchecked) == 1 and "表四" in unchecked[0].message_zh and "未找到该表" in unchecked[0].message_zh
    )


def test_a_report_built_by_hand_still_gets_its_blank_cells_reported() -> None:
    found = findings(Example("留空", {"appeals.reconsideration.upheld": None}))
    assert "T-BLANK" in rules(found) and "X-UNCHECKED" not in rules(found)


COLUMNS = ALL_APPLICANT_COLUMNS


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    reports(),
    st.sampled_from(["undecidable", "missing-row", "bad-value"]),
    st.sampled_from(["received", "disclosed", "handled_total", "carried_forward"]),
)
def test_any_unread_row_gives_one_reader_finding_and_no_agency_finding(
    report: Report, code: str, row: str
) -> None:
    report.provenance = {str(ref): {"text": str(value)} for ref, value in report.cells()}
    for column in COLUMNS:
        report.set(CellRef("requests", row, column), None)
        report.provenance.pop(f"requests.{row}.{column}")
    cell = f"requests.{row}" if code != "bad-value" else f"requests.{row}.total"
    if code == "bad-value":  # the other cells of the row were printed empty: only one is unread
        for column in COLUMNS[:-1]:
            report.provenance[f"requests.{row}.{column}"] = {"text": ""}
    report.notes = [Note(code, "读取备注", "reader's note", cell)]
    found = check(report, Context())
    unread = [f"requests.{row}.{c}" for c in COLUMNS] if code != "bad-value" else [cell]
    for finding in found:
        if finding.rule in ARITHMETIC or finding.rule == "T-BLANK":
            assert not set(finding.cells) & set(unread), finding
    unchecked = [f for f in found if f.rule == "X-UNCHECKED"]
    assert len(unchecked) == 1 and NOT_AGENCY in unchecked[0].message_zh
    assert set(unchecked[0].cells) == set(unread)


def _inferred(value: int) -> Example:
    """自然人 予以公开 inferred by the reader as `value`; its row and column say 1."""
    cells = {
        "requests.received.natural_person": 1,
        "requests.received.total": 1,
        "requests.disclosed.natural_person": value,
        "requests.disclosed.total": 1,
        "requests.handled_total.natural_person": 1,
        "requests.handled_total.total": 1,
    }
    note = Note("inferred", "推断", "inferred", "requests.disclosed.natural_person")
    return Example(
        "推断", cells, notes=(note,), provenance={"requests.disclosed.natural_person": {"how": "inferred"}}
    )


def test_an_inferred_cell_that_breaks_an_identity_is_not_the_agencys_error() -> None:
    found = findings(_inferred(2))
    assert not [f for f in found if f.rule in ARITHMETIC and f.severity is Severity.ERROR]
    assert [f.cells for f in found if f.rule == "X-UNCHECKED"] == [("requests.disclosed.natural_person",)]


def test_a_scanned_cell_read_uncertainly_is_not_the_agencys_error() -> None:
    # OCR read 自然人 予以公开 as 2 with low confidence: the broken identity is the reader's doubt.
    cells = {**_inferred(2).cells}
    key = "requests.disclosed.natural_person"
    where = {"page": 1, "ocr": 0.62}
    note = Note("ocr-uncertain", "文字识别置信度低", "low OCR confidence", key, where)
    found = findings(Example("扫描", cells, notes=(note,), provenance={key: where}))
    assert not [f for f in found if f.rule in ARITHMETIC and f.severity is Severity.ERROR]
    assert [f.cells for f in found if f.rule == "X-UNCHECKED"] == [(key,)]
    # The same value printed, without the reader's doubt, is the agency's error.
    printed = findings(Example("打印", cells, provenance={key: {"page": 1}}))
    assert [f for f in printed if f.rule in ARITHMETIC and f.severity is Severity.ERROR]


def test_an_inferred_cell_that_fits_needs_no_second_word() -> None:
    found = findings(_inferred(1))
    assert "X-UNCHECKED" not in rules(found) and "X-INFERRED" in rules(found)
    assert not [f for f in found if f.rule in ARITHMETIC]


def test_narrative_against_an_inferred_cell_is_only_a_notice() -> None:
    example = _inferred(1)
    cells = {**example.cells, "requests.received.natural_person": 1}
    figure = Figure("requests_received", 4, "本年共收到申请4件。", {"section": "一"})
    provenance = {"requests.received.total": {"how": "inferred"}}
    notes = (Note("inferred", "推断", "inferred", "requests.received.total"),)
    found = findings(Example("推断", cells, figures=(figure,), notes=notes, provenance=provenance))
    assert [f.severity for f in found if f.rule == "R11"] == [Severity.NOTICE]


# -- R11: received may include last year's carry-over -----------------------------------------


CARRIED_IN = {
    "requests.received.natural_person": 3,
    "requests.received.total": 3,
    "requests.carried_over.natural_person": 2,
    "requests.carried_over.total": 2,
    "requests.disclosed.natural_person": 5,
    "requests.disclosed.total": 5,
    "requests.handled_total.natural_person": 5,
    "requests.handled_total.total": 5,
}


def _said(count: int) -> list[Finding]:
    figure = Figure("requests_received", count, f"本年共收到政府信息公开申请{count}件。", {"section": "一"})
    return [f for f in findings(Example("收到申请", CARRIED_IN, figures=(figure,))) if f.rule == "R11"]


def test_received_may_count_new_requests_only() -> None:
    assert _said(3) == []


def test_received_may_count_new_plus_carried_over() -> None:
    assert _said(5) == []


def test_received_matching_neither_reading_is_an_error_that_names_both() -> None:
    found = _said(7)
    assert [f.severity for f in found] == [Severity.ERROR]
    assert "3" in found[0].message_zh and "5" in found[0].message_zh


# -- part headings ---------------------------------------------------------------------------


def test_a_table_row_is_not_part_fours_heading() -> None:
    text = (
        "三、收到和处理政府信息公开申请情况\n"
        "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n"
        "五、存在的主要问题及改进情况\n"
    )
    report, context = build(Example("缺第四部分", sections={"四": None}, text=text))
    parts = [f for f in check(report, context) if f.rule == "R8"]
    assert [(f.severity, f.message_zh.split("（")[0]) for f in parts] == [(Severity.ERROR, "未找到第四部分")]


RESTARTED = (
    "XX局2023年政府信息公开工作年度报告\n一、总体情况\n"
    + PART_ONE
    + "\n一、主动公开情况\n二、依申请公开情况\n三、政府信息管理情况\n四、平台建设情况\n五、监督保障情况\n"
    "二、主动公开政府信息的情况\n三、收到和处理政府信息公开申请的情况\n四、行政复议、行政诉讼情况\n"
    "五、存在的主要问题及改进措施\n六、其他需报告的事项\n"
)


def test_numbering_restarted_in_part_one_is_one_finding_not_six() -> None:
    sections = {n: None for n in ("二", "三", "四", "五", "六")}
    report, context = build(Example("重新编号", sections={"一": PART_ONE, **sections}, text=RESTARTED))
    found = check(report, context)
    assert [f.rule for f in found if f.rule == "S-RESTART"] == ["S-RESTART"]
    assert "一、主动公开情况" in next(f for f in found if f.rule == "S-RESTART").message_zh
    parts = [f.message_zh for f in found if f.rule == "R8"]
    printed = [
        "二、主动公开政府信息的情况",
        "三、收到和处理政府信息公开申请的情况",
        "四、行政复议、行政诉讼情况",
    ]
    assert len(parts) == 5 and all(f"印为“{p}" in m for p, m in zip(printed, parts, strict=False))
    assert not [f for f in found if f.rule == "S-ORDER"]


# -- the new text rules ----------------------------------------------------------------------


def _part_five(text: str) -> list[str]:
    return rules(findings(Example("第五部分", sections={"五": text})))


def test_a_word_typed_twice_is_flagged() -> None:
    found = findings(
        Example("重复", sections={"五": "存在的问题：资金资金信息公开不够全面。改进措施：下一步将加强培训。"})
    )
    doubled = [f for f in found if f.rule == "S-DOUBLED"]
    assert len(doubled) == 1 and "资金资金" in doubled[0].message_zh


def test_reduplication_is_not_a_typing_slip() -> None:
    text = (
        "存在的问题：常常人人天天年年各个环节认认真真，一个一个落实，但公开不够全面。"
        "改进措施：下一步将加强培训。"
    )
    assert "S-DOUBLED" not in _part_five(text)


def test_two_numbering_systems_in_one_list() -> None:
    mixed = PART_ONE + "（一）主动公开。（二）依申请公开。3.平台建设。"
    found = findings(Example("混用", sections={"一": mixed}))
    assert [f.rule for f in found if f.rule == "S-MIXED-NUMBERING"] == ["S-MIXED-NUMBERING"]
    nested = PART_ONE + "（一）主动公开。1.网站。2.新媒体。（二）依申请公开。1.登记。2.答复。3.归档。"
    assert "S-MIXED-NUMBERING" not in rules(findings(Example("分级", sections={"一": nested})))


DIGITS = "一二三四五六七八九"
# Every ordinal of at most two characters, with its value: 一…九, 十, 十一…十九, 一十…九十.
ORDINALS = (
    {d: i for i, d in enumerate(DIGITS, 1)}
    | {"十": 10}
    | {"十" + d: 10 + i for i, d in enumerate(DIGITS, 1)}
    | {d + "十": 10 * i for i, d in enumerate(DIGITS, 1)}
)


@given(
    st.lists(
        st.sampled_from(
            [*DIGITS, "十", "十二", "五十", "、", "．", ".", "（", "）", "。", "\n", " ", "3", "公开情况"]
        )
    )
)
@settings(max_examples=300, deadline=None)
def test_any_run_of_numerals_is_read_as_an_ordinal_or_not_at_all(pieces: list[str]) -> None:
    """Parts and items are numbered by ordinals; "八五、" or "十十、" is none, and the checks go on."""
    text = "".join(pieces)
    report, context = build(Example("序号", text=text))
    check(report, context)
    for item in items(text):
        if item.style in ("一、", "（一）"):
            assert ORDINALS[re.sub(r"[\s（()）、．]", "", item.printed)] == item.value
    for heading in candidates(text):
        assert ORDINALS[heading.printed.split("、")[0]] == heading.value


def _one_style(
    text: str, style: str, pattern: re.Pattern[str], fence: Callable[[str], bool] | None
) -> list[tuple[int, int, str, str]]:
    """The items of one style, found the slow, obvious way: try every position from the left,
    keep a match whose fence holds, and go on after it."""
    found, position = [], 0
    while position < len(text):
        match = pattern.match(text, position)
        if match and (fence is None or position == 0 or fence(text[position - 1])):
            found.append((match.start(), match.end(), style, match.group().strip()))
            position = match.end()
        else:
            position += 1
    return found


@given(st.lists(st.sampled_from([*DIGITS, "十", "1", "12", "123", *"、．.（）()。：\n “", "公开"])))
@settings(max_examples=500, deadline=None)
def test_items_are_what_trying_every_position_finds(pieces: list[str]) -> None:
    """`items` skips ahead with `re` and retries after a refused fence: it finds exactly the items
    that trying every position of the text, style by style, finds."""
    text = "".join(pieces)
    expected = sorted(item for style in STYLES for item in _one_style(text, *style))
    assert [(i.start, i.end, i.style, i.printed) for i in items(text)] == expected


def test_part_ordinals_out_of_sequence() -> None:
    text = "一、总体情况\n二、主动公开政府信息情况\n四、收到和处理政府信息公开申请情况\n"
    found = findings(Example("序号", text=text, sections={"三": None}))
    order = [f for f in found if f.rule == "S-ORDER"]
    assert len(order) == 1 and "第三部分" in order[0].message_zh


FORWARD = {
    "requests.received.natural_person": 2,
    "requests.received.total": 2,
    "requests.disclosed.natural_person": 1,
    "requests.disclosed.total": 1,
    "requests.handled_total.natural_person": 1,
    "requests.handled_total.total": 1,
    "requests.carried_forward.natural_person": 1,
    "requests.carried_forward.total": 1,
}


def _finished(text: str, cells: dict[str, int] = FORWARD) -> list[Finding]:
    sections = {"六": text + "1件结转下年度办理。本年度未收取信息处理费。"}
    return [f for f in findings(Example("办结", cells, sections=sections)) if f.rule == "S-ALL-FINISHED"]


def test_all_finished_contradicts_a_carry_forward() -> None:
    for claim in ("收到的申请已全部办结。", "申请均已办结。", "申请均按时办结。", "按时办结率100%。"):
        found = _finished(claim)
        assert [f.severity for f in found] == [Severity.WARNING], claim


def test_all_finished_is_true_without_a_carry_forward_or_about_last_year() -> None:
    none_forward = {
        **FORWARD,
        "requests.carried_forward.natural_person": 0,
        "requests.carried_forward.total": 0,
    }
    none_forward |= {"requests.disclosed.natural_person": 2, "requests.disclosed.total": 2}
    none_forward |= {"requests.handled_total.natural_person": 2, "requests.handled_total.total": 2}
    assert _finished("申请均已办结。", none_forward) == []
    assert _finished("上年结转的2件申请均已办结。") == []
    assert _finished("上年无结转申请。") == []
    assert len(_finished("本年度无结转申请。")) == 1


def test_a_part_heading_in_another_numbering_system() -> None:
    text = (
        "一、总体情况\n二、主动公开政府信息情况\n3.收到和处理政府信息公开申请情况\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
    )
    found = findings(Example("部分序号混用", text=text, sections={"三": None}))
    mixed = [f for f in found if f.rule == "S-MIXED-NUMBERING"]
    assert len(mixed) == 1 and "3.收到和处理政府信息公开申请情况" in mixed[0].message_zh
    parts = [f for f in found if f.rule == "R8"]
    assert [f.severity for f in parts] == [Severity.WARNING] and "印为“3.收到和处理" in parts[0].message_zh


def test_carry_over_against_an_inferred_cell_is_not_an_agency_error() -> None:
    last = Example(
        "上年", {"requests.carried_forward.natural_person": 1, "requests.carried_forward.total": 1}
    )
    last = Example(
        "上年", last.cells | {"requests.received.natural_person": 1, "requests.received.total": 1}, year=2022
    )
    provenance = {"requests.carried_over.natural_person": {"how": "inferred"}}
    cell = ("requests.carried_over.natural_person",)
    inferred = Example("推断", previous=last, provenance=provenance)
    assert [f.cells for f in findings(inferred) if f.rule == "R5"] == [("requests.carried_over.total",)]
    assert cell in [f.cells for f in findings(Example("按原样", previous=last)) if f.rule == "R5"]
