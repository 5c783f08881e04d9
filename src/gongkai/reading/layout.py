"""Page geometry for scans: deskew, ruling lines, and table cells from the lines.

A scan has no text order, only positions. Printed report tables are ruled, so the ruling
lines give the cell grid: every text box that OCR finds is put into the ruled cell around its
centre, the boxes of one cell are joined (a label wrapped over two lines is one cell again),
and the cells that share a top edge make one table row, left to right, as the DOCX reader
gives a row with its merged cells. Text outside any ruled cell is grouped into lines by its
baseline. A slight rotation (scanners skew pages by a degree or so) is measured from the
projection profile and undone before OCR, so rows stay rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

Gray = npt.NDArray[np.uint8]

MAX_SKEW = 3.0  # degrees searched either way
SKEW_STEP = 0.1
SNAP = 4  # pixels: edges this close are one ruling line
ROW_SLACK = 0.3  # share of the lower cell's height by which the tops of one row's cells may differ
INK_CONTRAST = 25  # grey levels below the local mean that make a pixel ink


@dataclass(frozen=True, slots=True)
class Box:
    """OCR text, axis-aligned in deskewed image pixels (y grows downwards): one box, or a cell's boxes joined
    with the weakest box's score."""

    text: str
    score: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


A4_WIDTH_INCHES = 210 / 25.4  # a photographed page is taken to be A4, the paper of 公文 (GB/T 9704)
PAGE_SHARE = (0.25, 0.97)  # a page photographed on a desk fills between these shares of the frame


