"""Scan layout without OCR: ruled cells from a drawn table, rows, joined labels, deskew, and a
photographed page cut out of its frame and lit evenly."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from gongkai.reading.layout import (
    A4_WIDTH_INCHES,
    Box,
    Gray,
    cell_of,
    deskew,
    flatten,
    ink_spans,
    page_units,
    rectify,
    ruling,
    skew_angle,
)


def ruled_table() -> Gray:
    """A 1200x900 page with a 3-row table: a label column 100-500 and two value columns to 900."""
    page = np.full((900, 1200), 255, np.uint8)
    for y in (100, 200, 260, 320):
        page[y : y + 2, 100:902] = 0
    for x in (100, 500, 700, 900):
        page[100:322, x : x + 2] = 0
    return page


def box(text: str, x0: float, y0: float, x1: float, y1: float) -> Box:
    return Box(text, 0.99, x0, y0, x1, y1)


def test_cells_rows_and_a_label_wrapped_over_two_lines() -> None:
    rules = ruling(ruled_table())
    boxes = [
        box("标题", 100, 40, 300, 70),  # above the table: a line of its own
        box("（二）部分公开（区分处理的，", 110, 115, 480, 145),
        box("只计这一情形）", 110, 150, 300, 180),
        box("9", 590, 135, 610, 165),
        box("0", 790, 135, 810, 165),
        box("三、本年", 110, 215, 250, 245),
        box("0", 590, 215, 610, 245),
        box("0", 790, 215, 810, 245),
    ]
    assert cell_of(boxes[0], rules) is None
    assert cell_of(boxes[3], rules) is not None
    lines = [[unit.text for unit in line] for line in page_units(boxes, rules)]
    assert lines == [
        ["标题"],
        ["（二）部分公开（区分处理的，只计这一情形）", "9", "0"],
        ["三、本年", "0", "0"],
    ]


def test_prose_between_tall_strokes_above_a_table_is_no_cell() -> None:
    """A large heading's strokes (or 【】) are short vertical runs: with a rule above the prose and
    the table far below, they must not make the prose a cell; the table's own cells stay cells."""
    page = ruled_table()
    page[600 : 600 + 2, 100:902] = 0  # the table now sits below: rules at 600 (top) ...
    page[600:702, 100:102] = page[600:702, 900:902] = 0
    page[700:702, 100:902] = 0
    for x in (150, 850):  # two strokes taller than a ruling line's minimum, beside a line of prose
        page[400:450, x : x + 4] = 0
    rules = ruling(page)
    assert cell_of(box("本年度共收到申请", 200, 410, 800, 440), rules) is None
    assert cell_of(box("0", 590, 135, 610, 165), rules) is not None


def test_two_values_in_one_cell_stay_apart() -> None:
    """Where a faint line was missed, the boxes of two cells share one and are split again as words."""
    rules = ruling(ruled_table())
    units = page_units([box("0", 590, 275, 610, 305), box("7", 790, 275, 810, 305)], rules)
    assert [unit.text for line in units for unit in line] == ["0", "7"]
    no_vertical = ruling(ruled_table())
    no_vertical.vertical[:, 690:712] = False  # the line between the value columns is gone
    merged = page_units([box("0", 590, 275, 610, 305), box("7", 790, 275, 810, 305)], no_vertical)
    assert [unit.text for line in merged for unit in line] == ["0 7"]


@pytest.mark.parametrize("angle", [-1.0, -0.4, 0.0, 0.7, 1.0])
def test_skew_is_measured_and_undone(angle: float) -> None:
    page = ruled_table()
    turned = np.asarray(Image.fromarray(page).rotate(angle, fillcolor=255))
    measured = skew_angle(turned)
    assert measured == pytest.approx(angle, abs=0.15)
    level = deskew(turned, measured)
    rows = (level[:, 150:850] < 128).sum(axis=1)
    assert rows.max() > 600  # a ruling line lies in (almost) one pixel row again


def test_faint_ruling_is_found_by_its_contrast() -> None:
    """A photo's lines are grey, not black: a line 70 levels darker than the paper is still a line."""
    page = ruled_table()
    faint = np.where(page == 0, 180, 250).astype(np.uint8)
    rules = ruling(faint)
    assert cell_of(box("0", 590, 215, 610, 245), rules) == cell_of(box("0", 590, 215, 610, 245), ruling(page))


