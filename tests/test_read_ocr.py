"""Scans: a seed report rendered, rasterised at 200 dpi, turned and noised, then read back by OCR.

Two pages of seed 000 (the narrative with the title, and the page with tables 二 and 三) as an
image-only PDF: every table cell on them reads back equal to gold, or is flagged in the notes.
The engine is also shown to need no network, and the caps to refuse before any OCR runs. A random
valid report (non-zero values) is read from a phone photo of its table page and from an unruled
scan of it: every cell is exact or flagged, none silently wrong.
"""

from __future__ import annotations

import io
import json
import random
import socket
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

import gongkai
from gongkai import scan_review
from gongkai.extraction import extract
from gongkai.formats import CellRef
from gongkai.reading import ReadError, load_bytes, ocr, sniff
from gongkai.reading.document import Cell, Line, Loc
from gongkai.report import Report

from .conftest import CORPUS
from .generated.corpus import random_report
from .scans import as_pdf, as_png, as_tiff, photo, rasterise, rendered_pdf, scan, score, unruled_pdf

GOLD = CORPUS / "seeds/000_e754f61d84ee7fec.gold.json"
DPI = 200
# Rows of table 三 printed on page 2 of the rendered seed; the rest continue on page 3.
PAGE_2_ROWS = ("received", "carried_over", "disclosed", "partly_disclosed", "withheld_state_secret")


@pytest.fixture(scope="module")
def scanned() -> bytes:
    return as_pdf(scan(rendered_pdf(GOLD), DPI, seed=7, pages=[1, 2]), DPI)


@pytest.fixture(scope="module")
def report(scanned: bytes) -> Report:
    document = load_bytes(scanned, "scan.pdf")
    assert document.kind == "scan"
    return scan_review.review(extract(document))


def test_scan_reads_back_as_gold_or_flagged(report: Report) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert (report.agency, report.year) == (gold["agency"], gold["year"])
    flagged = {note.cell for note in report.notes if note.code.startswith("ocr-")}
    cells = [("proactive", row, column) for row, columns in gold["proactive"].items() for column in columns]
    cells += [("requests", row, column) for row in PAGE_2_ROWS for column in gold["requests"][row]]
    wrong = [
        (table, row, column)
        for table, row, column in cells
        if report.get(CellRef(table, row, column)) != gold[table][row][column]
        and f"{table}.{row}.{column}" not in flagged
    ]
    assert wrong == []
    assert report.get(CellRef("requests", "received", "total")) == gold["requests"]["received"]["total"]


def test_scan_cells_carry_page_box_and_confidence(report: Report) -> None:
    where = report.provenance["requests.received.total"]
    assert where["page"] == 2
    x0, y0, x1, y1 = where["bbox"]
    assert 0 < x0 < x1 < 595 and 0 < y0 < y1 < 842  # points on A4, as the PDF reader gives
    assert 0.5 < where["ocr"] <= 1.0


def test_photo_of_a_page_is_read() -> None:
    page = scan(rendered_pdf(GOLD), DPI, seed=3, pages=[1])[0]
    data = as_png(page, DPI)
    assert sniff(data) == "image"
    document = load_bytes(data, "photo.png")
    assert document.kind == "scan"
    assert any("年度报告" in cell.text for line in document.lines[:3] for cell in line)


def test_ocr_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    ocr._engine.cache_clear()
    image = Image.new("L", (600, 120), 255)
    font = ImageFont.truetype(_cjk_font(), 48)
    ImageDraw.Draw(image).text((20, 30), "行政许可 95", fill=0, font=font)
    lines = load_bytes(as_png(image, 150), "x.png").lines
    texts = [cell.text for cell in lines[0]]
    assert texts[0].startswith("行政许可") and texts[-1] == "95"


def _cjk_font() -> str:
    fonts = sorted(Path("/usr/share/fonts").rglob("NotoSansCJK-Regular.tt*"))
    assert fonts, "fonts-noto-cjk (installed by scripts/setup) is needed to draw the test image"
    return str(fonts[0])


