"""How a report numbers its parts and lists: the part headings, restarts, order and mixed systems.

A part heading is a Chinese ordinal with "、" at the start of a line or after a sentence,
cell or number (crawler copies run everything together), followed by text that is not a
row label of a table: "四、结转下年度继续办理" is table 三's last row, not part 四. The
headings are read in order against the expected 一, 二, 三…; a run that starts again at 一
before the next part (sub-items numbered like parts) is a restart, set aside as a whole
so that it gives one finding and does not make every later part look wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from operator import attrgetter
from typing import NamedTuple

from ..formats import FORMATS
from ..report import Report
from .model import Context, Finding, Rule

CN_DIGITS = {ch: i for i, ch in enumerate("一二三四五六七八九", 1)}
HAN = r"\u4e00-\u9fff"
# What may stand before a part or list number: the text's start, a space or line end, a sentence's
# or bracket's end, and for the 一、 style a digit too (crawler copies run the cells together).
ENDS = "。；;：:！？!?”）)"
# A Chinese ordinal of one or two characters (一, 十, 十二, 二十): "八五" or "十十" is not one.
# Every alternative starts with a literal character, so that `re` skips ahead to the next numeral
# instead of trying the pattern at every character (twice as fast over a report's text).
ORDINAL = "(?:" + "|".join(["十[一二三四五六七八九]?", *(f"{digit}十?" for digit in CN_DIGITS)]) + ")"
PUNCTUATION = re.compile(r"[\s\x1f、.．,，:：;；()（）“”\"'《》〔〕\-—]")
PART = re.compile(rf"(?P<ord>{ORDINAL})\s*[、．.](?=(?P<title>[{HAN}（(“][^\n。；]{{0,30}}))")
# Where a heading printed without a line break of its own ends: the first words of the body.
HEADING_END = r"本年|今年|全年|我[局区县市镇办委]|按照|根据|一是"
PRINTED = re.compile(rf"(?:(?!{HEADING_END})[^\d\s。，,；;：:（(\x1f]){{2,24}}")
NARRATIVE_PARTS = ("一", "五", "六")  # the parts written as prose; 二–四 hold the tables
NUMBERS_ZH = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


def compact(text: str) -> str:
    """Text without spacing and punctuation, full-width letters and digits made ASCII."""
    return PUNCTUATION.sub("", unicodedata.normalize("NFKC", text))


def cn_value(ordinal: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20 (ordinals up to 99)."""
    if ordinal == "十":
        return 10
    if ordinal.startswith("十"):
        return 10 + CN_DIGITS[ordinal[1]]
    if ordinal.endswith("十"):
        return CN_DIGITS[ordinal[0]] * 10
    if "十" in ordinal:
        return CN_DIGITS[ordinal[0]] * 10 + CN_DIGITS[ordinal[-1]]
    return CN_DIGITS[ordinal]


@cache
def _row_labels() -> tuple[str, ...]:
    """Every row, group and header label of every table of every format, compacted, ordinals and all."""
    labels: set[str] = set()
    for fmt in FORMATS.values():
        for table in fmt.tables:
            labels.update(compact(label) for label in table.header_labels)
            for row in table.rows:
                labels.update(compact(label) for label in (*row.labels, row.group) if label)
    return tuple(sorted(labels, key=len, reverse=True))


@cache
def _titles() -> dict[int, tuple[str, ...]]:
    """The standard part titles without their ordinal, per part number, compacted."""
    titles: dict[int, set[str]] = {}
    for fmt in FORMATS.values():
        for number, variants in enumerate(fmt.sections, 1):
            titles.setdefault(number, set()).update(compact(v.split("、", 1)[-1]) for v in variants)
    return {n: tuple(t) for n, t in titles.items()}


class Heading(NamedTuple):
    value: int
    printed: str  # "五、存在的主要问题及改进措施"
    start: int


def _after_digit_or_end(before: str) -> bool:
    return before.isspace() or before.isdecimal() or before in ENDS


def _after_end(before: str) -> bool:
    return before.isspace() or before in ENDS


