"""Comparison with last year: every cell's change, carry-over and in-force breaks, copied passages."""

from __future__ import annotations

import io
import shutil
from itertools import groupby
from operator import itemgetter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.checks import Context, check
from gongkai.checks.history import MIN_PASSAGE, SHINGLE, _normal, similarity
from gongkai.checks.model import Finding, Severity
from gongkai.checks.whose import Whose, whose
from gongkai.compare import compare
from gongkai.formats import CellRef
from gongkai.report import Note, Report

from .strategies import distinct_report

LAST_ONE = (
    "本机关坚持以公开为常态、不公开为例外，围绕中心工作，持续深化政务公开，全年共主动公开政府信息 120 条。"
)
NEW_ONE = "今年重点做好政策解读工作，新建了三个专题栏目。"
LAST_FIVE = "存在的主要问题是政策解读形式比较单一，下一步将丰富解读形式，提升解读质量，增强群众获得感。"


def pair() -> tuple[Report, Report]:
    previous = distinct_report("2021", year=2022)
    current = distinct_report("2021", year=2023)
    previous.sections = {"一": LAST_ONE, "五": LAST_FIVE}
    current.sections = {"一": NEW_ONE + LAST_ONE.replace("120", "135"), "五": "今年没有发现问题。"}
    return current, previous


def test_every_cell_with_its_change() -> None:
    current, previous = pair()
    current.set(CellRef("requests", "received", "total"), 500)
    comparison = compare(current, previous)
    assert len(comparison.cells) == len(current.cells())
    change = {str(c.ref): c for c in comparison.cells}["requests.received.total"]
    assert (change.before, change.now, change.change) == (previous.get(change.ref), 500, 500 - change.before)  # type: ignore[operator]
    fees = {str(c.ref): c for c in comparison.cells}["proactive.fees.amount_10k_yuan"]
    assert fees.change == 0 and fees not in comparison.changed()


def test_a_carry_over_break_and_an_in_force_break_are_found() -> None:
    current, previous = pair()
    for column in ("natural_person", "total"):
        now = previous.get(CellRef("requests", "carried_forward", column))
        shifted = int(now or 0) + (1 if column == "total" else 0)
        current.set(CellRef("requests", "carried_over", column), shifted)
    comparison = compare(current, previous)
    rules = {(f.rule, f.cells[0]) for f in comparison.continuity}
    assert ("R5", "requests.carried_over.total") in rules
    assert ("R5", "requests.carried_over.natural_person") not in rules
    assert {f.rule for f in comparison.continuity} == {"R5", "R17"}  # distinct cells break in-force too


def test_copied_passages_are_marked_with_the_similarity_r15_uses() -> None:
    current, previous = pair()
    one, five = compare(current, previous).parts
    copied = "".join(r.text for r in one.now if r.copied)
    assert NEW_ONE not in copied and "持续深化政务公开" in copied
    assert "".join(r.text for r in one.now) == current.sections["一"]  # nothing lost in the marking
    assert all(r.copied for r in one.before if "围绕中心工作" in r.text)
    assert 0.5 < one.similarity < 1 and 0.5 < one.copied_share < 1
    assert five.similarity == 0 and not any(r.copied for r in five.now)


def test_findings_have_stable_fingerprints_and_say_whose_they_are() -> None:
    current, previous = pair()
    current.set(CellRef("requests", "handled_total", "total"), 1)
    current.notes = [Note("inferred", "推断", "inferred", "proactive.rules.issued")]
    # A read report: provenance for what the reader found (here table 三 as printed), one cell inferred.
    current.provenance = {"proactive.rules.issued": {"how": "inferred"}, "requests.handled_total.total": {}}
    first = check(current, Context(previous=previous))
    again = check(current, Context(previous=previous))
    assert [f.fingerprint for f in first] == [f.fingerprint for f in again]
    assert len({f.fingerprint for f in first}) == len(first)
    r2 = next(f for f in first if f.rule == "R2" and "requests.handled_total.total" in f.cells)
    assert r2.fingerprint.startswith("R2|requests|") and "requests.handled_total.total" in r2.fingerprint
    current.set(CellRef("requests", "handled_total", "total"), 2)  # a different fault, a different print
    assert r2.fingerprint not in {f.fingerprint for f in check(current, Context(previous=previous))}
    assert whose(r2, current) is Whose.AGENCY
    inferred = next(f for f in first if f.rule == "X-INFERRED")
    assert whose(inferred, current) is Whose.INFERRED
    current.set(CellRef("requests", "handled_total", "total"), None)
    assert whose(r2, current) is Whose.UNREAD


