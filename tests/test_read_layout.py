"""Scan layout without OCR: ruled cells from a drawn table, rows, joined labels, and deskew."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from gongkai.reading.layout import Box, Gray, cell_of, deskew, page_units, ruling, skew_angle


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
