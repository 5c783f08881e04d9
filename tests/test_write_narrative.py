"""Narrative parts: the report's own text when known, otherwise a draft from the numbers only."""

from __future__ import annotations

from gongkai.report import Report
from gongkai.writing.narrative import DRAFT_MARK, parts, title


def test_title_and_headings_follow_the_format() -> None:
    report = Report.blank("2019", zero=True)
    assert title(report) == "（机关名称）（年度）年政府信息公开工作年度报告"
    report.agency, report.year = "上海市人民政府办公厅", 2019
    assert title(report) == "上海市人民政府办公厅2019年政府信息公开工作年度报告"
    headings = [p.heading for p in parts(report)]
    assert headings[4] == "五、政府信息公开工作存在的主要问题及改进情况"
    assert [p.table for p in parts(report)] == ["", "proactive", "requests", "appeals", "", ""]


def test_sections_are_used_as_written() -> None:
    report = Report.blank("2021", zero=True)
    report.sections = {"一": "一、总体情况\n本年度工作情况。\n\n第二段。", "五": "问题。", "六": "其他。"}
    first, *_, fifth, sixth = parts(report)
    assert first.paragraphs == ("本年度工作情况。", "第二段。") and not first.draft
    assert fifth.paragraphs == ("问题。",) and sixth.paragraphs == ("其他。",)


def test_draft_states_only_the_table_numbers() -> None:
    report = Report.blank("2021", zero=True)
    for column, value in (("total", 12),):
        report.requests["received"][column] = value
    report.requests["carried_over"]["total"] = 3
    report.requests["handled_total"]["total"] = 14
    report.requests["carried_forward"]["total"] = 1
    report.appeals["reconsideration"]["total"] = 2
    report.appeals["litigation_direct"]["total"] = 1
    report.proactive["fees"]["amount_10k_yuan"] = "0.0500"
    general, *_, other = parts(report)
    assert general.draft and general.paragraphs[0] == DRAFT_MARK
    text = "".join(general.paragraphs)
    assert "本年度共收到政府信息公开申请12件，上年结转3件，办结14件，结转下年度继续办理1件。" in text
    assert "被申请行政复议2件，提起行政诉讼1件。" in text
    assert "本年收费金额0.0500万元" in "".join(other.paragraphs)


def test_unknown_totals_give_no_sentence() -> None:
    report = Report.blank("2021")  # every cell empty
    text = "".join(parts(report)[0].paragraphs)
    assert "件" not in text.replace("文件", "")