def rectify(gray: Gray) -> tuple[Gray, float | None]:
    """A photographed page cut out of its frame and warped flat, with its resolution in dpi.

    Phone photos show the page as a bright quadrilateral on a darker background, in perspective.
    The quadrilateral is found on a reduced copy (Otsu's threshold, the largest outer contour,
    reduced to four corners) and warped to an upright rectangle. A scan, whose page fills the
    frame, and anything with no clear four-cornered page come back unchanged, with None.
    """
    scale = min(1.0, 600 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    _, paper = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return gray, None
    outline = cv2.convexHull(max(contours, key=cv2.contourArea))
    share = cv2.contourArea(outline) / (small.shape[0] * small.shape[1])
    corners = cv2.approxPolyDP(outline, 0.02 * cv2.arcLength(outline, True), True)
    if len(corners) != 4 or not PAGE_SHARE[0] <= share <= PAGE_SHARE[1]:
        return gray, None
    quad = _clockwise(corners.reshape(4, 2).astype(np.float32) / scale)
    width = int(max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3])))
    height = int(max(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1])))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad, target)
    flat = cv2.warpPerspective(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
    return flat, width / A4_WIDTH_INCHES  # type: ignore[return-value]


def _clockwise(points: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Four corners as top-left, top-right, bottom-right, bottom-left."""
    total, diff = points.sum(axis=1), np.diff(points, axis=1).ravel()
    order = [np.argmin(total), np.argmin(diff), np.argmax(total), np.argmax(diff)]
    return points[order]


UNEVEN = 40  # grey levels: paper whose brightness varies more than this is evened out


def flatten(gray: Gray) -> Gray:
    """Uneven light evened out: each pixel divided by the paper's brightness around it.

    The paper's brightness is the reduced page with its ink closed over (a grey closing wider
    than a stroke). A page lit evenly, as a scanner lights it, comes back unchanged.
    """
    scale = min(1.0, 400 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    paper = cv2.medianBlur(paper, 9)
    low, high = np.percentile(paper, (5, 95))
    if high - low <= UNEVEN:
        return gray
    light = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    even = gray.astype(np.float32) * 255 / np.maximum(light.astype(np.float32), 1)
    return np.clip(even, 0, 255).astype(np.uint8)


def skew_angle(gray: Gray) -> float:
    """The page's rotation in degrees (counter-clockwise positive), by projection profile.

    Text lines and ruling lines give the sharpest horizontal profile when level. The search
    runs on a reduced copy, first in whole degrees, then in tenths around the best: milliseconds.
    """
    scale = min(1.0, 800 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    ink = (small < 128).astype(np.float32)
    coarse = _best_angle(ink, np.arange(-MAX_SKEW, MAX_SKEW + 0.5, 1.0))
    fine = np.arange(coarse - 1 + SKEW_STEP, coarse + 1 - SKEW_STEP / 2, SKEW_STEP)
    return -_best_angle(ink, fine[np.abs(fine) <= MAX_SKEW + SKEW_STEP / 2])


def _best_angle(ink: npt.NDArray[np.float32], angles: npt.NDArray[np.float64]) -> float:
    """The angle among `angles` that gives the sharpest row profile."""
    h, w = ink.shape
    centre = (w / 2, h / 2)
    best, best_score = 0.0, -1.0
    for angle in angles:
        matrix = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        rotated = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST)
        profile = rotated.sum(axis=1)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return best


def deskew(gray: Gray, angle: float) -> Gray:
    """Rotate the page level again, filling the corners with white."""
    if abs(angle) < SKEW_STEP / 2:
        return gray
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Rules:
    """The page's ruling lines as masks: horizontal and vertical."""

    horizontal: npt.NDArray[np.bool_]
    vertical: npt.NDArray[np.bool_]


def ruling(gray: Gray) -> Rules:
    """Ruling lines: dark runs at least 1/40 of the page wide (or high); text strokes are shorter.

    Dark is darker than the paper around it (a local threshold), so the faint, blurred lines of
    a photo count as well as a scanner's black ones.
    """
    ink = cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, INK_CONTRAST)
    length = max(20, min(gray.shape) // 40)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    # Bridge the gaps that noise and thin scanning leave in a line.
    horizontal = cv2.dilate(horizontal, np.ones((3, 3), np.uint8))
    vertical = cv2.dilate(vertical, np.ones((3, 3), np.uint8))
    return Rules(horizontal.astype(bool), vertical.astype(bool))


GAP = 1.1  # white wider than this many text heights parts two cells (a full-width 、 leaves 0.8)
PAD = 4  # pixels of white kept either side of a piece of a split box


def ink_spans(gray: Gray, box: Box) -> list[tuple[int, int]]:
    """The box's stretches of ink (x0, x1) that stand apart by more than `GAP` text heights.

    Ink is darker than Otsu's threshold within the box (a photo's blurred strokes are grey), and
    a row or column counts as ink when two or more of its pixels are, so a lone speck of scanner
    noise does not bridge a gap. Only the box's own line of text is looked at (`_text_band`): the
    detector's box reaches into the lines above and below. One stretch means one cell's text.
    """
    h, w = gray.shape
    x0, y0 = max(int(box.x0), 0), max(int(box.y0), 0)
    x1, y1 = min(int(box.x1) + 1, w), min(int(box.y1) + 1, h)
    whole = [(x0, x1)]
    crop = gray[y0:y1, x0:x1]
    if crop.size < 4 or int(crop.max()) - int(crop.min()) < INK_CONTRAST:
        return whole
    _, otsu = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = np.asarray(otsu, dtype=np.uint8)
    band = _text_band(ink)
    if band is None:
        return whole
    top, bottom = band
    runs = _runs(ink[top:bottom].sum(axis=0), GAP * (bottom - top))
    if not runs:
        return whole
    return [(max(x0 + a - PAD, x0), min(x0 + b + PAD, x1)) for a, b in runs]


def _runs(weight: npt.NDArray[Any], gap: float) -> list[tuple[int, int]]:
    """The runs (start, end) of positions with two or more ink pixels, apart by more than `gap`."""
    inked = np.flatnonzero(weight >= 2)
    if inked.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(inked) > gap)
    starts = [int(inked[0]), *(int(inked[i + 1]) for i in breaks)]
    ends = [*(int(inked[i]) + 1 for i in breaks), int(inked[-1]) + 1]
    return list(zip(starts, ends, strict=True))