def _fenced(pattern: re.Pattern[str], text: str, fence: Callable[[str], bool]) -> Iterator[re.Match[str]]:
    """The pattern's matches at the text's start or right after a character `fence` accepts.

    This is what a leading lookbehind `(?:^|(?<=[…]))` says, found three times faster: `re` skips
    ahead to a pattern's first character only when the pattern starts with it. A match refused
    for what stands before it is tried again one character on, as the lookbehind would be.
    """
    position = 0
    while (match := pattern.search(text, position)) is not None:
        start = match.start()
        if start == 0 or fence(text[start - 1]):
            yield match
            position = match.end()
        else:
            position = start + 1


def candidates(text: str) -> list[Heading]:
    """Chinese-ordinal headings in document order, table rows left out."""
    found = []
    for match in _fenced(PART, text, _after_digit_or_end):
        ordinal, title = match.group("ord"), match.group("title")
        head = compact(ordinal + "、" + title)
        if head.startswith(_row_labels()):
            continue
        body = PRINTED.match(title)
        printed = ordinal + "、" + (body.group() if body else title[:2])
        found.append(Heading(cn_value(ordinal), printed, match.start()))
    return found


@cache
def _title_starts() -> dict[int, tuple[str, ...]]:
    """Each part's standard titles cut to their first eight characters, which a heading must print."""
    return {number: tuple(title[:8] for title in titles) for number, titles in _titles().items()}


def standard_part(heading: Heading) -> int | None:
    """The part whose standard title the heading prints (its first eight characters), if any."""
    body = compact(heading.printed.split("、", 1)[1])
    for number, starts in _title_starts().items():
        if body.startswith(starts):
            return number
    return None


@dataclass(frozen=True)
class Outline:
    parts: tuple[Heading, ...]  # the part headings, in document order
    restarts: tuple[tuple[Heading, tuple[Heading, ...]], ...]  # (the part, its run numbered again from 一)
    backwards: tuple[tuple[Heading, Heading], ...]  # (a part, a later heading that repeats or goes back)


@lru_cache(maxsize=16)
def outline(text: str) -> Outline:
    """Part headings, restarted runs and backward steps, read greedily against the next ordinal.

    Cached: three rules read the outline of the same text.
    """
    parts: list[Heading] = []
    restarts: list[tuple[Heading, tuple[Heading, ...]]] = []
    backwards: list[tuple[Heading, Heading]] = []
    run: list[Heading] = []
    for heading in candidates(text):
        expected = len(parts) + 1 if not parts else parts[-1].value + 1
        next_part = heading.value == expected and standard_part(heading) == expected
        if run and heading.value == run[-1].value + 1 and not next_part:
            run.append(heading)
            continue
        if run:
            restarts.append((parts[-1], tuple(run)))
            run = []
        if heading.value == 1 and parts:
            run = [heading]
        elif not parts or heading.value >= expected:
            parts.append(heading)
        else:
            backwards.append((parts[-1], heading))
    if run:
        restarts.append((parts[-1], tuple(run)))
    return Outline(tuple(parts), tuple(restarts), tuple(backwards))


def document_text(report: Report, text: str | None) -> str:
    """The whole text when it was passed in, else the parts under their standard headings."""
    if text is not None:
        return text
    titles = report.fmt.sections
    numbers = ("一", "二", "三", "四", "五", "六")
    return "\n".join(
        f"{titles[numbers.index(n)][0]}\n{body}" for n, body in report.sections.items() if n in numbers
    )


# Lists inside the narrative: four numbering systems a report may use.
# Each with what must stand before its number, if anything.
STYLES: tuple[tuple[str, re.Pattern[str], Callable[[str], bool] | None], ...] = (
    ("（一）", re.compile(rf"[（(]\s*({ORDINAL})\s*[）)]"), None),
    ("一、", re.compile(rf"({ORDINAL})\s*[、．](?=[{HAN}（(“])"), _after_digit_or_end),
    ("（1）", re.compile(r"[（(]\s*(\d{1,2})\s*[）)]"), None),
    ("1.", re.compile(rf"(\d{{1,2}})\s*[.、．](?=[{HAN}（(“])"), _after_end),
)


