"""Layout quirks of real reports, each reduced to the smallest case that shows it."""

from __future__ import annotations

import itertools
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.extraction import extract
from gongkai.extraction.solve import distribute
from gongkai.extraction.stream import CELL_SEP, Stream
from gongkai.reading import load_bytes
from gongkai.reading.document import Cell, Document, Loc
from gongkai.report import Report
from gongkai.writing import write

from .conftest import CORPUS

SEED = CORPUS / "seeds" / "000_e754f61d84ee7fec.txt"
FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789.()"}


def read_text(text: str) -> Report:
    return extract(load_bytes(text.encode("utf-8"), "case.txt"))


def sample() -> Report:
    report = Report.from_json(json.loads((CORPUS / "real" / "hzq2024_working.gold.json").read_text("utf-8")))
    report.sections = {}
    return report


def test_a_superscript_or_circled_digit_is_not_a_value() -> None:
    """`str.isdigit` accepts "²" and "③", which `int` refuses: such a cell is no number, not a crash."""
    text = write(Report.blank("2021", zero=True), "text").decode("utf-8")
    text = text.replace("\t0\t0\t0\n", "\t²\t0\t0\n", 1).replace("\t0\t0\t0\n", "\t③\t0\t0\n", 1)
    read = extract(load_bytes(text.encode("utf-8"), "r.txt"))
    assert [n for n in read.notes if n.code in ("bad-value", "no-values", "undecidable", "missing-row")]
    assert not any(entry.get("text") in ("²", "③") for entry in read.provenance.values())


def test_full_width_digits_and_brackets_read_like_ascii() -> None:
    original = SEED.read_text(encoding="utf-8")
    assert read_text(original.translate(FULL_WIDTH)).canonical() == read_text(original).canonical()


def test_crawler_text_with_no_separators_is_split_by_the_tables_identities() -> None:
    report = sample()
    text = write(report, "txt").decode("utf-8")
    run_together = text.replace("\t", "").replace("\n", "")
    read = read_text(run_together)
    assert read.requests == report.requests  # 95 0 0 0 0 0 95 -> "950000095": only one split adds up
    assert read.appeals == report.appeals
    how = {p.get("how") for k, p in read.provenance.items() if k.startswith("requests.")}
    assert "split" in how


def test_digits_that_admit_several_splits_are_left_null_and_reported() -> None:
    report = sample()
    text = write(report, "txt").decode("utf-8").replace("3\t0\t8", "1077")
    read = read_text(text.replace("\t", ""))
    assert read.proactive["normative_documents"] == {"issued": None, "repealed": None, "in_force": None}
    notes = [n for n in read.notes if n.code == "undecidable" and n.cell == "proactive.normative_documents"]
    assert len(notes) == 1 and "1077" in notes[0].message_zh


def test_a_lost_cell_is_inferred_only_when_the_identities_fix_it() -> None:
    report = sample()
    text = write(report, "txt").decode("utf-8")
    # 31 0 0 0 0 0 31 printed with a cell lost: the gap can only be a 0 among the org columns.
    lost = text.replace(
        "1.本机关不掌握相关政府信息\t31\t0\t0\t0\t0\t0\t31", "1.本机关不掌握相关政府信息\t31\t0\t0\t0\t0\t31"
    )
    assert lost != text
    read = read_text(lost)
    assert read.requests["unavailable_not_held"] == report.requests["unavailable_not_held"]
    assert any(n.code == "inferred" for n in read.notes)
    # 1 1 0 0 2 with the first 1 lost: "1 0 0 2" fits two gaps (upheld or corrected) -> undecided.
    ambiguous = text.replace("1\t1\t0\t0\t2\t1\t0", "1\t0\t0\t2\t1\t0")
    read = read_text(ambiguous)
    assert read.appeals["reconsideration"]["upheld"] is None
    assert any(n.code == "undecidable" for n in read.notes)


def test_numbers_on_the_line_after_their_label() -> None:
    report = sample()
    text = write(report, "txt").decode("utf-8")
    moved = text.replace("1.属于国家秘密\t0", "1.属于国家秘密\t\t\t\t\n\t\t0")
    assert moved != text
    assert read_text(moved).requests == report.requests


def test_a_missing_row_is_null_and_noted() -> None:
    report = sample()
    text = write(report, "txt").decode("utf-8")
    read = read_text(text.replace("规章\t0\t0\t0\n", ""))
    assert read.proactive["rules"] == {"issued": None, "repealed": None, "in_force": None}
    assert any(n.code == "missing-row" and n.cell == "proactive.rules" for n in read.notes)


def splits(digits: str, parts: int, total_last: bool = False) -> set[tuple[int | None, ...]]:
    """The readings of one run of digits as `parts` cells."""
    return {vector for vector, _ in distribute([digits], [True], parts, total_last)}