def test_row_tops_a_few_pixels_apart_are_one_row() -> None:
    """A flattened photo leaves a ruling line lower at one end: the row stays one row."""
    page = ruled_table()
    page[200:202, 500:902] = 255
    page[206:208, 500:902] = 0  # the line under the first row is 6 px lower right of the label
    rules = ruling(page)
    boxes = [box("三、本年", 110, 215, 250, 245), box("0", 590, 220, 610, 250), box("0", 790, 220, 810, 250)]
    lines = [[unit.text for unit in line] for line in page_units(boxes, rules)]
    assert lines == [["三、本年", "0", "0"]]


def _photo(page: Gray, corners: list[tuple[float, float]]) -> Gray:
    """`page` warped so that its corners land on `corners` of a dark 1.3x frame."""
    h, w = page.shape
    source = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, np.array(corners, dtype=np.float32))
    frame = (int(h * 1.3), int(w * 1.3))
    return cv2.warpPerspective(page, matrix, frame[::-1], borderValue=60)  # type: ignore[return-value]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(-40, 40), min_size=8, max_size=8))
def test_a_photographed_page_is_cut_out_and_flattened(moves: list[float]) -> None:
    """Wherever its corners land (perspective), the page comes back upright at its own size, its
    table ruled where it was, and its resolution follows from the A4 width."""
    page = np.full((1131, 800), 255, np.uint8)  # A4 proportions
    for y in (200, 400, 600):
        page[y : y + 3, 100:700] = 0
    for x in (100, 400, 700):
        page[200:603, x : x + 3] = 0
    base = [(120, 170), (920, 170), (920, 1301), (120, 1301)]
    corners = [(x + moves[2 * i], y + moves[2 * i + 1]) for i, (x, y) in enumerate(base)]
    flat, dpi = rectify(_photo(page, corners))
    assert dpi is not None
    height, width = flat.shape
    # The longer of two opposite sides is taken: a corner pulled 40 px out lengthens one by 5%.
    assert width == pytest.approx(800, rel=0.11) and height == pytest.approx(1131, rel=0.11)
    assert dpi == pytest.approx(width / A4_WIDTH_INCHES)
    rows = (flat[:, int(width * 0.2) : int(width * 0.8)] < 128).mean(axis=1)
    assert (rows > 0.9).sum() >= 3  # the three ruling lines run level again


def test_a_scan_that_fills_its_frame_is_left_alone() -> None:
    page = ruled_table()
    flat, dpi = rectify(page)
    assert dpi is None and flat is page


def test_uneven_light_is_evened_out_and_even_light_left_alone() -> None:
    page = ruled_table()
    assert flatten(page) is page
    light = np.linspace(0.55, 1.0, page.shape[1])[None, :]
    dim = (page.astype(np.float64) * light).astype(np.uint8)
    even = flatten(dim)
    paper = even[450:850, 100:1100]  # below the table: paper only
    assert paper.min() >= 225
    assert even[100:102, 150:850].max() < 100  # the ruling stays dark


def _glyphs(starts: list[int], width: int = 20) -> Gray:
    """A 40 px high text box with 20x20 px glyphs at `starts`, and strokes of the lines above and
    below reaching into it across the whole box."""
    strip = np.full((40, 400), 255, np.uint8)
    for x in starts:
        strip[10:30, x : x + width] = 0
    strip[0:3, :] = strip[38:40, :] = 0  # neighbouring lines' strokes: must not bridge a gap
    return strip


def test_ink_far_apart_is_split_and_a_word_space_is_not() -> None:
    whole = Box("维持纠正", 0.99, 0, 0, 400, 40)
    assert len(ink_spans(_glyphs([10, 32, 54]), whole)) == 1  # glyphs 2 px apart: one word
    assert len(ink_spans(_glyphs([10, 32, 70]), whole)) == 1  # 16 px (0.8 em, after a 、): kept
    spans = ink_spans(_glyphs([10, 32, 100, 122]), whole)  # 48 px: two cells
    assert len(spans) == 2
    (a0, a1), (b0, b1) = spans
    assert a0 <= 10 and 52 <= a1 < 100 and 52 < b0 <= 100 and b1 >= 142


def test_a_speck_in_the_gap_does_not_join_two_cells() -> None:
    strip = _glyphs([10, 200])
    strip[20, 100] = 0
    assert len(ink_spans(strip, Box("0 0", 0.99, 0, 0, 400, 40))) == 2
