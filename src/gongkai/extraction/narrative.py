"""The six parts of a report and the figures its prose states.

Figures are kept with their sentence so that a check can show the reader what was
compared. A figure whose sentence narrows it to part of the agency (one channel, one
office, "其中") carries that scope, so the checks do not mistake it for the whole.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ..formats import CellRef, Kind, Table
from ..limits import MAX_FIGURES, MAX_SENTENCE
from ..report import Figure
from .stream import LabelMatcher, label_pattern

SECTION_NUMBERS = ("一", "二", "三", "四", "五", "六")

N = r"(\d+(?:\.\d+)?)"
GAP = r"[^。；;，,\n]{0,16}?"
FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("proactive_items", re.compile(rf"(?:公开|发布){GAP}信息{GAP}{N}\s*条")),
    ("requests_received", re.compile(rf"(?:收到|受理|新收){GAP}申请{GAP}{N}\s*件")),
    ("requests_received", re.compile(rf"(?:收到|受理|新收){GAP}{N}\s*件{GAP}申请")),
    ("requests_carried_over", re.compile(rf"上年度?(?:结转|转结){GAP}{N}\s*件?")),
    ("requests_carried_forward", re.compile(rf"结转(?:到|至)?下(?:一)?年度?{GAP}{N}\s*件")),
    ("reconsideration", re.compile(rf"行政复议{GAP}{N}\s*(?:件|起|次)")),
    ("litigation", re.compile(rf"行政诉讼{GAP}{N}\s*(?:件|起|次)")),
    ("fee_yuan", re.compile(rf"(?:收取|收费){GAP}(?:信息)?处理费{GAP}{N}\s*元")),
)
NONE_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("requests_received", re.compile(r"未(?:收到|受理)[^。；]{0,20}?申请(?!人)")),
    ("fee_yuan", re.compile(r"(?:未|没有|无)(?:收取|产生)[^。；]{0,16}?(?:处理费|费用)")),
)
SCOPES = re.compile(
    r"其中|通过[^。，；]{0,10}?(?:渠道|平台|网站|方式)|网上|当面|信函|邮寄|传真|季度|上半年|下半年|\d+\s*月份|代表"
)
SENTENCE_END = re.compile(r"[。；;\n]")
CLAUSE_END = re.compile(r"[，,；。\n]")


class Boundaries:
    """Sentence and clause ends of one text, found once, so each figure's sentence is a bisection.

    Searching from the start of the text for every figure made reading quadratic in its length.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentence_ends = [m.end() for m in SENTENCE_END.finditer(text)]
        self.clause_marks = [m.start() for m in CLAUSE_END.finditer(text)]

    def sentence(self, start: int, end: int) -> str:
        """The sentence holding text[start:end], at most `MAX_SENTENCE` characters either side."""
        ends = self.sentence_ends
        before = bisect_right(ends, start) - 1
        left = ends[before] if before >= 0 else 0
        after = bisect_left(ends, end + 1)
        right = ends[after] if after < len(ends) else len(self.text)
        return self.text[max(left, start - MAX_SENTENCE) : min(right, end + MAX_SENTENCE)].strip()

    def clause_start(self, position: int) -> int:
        """Where the clause holding `position` starts (after the last comma, stop or newline before it)."""
        marks = self.clause_marks
        before = bisect_left(marks, position) - 1
        return marks[before] + 1 if before >= 0 else 0


def figures_in(text: str, section: str) -> list[Figure]:
    found: list[Figure] = []
    seen: set[tuple[str, int]] = set()
    bounds = Boundaries(text)
    for kind, pattern in FIGURES:
        for match in pattern.finditer(text):
            number = match.group(1)
            key = (kind, match.start(1))
            if key in seen:
                continue
            seen.add(key)
            sentence = bounds.sentence(match.start(), match.end())
            clause_start = max(bounds.clause_start(match.start()), match.start() - MAX_SENTENCE)
            scope = SCOPES.search(text, clause_start, match.start(1))
            value: int | str = int(number) if number.isdecimal() else number
            found.append(Figure(kind, value, sentence, {"section": section}, scope.group() if scope else ""))
    for kind, pattern in NONE_FIGURES:
        for match in pattern.finditer(text):
            sentence = bounds.sentence(match.start(), match.end())
            found.append(Figure(kind, 0, sentence, {"section": section}))
    return found


STATED_NUMBER = r"\s*(?:为|是|[:：])?\s*(?P<number>-?\d+)(?![\d.])"
CLAUSE_STOP = re.compile(r"[）)；;。\n]")


def stated_cells(text: str, table: Table) -> dict[CellRef, int]:
    """Counts the prose states for named cells of `table`: a row's label, then in its clause a
    column's label and a number ("行政规范性文件（本年制发件数0，本年废止件数27，…）").

    The table reader lets such a statement choose between readings of run-together digits
    that the table alone leaves open. A cell stated twice with different numbers is left out.
    """
    seen: dict[CellRef, set[int]] = {}
    for row_label, patterns in _stated_patterns(table):
        pos = 0
        for _ in range(MAX_FIGURES):  # a hostile text repeating a label cannot make this quadratic
            match = row_label.search(text, pos)
            if match is None:
                break
            pos = match[1]
            stop = CLAUSE_STOP.search(text, pos, pos + MAX_SENTENCE)
            clause = text[pos : stop.start() if stop else pos + MAX_SENTENCE]
            for ref, pattern in patterns:
                for number in pattern.finditer(clause):
                    seen.setdefault(ref, set()).add(int(number.group("number")))
    return {ref: values.pop() for ref, values in seen.items() if len(values) == 1}


StatedPatterns = tuple[tuple[LabelMatcher, tuple[tuple[CellRef, re.Pattern[str]], ...]], ...]
# Per table (by id, the table kept with its patterns so the id cannot be reused): each row with
# count columns, its label and each column's "label … number" pattern. Built once per process,
# not for every report (they took a fifth of reading a report).
_STATED: dict[int, tuple[Table, StatedPatterns]] = {}


def _stated_patterns(table: Table) -> StatedPatterns:
    kept = _STATED.get(id(table))
    if kept is None or kept[0] is not table:
        rows = []
        for row in table.rows:
            columns = [c for c in table.columns_of(row) if c.kind in (Kind.COUNT, Kind.SIGNED)]
            if columns:
                patterns = tuple(
                    (
                        CellRef(table.key, row.key, c.key),
                        re.compile(f"(?:{label_pattern(c.labels, False).body.pattern}){STATED_NUMBER}"),
                    )
                    for c in columns
                )
                rows.append((label_pattern(row.labels), patterns))
        kept = _STATED[id(table)] = (table, tuple(rows))
    return kept[1]