class Item(NamedTuple):  # a tuple: made by the dozen per report, where a dataclass costs twice as much
    style: str
    value: int
    printed: str
    start: int
    end: int


_item = partial(tuple.__new__, Item)  # without the keyword-taking `Item.__new__` in between


@lru_cache(maxsize=16)  # two rules list the items of the same document text
def items(text: str) -> tuple[Item, ...]:
    found = []
    for style, pattern, fence in STYLES:
        for match in pattern.finditer(text) if fence is None else _fenced(pattern, text, fence):
            raw = match.group(1)
            value = int(raw) if raw.isdecimal() else cn_value(raw)
            found.append(_item((style, value, match.group().strip(), *match.span())))
    return tuple(sorted(found, key=attrgetter("start")))


def mixed(text: str) -> list[tuple[Item, Item]]:
    """Items that continue another system's list: "（二）…" then "3、…" (value n+1, new style).

    An item continues its own list when the last item of its style is one less; otherwise,
    when the item right before it is of another style and one less, the two systems are mixed.
    """
    found = []
    listed = items(text)
    last: dict[str, int] = {}
    for before, item in zip([None, *listed], listed, strict=False):
        if (
            before is not None
            and item.value >= 2
            and last.get(item.style) != item.value - 1
            and before.style != item.style
            and before.value == item.value - 1
        ):
            found.append((before, item))
        last[item.style] = item.value
    return found


def other_style_parts(text: str) -> list[tuple[Heading, Heading]]:
    """Part headings numbered in another system than the part before them: "二、…" then "3.收到和处理…".

    A heading counts when it prints the standard title of the part its number names and the
    part before it is numbered "一、"-style; each is returned with that previous part.
    """
    parts = {h.value: h for h in outline(text).parts}
    found = []
    for item in items(text):
        if item.style == "一、" or item.value - 1 not in parts or item.value in parts:
            continue
        title = PRINTED.match(text, item.end)
        heading = Heading(item.value, item.printed + (title.group() if title else ""), item.start)
        body = compact(heading.printed[len(item.printed) :])
        if body.startswith(_title_starts().get(item.value, ())):
            found.append((parts[item.value - 1], heading))
    return found


def check_restart(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Items numbered like parts (一、二、…) inside a part: one finding per run, not one per part."""
    for part, run in outline(document_text(report, context.text)).restarts:
        yield rule.finding(
            "",
            [],
            part=part.printed,
            first=run[0].printed,
            last=run[-1].printed,
            count=len(run),
            part_en=NUMBERS_ZH[part.value - 1] if part.value <= len(NUMBERS_ZH) else str(part.value),
        )


def check_order(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Part ordinals that repeat or go back, or a heading that prints another part's standard title."""
    shape = outline(document_text(report, context.text))
    after = {heading: before for before, heading in shape.backwards}
    for heading in sorted((*shape.parts, *after), key=lambda h: h.start):
        number = standard_part(heading)
        what, what_en = [], []
        if heading in after:
            what.append(f"前一部分为“{after[heading].printed}”，序号重复或倒退")
            what_en.append(f"it follows {after[heading].printed!r}")
        if number is not None and number != heading.value:
            what.append(f"这是第{NUMBERS_ZH[number - 1]}部分的标题，序号应为“{NUMBERS_ZH[number - 1]}、”")
            what_en.append(f"it is the title of part {number}")
        if what:
            yield rule.finding(
                "", [], heading=heading.printed, what="；".join(what), what_en="; ".join(what_en)
            )


def check_mixed(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """A list continued in another numbering system: "（二）…" followed by "3、…", among items or parts."""
    for before_part, part in other_style_parts(document_text(report, context.text)):
        yield rule.finding(
            "",
            [],
            part=NUMBERS_ZH[part.value - 1],
            before=before_part.printed,
            item=part.printed,
            before_style="一、",
            style=next(i.style for i in items(part.printed)),
        )
    for number in NARRATIVE_PARTS:
        for before, item in mixed(report.sections.get(number, "")):
            yield rule.finding(
                "",
                [],
                part=number,
                before=before.printed,
                item=item.printed,
                before_style=before.style,
                style=item.style,
            )
