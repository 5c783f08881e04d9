"""Who reports on which year: from the title line, else the signature and the text.

The year is the statistics year the title names, never another date near it: a title line
may also carry the publication date ("2024年1月发布"), a crawler's date, or a law's year
("根据2019年修订的条例"). A year followed by a month is a date, not the report's year; of
the years left on the title line before 政府信息公开工作年度报告, the one nearest to it wins.
"""

from __future__ import annotations

import re

from .stream import fold_alnum

TITLE_TAIL = re.compile(r"政\s*府\s*信\s*息\s*公\s*开\s*工\s*作\s*年\s*度\s*报\s*告(?!\s*格\s*式)")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)\s*度?")
# A date (or a law's year) on the title line: what stands before it is not the agency.
DATED = re.compile(
    r"(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[-/.]\s*\d{1,2}(?:\s*[-/.]\s*\d{1,2})?)"
    r"(?:\s*\d{1,2}:\d{2})?\s*(?:发布|印发|公布|更新|修订)?"
    r"|(?:根据|依据|按照)?(?:19|20)\d{2}\s*年\s*(?:修订|修正|施行|颁布)的?[^\s，,。]*"
)
YEAR_AFTER = re.compile(r"\s*[（(]\s*((?:19|20)\d{2})\s*年\s*度?\s*[）)]")
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
    agency and year are read from what precedes it on its line, or the year from a
    "（2023年度）" right after it.
    """
    text = fold_alnum(text[:HEAD])
    for tail in TITLE_TAIL.finditer(text):
        line_start = text.rfind("\n", 0, tail.start()) + 1
        head = text[line_start : tail.start()]
        if len(head) > 120:
            continue
        years = [m for m in YEAR.finditer(head) if not _in_date(head, m.start())]
        after = YEAR_AFTER.match(text, tail.end())
        if not years and not after:
            continue
        if years:
            year = years[-1]
            before = _clean(_after_dates(head[: year.start()]))
            behind = _clean(head[year.end() :])
            agency = before or behind or _line_before(text, line_start)
            return agency, int(year.group(1))
        assert after is not None
        return _clean(_after_dates(head)) or _line_before(text, line_start), int(after.group(1))
    return None, None


def _in_date(text: str, offset: int) -> bool:
    return any(m.start() <= offset < m.end() for m in DATED.finditer(text))


def _after_dates(text: str) -> str:
    """What follows the last date or law reference on the title line."""
    ends = [m.end() for m in DATED.finditer(text)]
    return text[ends[-1] :].lstrip("，,、；;：: ") if ends else text


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
        if agency and not AGENCY_TAIL.search(agency.strip()):
            continue  # "截至2024年6月30日" in the text is a date, not a signature
        if not agency and index > 0 and AGENCY_TAIL.search(tail[index - 1]) and len(tail[index - 1]) <= 40:
            agency = tail[index - 1]
        return (agency.strip() if agency else None), int(match.group("year"))
    return None, None


def find_period_year(text: str) -> int | None:
    match = PERIOD.search(fold_alnum(text[:HEAD]))
    return int(match.group(1)) if match else None
