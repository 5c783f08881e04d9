"""Checks on the report as a document: its parts, period, identity, dates and required statements.

`report.sections` holds the parts the reader found by their standard headings, so a
missing key means the standard heading was not found; the text of the part before it
then tells whether the part is absent or printed under another title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..formats import CellRef, format_for_year
from ..report import Report
from .levels import Level, is_government, level_of
from .model import Context, Finding, Rule, Severity
from .numbering import document_text, other_style_parts, outline

NUMBERS = ("一", "二", "三", "四", "五", "六")
PUBLISHED = re.compile(
    r"发布(?:时间|日期)\s*[:：]\s*((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)


def find_published(text: str) -> date | None:
    """The publication date a web page (or a crawler's copy of it) prints in its header."""
    match = PUBLISHED.search(text[:3000])
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def check_parts(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """All six parts under their standard headings; a part under another title is a warning, none an error.

    Another title is the part heading the outline reads for that ordinal, which is never a
    table row ("四、结转下年度继续办理") nor an item of a list numbered again from 一.
    """
    if all(number in report.sections for number in NUMBERS):
        return  # the outline below is read only to name what is missing
    titles = (format_for_year(report.year) if report.year else report.fmt).sections
    text = document_text(report, context.text)
    printed = {h.value: h.printed for h in outline(text).parts}
    printed.update((h.value, h.printed) for _, h in other_style_parts(text))
    for index, number in enumerate(NUMBERS):
        if number in report.sections:
            continue
        standard = titles[index][0]
        if index + 1 in printed:
            yield rule.finding(
                "",
                [],
                Severity.WARNING,
                what=f"第{number}部分标题印为“{printed[index + 1]}”，不是国家格式的标准标题",
                standard=standard,
                what_en=f"part {number} is headed {printed[index + 1]!r}, not the standard title",
            )
        else:
            yield rule.finding(
                "",
                [],
                what=f"未找到第{number}部分",
                standard=standard,
                what_en=f"part {number} not found",
            )


ASPECTS = (
    ("主动公开", r"主动公开"),
    ("依申请公开", r"依申请|申请公开"),
    ("政府信息管理", r"信息管理|管理"),
    ("平台建设", r"平台"),
    ("监督保障", r"监督|保障"),
)


def check_aspects(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Part 一 summarises the five aspects 30号 names; keywords only, so it is a warning."""
    text = report.sections.get("一")
    if text is None:
        return
    missing = [name for name, pattern in ASPECTS if not re.search(pattern, text)]
    if missing:
        yield rule.finding("", [], missing="、".join(missing), count=len(missing))


ASSESSMENT = re.compile(r"考核|评议|责任追究|问责|考评")


def check_assessment(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Governments (not departments) report assessment, public evaluation and accountability (Art. 50(4))."""
    if not is_government(report.agency):
        return
    text = report.sections.get("一", "") + report.sections.get("五", "") + report.sections.get("六", "")
    if ("一" in report.sections or "五" in report.sections) and not ASSESSMENT.search(text):
        yield rule.finding("", [], agency=report.agency)


def deadline(agency: str | None, year: int, township: tuple[int, int]) -> tuple[date, str] | None:
    """The statutory publication deadline (Art. 49) for a report on `year`, and whose it is."""
    level = level_of(agency)
    if level is Level.UNKNOWN:
        return None
    if level is Level.TOWNSHIP:
        return date(year + 1, *township), "乡镇、街道（以当地规定为准）"
    if is_government(agency):
        return date(year + 1, 3, 31), "县级以上人民政府"
    return date(year + 1, 1, 31), "县级以上人民政府部门"


def check_deadline(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Published after the deadline; townships' dates are set locally, so they only get a warning."""
    published = context.published or (find_published(context.text) if context.text else None)
    if published is None or report.year is None:
        return
    due = deadline(report.agency, report.year, context.township_deadline)
    if due is None or published <= due[0]:
        return
    severity = Severity.WARNING if level_of(report.agency) is Level.TOWNSHIP else None
    yield rule.finding(
        "", [], severity, published=published.isoformat(), due=due[0].isoformat(), whose=due[1]
    )


PERIOD = r"{y}\s*年\s*(?:1|一)\s*月\s*(?:1|一)\s*日[^。；]{{0,12}}?(?:12|十二)\s*月\s*(?:31|三十一)\s*日"


def check_period(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """The statistics period is stated; without the preamble (no document text) a silence proves nothing."""
    if report.year is None:
        return
    pattern = re.compile(PERIOD.format(y=report.year))
    text = context.text if context.text is not None else report.sections.get("一", "")
    if pattern.search(text) or context.text is None:
        return
    yield rule.finding("", [], year=report.year)


def check_identity(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """The reporting body and year can be told from the title or the signature."""
    missing = [name for name, value in (("发布机关", report.agency), ("报告年度", report.year)) if not value]
    if missing:
        yield rule.finding("", [], missing="、".join(missing), missing_en=", ".join(missing))


FEE_WORDS = re.compile(r"信息处理费|处理费")
UNPAID = CellRef("requests", "other_unpaid_fee", "total")


def check_fee_statement(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Part 六 states the information-processing fee when fees were charged or requests lapsed unpaid."""
    if "六" not in report.sections:
        return
    unpaid = report.get(UNPAID) if report.format == "2021" else None
    charged = [
        f.value for f in report.figures if f.kind == "fee_yuan" and isinstance(f.value, int) and f.value > 0
    ]
    if ((isinstance(unpaid, int) and unpaid > 0) or charged) and not FEE_WORDS.search(report.sections["六"]):
        reason = (
            f"表三（六）2 填报 {unpaid} 件"
            if isinstance(unpaid, int) and unpaid > 0
            else "正文写明收取了费用"
        )
        yield rule.finding("requests" if unpaid else "", [str(UNPAID)] if unpaid else [], reason=reason)


PROBLEMS = re.compile(r"问题|不足|短板|差距|薄弱|有待")
MEASURES = re.compile(r"改进|措施|下一步|整改|将|加强|完善|提升")


def check_problems(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Part 五 names problems and what will be done; a part without either says nothing."""
    text = report.sections.get("五")
    if text is None:
        return
    missing = [
        (zh, en)
        for zh, en, pattern in (("存在的问题", "problems", PROBLEMS), ("改进措施", "measures", MEASURES))
        if not pattern.search(text)
    ]
    if missing:
        yield rule.finding(
            "",
            [],
            missing="、".join(zh for zh, _ in missing),
            missing_en=" and ".join(en for _, en in missing),
        )


PENDING_WORDS = re.compile(r"结转|下一?年度|未办结|尚未办结|正在办理|办理中|顺延|跨年")
FORWARD = CellRef("requests", "carried_forward", "total")


def check_pending(rule: Rule, report: Report, context: Context) -> Iterator[Finding]:
    """Requests carried into next year should be explained in the text (the table alone says nothing why)."""
    forward = report.get(FORWARD)
    if not isinstance(forward, int) or forward <= 0:
        return
    labels = [label for row in report.table("requests").rows for label in row.labels]
    prose = " ".join(report.sections.get(n, "") for n in ("一", "三", "五", "六"))
    for label in labels:
        prose = prose.replace(label, "")
    if not PENDING_WORDS.search(prose):
        yield rule.finding("requests", [str(FORWARD)], count=forward)