@pytest.mark.parametrize(
    ("text", "cells"),
    [
        ("0", [("0", None)]),
        ("O", [("0", "O")]),
        ("1O5", [("105", "1O5")]),
        ("l2", [("12", "l2")]),
        ("０ ７", [("0", None), ("7", None)]),
        ("1. 属于国家秘密", [("1.属于国家秘密", None)]),
        ("行政 许可 95", [("行政许可", None), ("95", None)]),
        ("一、本年新收", [("一、本年新收", None)]),
        ("Office", [("Office", None)]),
        ("(一)子以公开", [("(一)予以公开", "(一)子以公开")]),
        ("(五)不子处理", [("(五)不予处理", "(五)不子处理")]),
        ("子女", [("子女", None)]),  # not a label: kept as read
    ],
)
def test_lookalikes_are_read_as_digits_or_labels_and_remembered(
    text: str, cells: list[tuple[str, str | None]]
) -> None:
    assert ocr._cells(text) == cells


@given(st.integers(min_value=0, max_value=10**9), st.data())
def test_a_number_with_lookalike_glyphs_reads_as_the_number(number: int, data: st.DataObject) -> None:
    printed = str(number)
    assert ocr._cells(printed) == [(printed, None)]
    glyphs = {"0": "OoD〇", "1": "lI|丨"}
    seen = "".join(
        data.draw(st.sampled_from(glyphs[c])) if c in glyphs and data.draw(st.booleans()) else c
        for c in printed
    )
    if len(seen) > 1 and not any(c.isdigit() for c in seen):
        # "lO" could be a word as well as 10: without one real digit the reader keeps it as seen.
        assert ocr._cells(seen) == [(seen, None)]
    else:
        assert ocr._cells(seen) == [(printed, None if seen == printed else seen)]


def test_review_flags_uncertain_cells_and_broken_identities() -> None:
    report = Report.blank("2021", zero=True)
    report.set(CellRef("requests", "received", "natural_person"), 8)  # total stays 0: broken
    report.provenance["requests.received.natural_person"] = {"page": 2, "ocr": 0.99, "ocr_read": "B"}
    report.provenance["requests.carried_over.total"] = {"page": 2, "ocr": 0.42}
    report.provenance["requests.disclosed.total"] = {"page": 2, "ocr": 0.99}
    scan_review.review(report)
    uncertain = {note.cell for note in report.notes if note.code == "ocr-uncertain"}
    assert uncertain == {"requests.received.natural_person", "requests.carried_over.total"}
    broken = [note for note in report.notes if note.code == "ocr-identity"]
    assert broken and all("核实" in note.message_zh for note in broken)
    assert any("requests.received.natural_person" in note.message_en for note in broken)


def test_text_reports_get_no_ocr_notes() -> None:
    report = gongkai.read(CORPUS / "seeds/000_e754f61d84ee7fec.txt")
    assert not [note for note in report.notes if note.code.startswith("ocr-")]


def test_too_many_pages_are_refused_before_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "MAX_PAGES", 2)
    blank = Image.new("L", (50, 50), 255)
    with pytest.raises(ReadError, match="too many scanned pages") as error:
        load_bytes(as_tiff([blank] * 3, 100), "many.tif")
    assert "页数过多" in error.value.zh


def test_huge_image_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "MAX_PIXELS", 100)
    with pytest.raises(ReadError, match="too large") as error:
        load_bytes(as_png(Image.new("L", (20, 20), 255), 100), "big.png")
    assert "过大" in error.value.zh


def test_time_limit_stops_a_long_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "MAX_SECONDS", -1.0)
    with pytest.raises(ReadError, match="timed out") as error:
        load_bytes(as_png(Image.new("L", (20, 20), 255), 100), "slow.png")
    assert "超时" in error.value.zh


def test_damaged_image_is_a_read_error() -> None:
    data = as_png(Image.new("L", (20, 20), 255), 100)[:40]
    with pytest.raises(ReadError) as error:
        load_bytes(data, "broken.png")
    assert "图" in error.value.zh


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "TIFF"])
def test_images_are_sniffed_by_content(kind: str) -> None:
    buffer = io.BytesIO()
    Image.new("L", (8, 8), 255).save(buffer, kind)
    assert sniff(buffer.getvalue()) == "image"
    assert sniff(b"BMW annual report") == "text"


