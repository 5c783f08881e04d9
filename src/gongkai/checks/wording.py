"""Checks on the wording of the prose parts: typing slips, and claims the tables contradict.

Only the parts written as prose (一, 五, 六; and 三 for the claim about finished requests,
which some reports state beside the table) are read: the table parts print labels side by
side, where a repeated word is layout, not a slip.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..formats import CellRef
from ..report import Report
from .model import Context, Finding, Rule
from .numbering import NARRATIVE_PARTS
from .reading import uncertain

# A word of two or more characters typed twice in a row ("资金资金"). Chinese reduplicates
# single characters (常常, 人人, 天天, 年年) and AABB forms (认认真真), never a two-character
# word as ABAB in formal writing; numeral phrases (一个一个, 一步一步) are the exception.
DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,8})\1")
NUMERAL_START = re.compile(r"^[一每两几]")


def doubled(text: str) -> list[tuple[str, str]]:
    """(the doubled word, its sentence) for every word typed twice in a row."""
    found = []
    for match in DOUBLED.finditer(text):
        word = match.group(1)
        if NUMERAL_START.match(word) or len(set(word)) == 1:
            continue
        found.append((word, _sentence(text, match.start(), match.end())))
    return found


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in "。；;！!？?\n") + 1
    right = min((i for i in (text.find(ch, end) for ch in "。；;！!？?\n") if i >= 0), default=len(text))
    return text[left : right + 1].strip()


def check_doubled(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """A word of two or more characters typed twice in a row, a typing slip such as "资金资金"."""
    for number in NARRATIVE_PARTS:
        for word, sentence in doubled(report.sections.get(number, "")):
            yield rule.finding("", [], part=number, word=word, sentence=sentence[:80])


# "All requests were finished": a quantifier over the requests with a word for done.
FINISHED = re.compile(
    r"(?:全部|均|都|皆|悉数|一律)(?:已经?|已)?(?:按时|按期|依法|及时|在法定期限内)?"
    r"(?:办结|办理完毕|办理完成|答复完毕|予以答复|作出答复)"
    r"|(?:按时|按期)?办结率(?:为|达到?|达)?\s*100\s*%"
    r"|(?:无|没有|未有)(?:申请)?结转"
)
# A sentence about part of the requests (last year's, one channel) is not a claim about all.
PART_ONLY = re.compile(r"上年|去年|其中|结转的|往年")
FORWARD = CellRef("requests", "carried_forward", "total")


def check_all_finished(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """The prose says every request was finished, yet table 三 carries some into next year."""
    forward = report.get(FORWARD)
    if not isinstance(forward, int) or forward <= 0 or str(FORWARD) in uncertain(report, context):
        return
    for number in ("一", "三", "五", "六"):
        text = report.sections.get(number, "")
        for match in FINISHED.finditer(text):
            sentence = _sentence(text, match.start(), match.end())
            if PART_ONLY.search(sentence):
                continue
            yield rule.finding("requests", [str(FORWARD)], part=number, sentence=sentence[:80], count=forward)
            return