def test_splits_never_write_leading_zeros() -> None:
    assert splits("801000081", 7) >= {(80, 1, 0, 0, 0, 0, 81)}
    assert all(not (str(v).startswith("0") and v != 0) for s in splits("100200", 3) for v in s)
    assert splits("0000000", 7) == {(0,) * 7}
    readings = {v for v, _ in distribute(["10", "0", "0", "0", "01"], [True] * 5, 7)}
    assert readings == {(1, 0, 0, 0, 0, 0, 1)}


def test_digits_with_more_readings_than_the_cap_are_too_ambiguous() -> None:
    report = sample()
    text = write(report, "txt").decode("utf-8").replace("\t", "")
    row = "".join(str(v) for v in report.requests["disclosed"].values())
    assert "（一）予以公开" + row in text
    read = read_text(text.replace("（一）予以公开" + row, "（一）予以公开" + "1" * 36, 1))
    assert read.requests["disclosed"] == dict.fromkeys(report.requests["disclosed"])
    notes = [n for n in read.notes if n.cell == "requests.disclosed"]
    assert len(notes) == 1 and "过于含糊" in notes[0].message_zh


def test_values_printed_before_their_labels_are_dealt_across_rows_that_seem_to_fit() -> None:
    report = sample()
    text = write(report, "txt").decode("utf-8")
    # 84 is printed before its label (行政处罚 looks two values long, 行政强制 none), and the
    # fee before its own label, which makes 行政强制 look like it has one value: the fee.
    moved = text.replace("行政强制\t84\t\t", "84\n行政强制").replace(
        "行政事业性收费\t7545\t\t", "7545\n行政事业性收费"
    )
    moved = moved.replace("行政处罚\t2776\t\t\n84", "行政处罚\t2776\n84")
    assert "84\n行政强制" in moved and "7545\n行政事业性收费" in moved
    # A cell lost from 规章 keeps the table's count from matching, so only those rows are dealt.
    moved = moved.replace("规章\t0\t0\t0", "规章\t0\t0")
    read = read_text(moved)
    assert read.proactive["rules"] == dict.fromkeys(report.proactive["rules"])
    assert {k: v for k, v in read.proactive.items() if k != "rules"} == {
        k: v for k, v in report.proactive.items() if k != "rules"
    }
    assert read.provenance["proactive.coercion.decisions"]["how"] == "detached"


def readings_by_cuts(pieces: list[str], parts: int) -> set[tuple[int, ...]]:
    """Every reading, the plain way: choose the cut positions, then drop numbers with leading zeros."""
    digits = "".join(pieces)
    forced = {sum(map(len, pieces[: i + 1])) for i in range(len(pieces) - 1)}
    free = [p for p in range(1, len(digits)) if p not in forced]
    found = set()
    for chosen in itertools.combinations(free, parts - 1 - len(forced)):
        cuts = [0, *sorted({*chosen, *forced}), len(digits)]
        numbers = [digits[a:b] for a, b in itertools.pairwise(cuts)]
        if all(n == "0" or not n.startswith("0") for n in numbers):
            found.add(tuple(map(int, numbers)))
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 120), min_size=3, max_size=6), st.booleans())
def test_cutting_the_total_first_finds_exactly_the_readings_whose_parts_sum_to_it(
    parts: list[int], spaced: bool
) -> None:
    row = [*parts, sum(parts)]
    pieces = [str(v) for v in row] if spaced else ["".join(str(v) for v in row)]
    summing = {v for v in readings_by_cuts(pieces, len(row)) if sum(v[:-1]) == v[-1]}
    found = {v for v, _ in distribute(pieces, [True] * len(pieces), len(row), total_last=True)}
    assert tuple(row) in found
    assert found == summing


def test_a_long_run_together_total_row_is_read_within_the_budget() -> None:
    # 22 digits into 7 cells: about 10^5 cuts, too many to walk one by one; one sums to its total.
    assert splits("1299146219195841312074", 7, total_last=True) == {(1299, 146, 219, 195, 84, 131, 2074)}


@given(st.lists(st.lists(st.text("0１a号\t |-—", max_size=4), max_size=4), max_size=8))
@settings(max_examples=200, deadline=None)
def test_the_stream_places_every_cell_where_its_text_is(rows: list[list[str]]) -> None:
    """Cells joined by the unit separator, lines by newlines (an empty line is a newline and no
    cell): each cell's offsets hold its text and the separator after it."""
    lines = [[Cell(text, Loc(line=number)) for text in row] for number, row in enumerate(rows, 1)]
    stream = Stream.of(Document(path="d.txt", kind="text", lines=lines))
    assert stream.text == "\n".join(CELL_SEP.join(row) for row in rows) + "\n"
    assert stream.texts == [text for row in rows for text in row]
    for index, text in enumerate(stream.texts):
        assert stream.text[stream.starts[index] : stream.ends[index]] == text
        assert stream.text[stream.ends[index]] == (CELL_SEP if index + 1 < stream.line_end[index] else "\n")
    assert stream.cells == [cell for line in lines for cell in line]
    assert stream.line_of == [number for number, line in enumerate(lines) for _ in line]
