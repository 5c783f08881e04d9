"""Who reports on which year: from the title line, else the signature and the text."""

from __future__ import annotations

import re

from .stream import fold_alnum

TITLE_TAIL = re.compile(r"政\s*府\s*信\s*息\s*公\s*开\s*工\s*作\s*年\s*度\s*报\s*告")
TITLE_HEAD = re.compile(
    r"(?P<before>[^\n]{0,60}?)(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<after>[^\n]{0,60}?)$"
)
PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起\s*)?(?:至|到|—|-|～|~)")
DATE_LINE = re.compile(
    r"^\s*(?P<agency>[^\d\s]{2,40}?)?\s*(?P<year>(?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$"
)
AGENCY_TAIL = re.compile(
    r"(人民政府|办事处|管理局|委员会|办公室|办公厅|局|厅|委|办|署|院|中心|政府|管委会|街道|镇|乡)$"
)
HEAD = 6000  # title and statistics period stand in the first few thousand characters
PREFIXES = ("标题:", "标题：", "关于", "《")


def find_title(text: str) -> tuple[str | None, int | None]:
    """Agency and year from the first title-like line of the document.

    The fixed phrase 政府信息公开工作年度报告 is found first (a fast literal scan); the
    agency and year are read from what precedes it on its line.
    """
    text = fold_alnum(text[:HEAD])
    for tail in TITLE_TAIL.finditer(text):
        line_start = text.rfind("\n", 0, tail.start()) + 1
        match = TITLE_HEAD.search(text, line_start, tail.start())
        if not match:
            continue
        year = int(match.group("year"))
        before = _clean(match.group("before"))
        after = _clean(match.group("after"))
        return before or after or _line_before(text, match.start()), year
    return None, None


def _line_before(text: str, offset: int) -> str | None:
    """A title broken over two lines puts the agency on the line above the year."""
    lines = [line.strip() for line in text[:offset].split("\n") if line.strip()]
    if lines and len(lines[-1]) <= 40 and AGENCY_TAIL.search(lines[-1]):
        return _clean(lines[-1])
    return None


def _clean(name: str) -> str:
    name = name.replace("\x1f", " ").strip().lstrip("#").strip()
    for prefix in PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :].strip()
    name = re.sub(r"\s+", "", name)
    return name.strip('《》“”"：:')


def find_signature(lines: list[str]) -> tuple[str | None, int | None]:
    """The agency and date that close a report: "安泰街道办事处" above "2024年1月4日"."""
    tail = [fold_alnum(line.strip()) for line in lines[-12:] if line.strip()]
    for index in range(len(tail) - 1, -1, -1):
        match = DATE_LINE.match(tail[index])
        if not match:
            continue
        agency = match.group("agency")
        if not agency and index > 0 and AGENCY_TAIL.search(tail[index - 1]) and len(tail[index - 1]) <= 40:
            agency = tail[index - 1]
        return (agency.strip() if agency else None), int(match.group("year"))
    return None, None


def find_period_year(text: str) -> int | None:
    match = PERIOD.search(fold_alnum(text[:HEAD]))
    return int(match.group(1)) if match else None