@pytest.fixture(scope="module")
def valued() -> Report:
    """A valid report with values small, large and zero, so that a value in the wrong column shows."""
    return random_report(random.Random(3), "2021")


def _read_page(data: bytes, name: str, gold: Report) -> tuple[int, int, int, int]:
    return score(scan_review.review(extract(load_bytes(data, name))), gold.canonical())


def test_phone_photo_of_a_table_page_reads_exact_or_flagged(valued: Report) -> None:
    """Perspective, uneven light, blur and a desk around the page: the page is cut out, flattened
    and read; every cell of table 三 on it reads exactly, and none is silently wrong."""
    page = rasterise(rendered_pdf(valued), DPI, [2])[0]
    _, exact, flagged, silent = _read_page(photo(page, seed=4), "photo.jpg", valued)
    assert silent == 0
    assert exact >= 140, (exact, flagged)


def test_unruled_table_page_reads_exact_or_flagged(valued: Report) -> None:
    """Tables printed without any ruling (cells aligned by white space only) read as well."""
    page = scan(unruled_pdf(valued), DPI, seed=5, pages=[2])[0]
    _, exact, flagged, silent = _read_page(as_png(page, DPI), "unruled.png", valued)
    assert silent == 0
    assert exact >= 140, (exact, flagged)


def _ocr_line(*cells: tuple[str, float | None]) -> Line:
    return [Cell(text, Loc(page=1, ocr=score)) for text, score in cells]


def test_a_name_read_two_ways_takes_the_spelling_the_document_backs() -> None:
    """沭/沐 are both real in place names: the scan's own other readings of the name decide."""
    lines = [
        _ocr_line(("沭阳县人民政府2023年政府信息公开工作年度报告", 0.97)),
        _ocr_line(("沐阳县人民政府办公室负责本机关", 0.80), ("95", 0.99)),
        _ocr_line(("沭阳县人民政府", 0.93)),
        _ocr_line(("沐川县交通运输局", 0.95)),  # another name: no evidence against it
        [Cell("沐阳县", Loc(line=9))],  # not read by OCR: never rewritten
    ]
    fixed = ocr.harmonise(lines)
    assert [cell.text for line in fixed for cell in line] == [
        "沭阳县人民政府2023年政府信息公开工作年度报告",
        "沭阳县人民政府办公室负责本机关",
        "95",
        "沭阳县人民政府",
        "沐川县交通运输局",
        "沐阳县",
    ]
    assert fixed[1][0].loc.ocr_read == "沐阳县人民政府办公室负责本机关"
    assert fixed[0][0] is lines[0][0] and fixed[3][0] is lines[3][0]


@given(st.lists(st.tuples(st.sampled_from("沭沐"), st.integers(50, 100)), min_size=1, max_size=8))
def test_harmonised_names_agree_or_are_left_as_read(readings: list[tuple[str, int]]) -> None:
    lines = [_ocr_line((f"{char}阳县人民政府", score / 100)) for char, score in readings]
    fixed = [line[0] for line in ocr.harmonise(lines)]
    weight = {char: sum(score for c, score in readings if c == char) for char in "沭沐"}
    if weight["沭"] == weight["沐"] or 0 in weight.values():
        assert fixed == [line[0] for line in lines]
    else:
        winner = max(weight, key=lambda char: weight[char])
        assert {cell.text[0] for cell in fixed} == {winner}
        pairs = zip(fixed, (line[0] for line in lines), strict=True)
        assert all(cell.loc.ocr_read == old.text for cell, old in pairs if cell.text != old.text)


def test_review_asks_to_check_a_name_with_a_lookalike() -> None:
    report = Report.blank("2021", zero=True)
    report.agency = "沐阳县人民政府"
    report.provenance["requests.received.total"] = {"page": 2, "ocr": 0.99}
    scan_review.review(report)
    names = [note for note in report.notes if note.code == "ocr-name"]
    assert len(names) == 1 and "“沐”与“沭”" in names[0].message_zh and names[0].cell == "agency"
    report = Report.blank("2021", zero=True)
    report.agency = "沐阳县人民政府"  # typed, not scanned: no OCR doubt
    assert not scan_review.review(report).notes