def test_the_comparison_document_lists_changes_continuity_and_highlights_copied_text() -> None:
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX

    from gongkai.writing import comparison as writer

    current, previous = pair()
    current.set(CellRef("requests", "received", "total"), 500)
    document = Document(io.BytesIO(writer.write(compare(current, previous))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "北关区曙光路街道办事处2023年度与2022年度报告对比" in text and "R17：" in text
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    received = previous.get(CellRef("requests", "received", "total"))
    assert [
        "表三“一、本年新收政府信息公开申请数量”行“总计”列",
        str(received),
        "500",
        f"{500 - received:+}",
    ] in cells  # type: ignore[operator]
    highlighted = "".join(
        run.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
        if run.font.highlight_color == WD_COLOR_INDEX.YELLOW
    )
    assert "持续深化政务公开" in highlighted and NEW_ONE not in highlighted


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_comparison_as_pdf() -> None:
    from gongkai.writing import comparison as writer

    assert writer.pdf(compare(*pair())).startswith(b"%PDF")


def test_a_fingerprint_ignores_wording_but_not_figures() -> None:
    from gongkai.checks import BY_ID

    rule = BY_ID["R5"]
    cell = ["requests.carried_over.total"]
    said = {"value": 3, "year": 2022, "last": 4, "en": cell[0]}
    one = rule.finding("requests", cell, cell="表三“二、上年结转政府信息公开申请数量”行“总计”列", **said)
    reworded = rule.finding("requests", cell, cell="表三“二、上年结转申请量”行“总计”列", **said)
    other = rule.finding("requests", cell, cell="表三“二、上年结转申请量”行“总计”列", **{**said, "last": 5})
    assert one.fingerprint == reworded.fingerprint != other.fingerprint


def test_a_finding_about_a_column_pattern_is_the_agencys_not_an_unread_cell() -> None:
    # T-LABEL names a whole column by a pattern ("proactive.*.repealed"), not a cell that was not read.
    current, _ = pair()
    label = Finding(
        "T-LABEL", Severity.NOTICE, "列名", "column label", "proactive", ("proactive.*.repealed",)
    )
    assert whose(label, current) is Whose.AGENCY


def _covered_runs(text: str, before: str) -> list[str]:
    """Copied passages by their definition: mark every character inside a shingle last year has,
    then take the marked runs of at least MIN_PASSAGE characters."""
    now, old = _normal(text), _normal(before)
    theirs = {old[i : i + SHINGLE] for i in range(len(old) - SHINGLE + 1)}
    covered = [False] * len(now)
    for i in range(len(now) - SHINGLE + 1):
        if now[i : i + SHINGLE] in theirs:
            covered[i : i + SHINGLE] = [True] * SHINGLE
    runs = [
        "".join(ch for ch, _ in group)
        for flag, group in groupby(zip(now, covered, strict=True), key=itemgetter(1))
        if flag
    ]
    return [run for run in runs if len(run) >= MIN_PASSAGE]


@given(st.text("本年度公开政府信息依申请办理答复平台监督，。1 ", max_size=300), st.data())
@settings(max_examples=300, deadline=None)
def test_copied_passages_are_the_runs_covered_by_shared_shingles(text: str, data: st.DataObject) -> None:
    before = data.draw(st.sampled_from([text, text[::-1], text[len(text) // 3 :] + "另外的文字" * 5, ""]))
    copy = similarity(text, before)
    assert list(copy.passages) == _covered_runs(text, before)
