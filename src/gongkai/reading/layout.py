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

import cv2
import numpy as np
import numpy.typing as npt

Gray = npt.NDArray[np.uint8]

MAX_SKEW = 3.0  # degrees searched either way
SKEW_STEP = 0.1
SNAP = 4  # pixels: edges this close are one ruling line


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


def skew_angle(gray: Gray) -> float:
    """The page's rotation in degrees (counter-clockwise positive), by projection profile.

    Text lines and ruling lines give the sharpest horizontal profile when level; the search
    runs on a reduced copy, so it costs milliseconds.
    """
    scale = min(1.0, 800 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    ink = (small < 128).astype(np.float32)
    h, w = ink.shape
    centre = (w / 2, h / 2)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-MAX_SKEW, MAX_SKEW + SKEW_STEP / 2, SKEW_STEP):
        matrix = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        rotated = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST)
        profile = rotated.sum(axis=1)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return -best


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
    """Ruling lines: dark runs at least 1/40 of the page wide (or high); text strokes are shorter."""
    ink = (gray < 160).astype(np.uint8)
    length = max(20, min(gray.shape) // 40)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    # Bridge the gaps that noise and thin scanning leave in a line.
    horizontal = cv2.dilate(horizontal, np.ones((3, 3), np.uint8))
    vertical = cv2.dilate(vertical, np.ones((3, 3), np.uint8))
    return Rules(horizontal.astype(bool), vertical.astype(bool))


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
    return max(found[0]), max(found[1]), min(found[2]), min(found[3])


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
    rows: dict[int, list[tuple[int, Box]]] = {}
    tops = sorted({cell[1] for cell in cells})
    for cell, members in cells.items():
        top = next(t for t in tops if abs(t - cell[1]) <= SNAP)
        rows.setdefault(top, []).append((cell[0], _join(members)))
    ordered: list[tuple[float, list[Box]]] = [
        (top, [unit for _, unit in sorted(row, key=lambda item: item[0])]) for top, row in rows.items()
    ]
    ordered += [(min(b.y0 for b in line), line) for line in _by_baseline(loose)]
    return [units for _, units in sorted(ordered, key=lambda item: item[0])]