def _text_band(ink: npt.NDArray[np.uint8]) -> tuple[int, int] | None:
    """The rows (top, bottom) of the box's own line: the run of inked rows nearest its middle
    (the detector centres its box on the line).

    Runs apart by less than a sixth of the box's height are one run (the strokes of 二 and 三).
    """
    runs = _runs(ink.sum(axis=1), max(2, ink.shape[0] // 6))
    if not runs:
        return None
    middle = ink.shape[0] // 2
    return min(runs, key=lambda run: max(run[0] - middle, middle - run[1] + 1, 0))


def _edge(line: npt.NDArray[np.bool_], start: int, step: int) -> int | None:
    """The first ruled position from `start` in direction `step`, or None."""
    hits = np.flatnonzero(line[start::-1] if step < 0 else line[start:])
    if hits.size == 0:
        return None
    return start - int(hits[0]) if step < 0 else start + int(hits[0])


def cell_of(box: Box, rules: Rules) -> tuple[int, int, int, int] | None:
    """The ruled cell (x0, y0, x1, y1) around the box, or None outside any table.

    Each edge is looked for from three points across the box and the nearest found is taken,
    so a line that noise broke at one point is still found at another.
    """
    h, w = rules.horizontal.shape
    xs = [min(max(int(box.x0 + (box.x1 - box.x0) * f), 0), w - 1) for f in (0.25, 0.5, 0.75)]
    ys = [min(max(int(box.y0 + (box.y1 - box.y0) * f), 0), h - 1) for f in (0.25, 0.5, 0.75)]
    lefts = [_edge(rules.vertical[y], xs[0], -1) for y in ys]
    rights = [_edge(rules.vertical[y], xs[-1], 1) for y in ys]
    tops = [_edge(rules.horizontal[:, x], ys[0], -1) for x in xs]
    bottoms = [_edge(rules.horizontal[:, x], ys[-1], 1) for x in xs]
    found = [[e for e in edges if e is not None] for edges in (lefts, tops, rights, bottoms)]
    if not all(found):
        return None
    x0, y0, x1, y1 = max(found[0]), max(found[1]), min(found[2]), min(found[3])
    if y1 - y0 > TALL * (box.y1 - box.y0) and not _ruled_down(rules, x0, y0, y1, x1):
        return None  # prose between a heading's tall strokes and a table far below: no cell
    return x0, y0, x1, y1


TALL = 3  # a cell this many text lines tall must show ruled sides down its whole height
BAND = 4  # pixels either side of a side where its line may run, for what deskewing leaves
RULED = 0.8  # the share of a side's height its ruling line must cover


def _ruled_down(rules: Rules, x0: int, y0: int, y1: int, x1: int) -> bool:
    """Whether the cell's left and right sides are ruled lines down most of its height, not the
    short vertical runs of tall glyphs (【】, a large heading's strokes)."""
    sides = (rules.vertical[y0 : y1 + 1, max(x - BAND, 0) : x + BAND + 1].any(axis=1) for x in (x0, x1))
    return all(side.size and side.mean() >= RULED for side in sides)


def _join(boxes: list[Box]) -> Box:
    """Boxes of one cell in reading order: lines by baseline, left to right.

    Boxes side by side are kept apart by a space: where a faint ruling line was missed, two
    cells ("0" and "0", or a label and its value) share a cell here and are split again as words.
    """
    text = "".join(" ".join(box.text for box in line) for line in _by_baseline(boxes))
    return Box(
        text,
        min(box.score for box in boxes),
        min(box.x0 for box in boxes),
        min(box.y0 for box in boxes),
        max(box.x1 for box in boxes),
        max(box.y1 for box in boxes),
    )


def _by_baseline(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into visual lines: a box joins a line whose middle lies within its height."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        line = lines[-1] if lines else None
        if line is not None:
            middle = sum(b.cy for b in line) / len(line)
            height = min(min(b.y1 - b.y0 for b in line), box.y1 - box.y0)
            if abs(box.cy - middle) < height / 2:
                line.append(box)
                continue
        lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def page_units(boxes: list[Box], rules: Rules) -> list[list[Box]]:
    """The page as lines of units: table rows from the ruled cells, other text by baseline."""
    cells: dict[tuple[int, int, int, int], list[Box]] = {}
    loose: list[Box] = []
    for box in boxes:
        cell = cell_of(box, rules)
        if cell is None:
            loose.append(box)
            continue
        # The edges found from two boxes of one cell can differ by the width of a thick line.
        same = next((c for c in cells if all(abs(a - b) <= SNAP for a, b in zip(c, cell, strict=True))), cell)
        cells.setdefault(same, []).append(box)
    # Cells whose tops lie within a fraction of a row's height share a row: a photo flattened from
    # slightly wrong corners leaves a ruling line a few pixels lower at one end than at the other.
    rows: list[tuple[tuple[int, int, int, int], list[tuple[int, Box]]]] = []
    for cell in sorted(cells, key=lambda c: c[1]):
        unit = (cell[0], _join(cells[cell]))
        if rows:
            first, members = rows[-1]
            slack = max(SNAP, ROW_SLACK * min(first[3] - first[1], cell[3] - cell[1]))
            if cell[1] - first[1] <= slack:
                members.append(unit)
                continue
        rows.append((cell, [unit]))
    ordered: list[tuple[float, list[Box]]] = [
        (first[1], [unit for _, unit in sorted(row, key=lambda item: item[0])]) for first, row in rows
    ]
    ordered += [(min(b.y0 for b in line), line) for line in _by_baseline(loose)]
    return [units for _, units in sorted(ordered, key=lambda item: item[0])]
