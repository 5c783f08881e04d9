"""The proactive-disclosure register (主动公开登记) and what the annual report counts from it.

Table 二 is never typed where the register is used: `table_two` counts it from the items, as
`gongkai.tally` counts tables 三 and 四 from requests, and the property tests check it against an
independent recount. Readings this module had to choose (DERIVED, not stated by the format):

- A 规章 or 行政规范性文件 counts as 制发 in the year of its `issued` date and as 废止 in the year of
  its `repealed` date; it is 现行有效 on 31 December when it was issued and had taken effect
  (`effective`, default the issue date) by then, was not repealed on or before that day, and its
  validity (`expires`, the last valid day) had not run out.
- Decisions (Art. 20 (五)(六)) and fees (Art. 20 (八)) belong to the year the item was formed in.
- An item withdrawn as entered in error counts in no table from the year of its withdrawal on.
- Rows the agency does not keep in the register (`rows`) are left empty for manual entry.

The Art. 26 clock: an item is due 20 working days after the day it was formed or changed, counted
on the desk's `WorkCalendar` and explained day by day as the desk explains a request's clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from ..clock.calendar import WEEKDAY_ZH, Day, DayKind, WorkCalendar, missing_note
from ..clock.deadline import _md, _runs, _span
from ..clock.fees import to_wan_yuan
from ..formats import Kind, format_for_year
from ..report import Grid, Report
from ..writing.narrative import DRAFT_MARK, DRAFTS
from .catalogue import (
    AREA_BY_KEY,
    CHANNEL_BY_KEY,
    DOCUMENT_KINDS,
    KIND_BY_KEY,
    AgencyCatalogue,
    Area,
    CatalogueError,
    Matter,
)

PUBLISH_WORKDAYS = 20  # Art. 26
DUE_SOON_WORKDAYS = 5
DECISION_KINDS = ("licensing", "penalty", "coercion")
FEE_KIND = "fees"
FEE_DECIMALS = 4  # 万元 to four places, as reports that state a rule print it ("保留4位小数")


class RegisterError(ValueError):
    """A register item that cannot be right, in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class RegisterItem:
    """One proactively disclosed item. `kind` is a `catalogue.KINDS` key, `area` a catalogue area
    key ("" for information outside the catalogue's areas), `channels` `catalogue.CHANNELS` keys."""

    title: str
    kind: str
    area: str
    formed: date  # the day the information was formed or last changed (Art. 26)
    channels: tuple[str, ...] = ("website",)
    index_number: str = ""  # 索引号
    document_number: str = ""  # 文号
    publisher: str = ""  # 发布机构
    matter: Matter | None = None  # the catalogue's 一级/二级事项
    published: date | None = None
    issued: date | None = None  # 规章/行政规范性文件: 印发日期
    effective: date | None = None  # 施行日期 (default: the issue date)
    expires: date | None = None  # 有效期至: the last day it is valid
    repealed: date | None = None  # 废止日期: the first day it no longer applies
    withdrawn: date | None = None  # entry withdrawn as made in error
    decisions: int | None = None  # Art. 20 (五)(六): decisions this item discloses
    fee_yuan: Decimal | int | None = None  # Art. 20 (八): fees collected, in 元
    attachments: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        validate(self)

    @property
    def is_document(self) -> bool:
        return self.kind in DOCUMENT_KINDS

    def active(self, on: date) -> bool:
        """Whether the entry still stands on `on` (it was not withdrawn by then)."""
        return self.withdrawn is None or self.withdrawn > on


def _fail(item: RegisterItem, zh: str, en: str) -> RegisterError:
    name = item.title or "（无标题）"
    return RegisterError(f"登记事项“{name}”：{zh}", f"register item {name!r}: {en}")


def validate(item: RegisterItem) -> None:
    """Raise RegisterError for an item that cannot be right; the caller's form shows `.zh`."""
    if not item.title.strip():
        raise _fail(item, "标题不能为空", "the title is empty")
    if item.kind not in KIND_BY_KEY:
        raise _fail(item, f"未知的信息类别 {item.kind}", f"unknown kind {item.kind!r}")
    if not item.channels:
        raise _fail(item, "至少选择一个公开渠道", "no channel chosen")
    for channel in item.channels:
        if channel not in CHANNEL_BY_KEY:
            raise _fail(item, f"未知的公开渠道 {channel}", f"unknown channel {channel!r}")
    if len(set(item.channels)) != len(item.channels):
        raise _fail(item, "公开渠道重复", "a channel is listed twice")
    if item.published is not None and item.published < item.formed:
        raise _fail(item, "公开日期早于信息形成日期", "published before it was formed")
    if item.withdrawn is not None and item.withdrawn < item.formed:
        raise _fail(item, "撤回日期早于信息形成日期", "withdrawn before it was formed")
    dates = (item.issued, item.effective, item.expires, item.repealed)
    if not item.is_document and any(d is not None for d in dates):
        raise _fail(
            item,
            "只有规章和行政规范性文件登记印发、施行、有效期和废止日期",
            "only rules and normative documents carry issue, effect, expiry and repeal dates",
        )
    if item.is_document and item.issued is None:
        raise _fail(
            item, "规章和行政规范性文件须登记印发日期", "a rule or normative document needs its issue date"
        )
    if item.issued is not None:
        for later, zh, en in (
            (item.effective, "施行日期早于印发日期", "takes effect before it was issued"),
            (item.expires, "有效期届满日早于印发日期", "expires before it was issued"),
            (item.repealed, "废止日期早于印发日期", "repealed before it was issued"),
        ):
            if later is not None and later < item.issued:
                raise _fail(item, zh, en)
    if item.decisions is not None:
        if item.kind not in DECISION_KINDS:
            raise _fail(
                item,
                "只有行政许可、行政处罚、行政强制类信息登记处理决定数量",
                "only licensing, penalty and coercion items carry a number of decisions",
            )
        if isinstance(item.decisions, bool) or item.decisions < 0:
            raise _fail(item, "处理决定数量应为非负整数", "decisions must be a non-negative integer")
    if item.fee_yuan is not None:
        if item.kind != FEE_KIND:
            raise _fail(item, "只有行政事业性收费类信息登记收费金额", "only fee items carry an amount")
        if isinstance(item.fee_yuan, float | bool) or item.fee_yuan < 0:
            raise _fail(
                item,
                "收费金额应为不小于0的元数（整数或定点小数）",
                "the fee must be a non-negative int or Decimal of 元",
            )


def check_catalogue(item: RegisterItem, catalogue: AgencyCatalogue) -> None:
    """Raise RegisterError when the item's area or matter is not in the agency's catalogue."""
    if not item.area:
        return
    if item.area not in catalogue.covered:
        name = _known_area_name(item.area, catalogue) or item.area
        raise _fail(
            item,
            f"领域“{name}”不在本机关的公开目录中",
            f"area {item.area!r} is not in the agency's catalogue",
        )
    matters = catalogue.matters.get(item.area, ())
    if item.matter is not None and matters and item.matter not in matters:
        raise _fail(
            item,
            f"公开事项“{item.matter.label}”不在本机关“{catalogue.area(item.area).name}”领域的目录中",
            f"matter {item.matter.label!r} is not in the agency's catalogue for {item.area!r}",
        )


def _known_area_name(key: str, catalogue: AgencyCatalogue) -> str:
    try:
        return catalogue.area(key).name
    except CatalogueError:
        return ""


# Table 二 ------------------------------------------------------------------------------------------


def table_two(
    items: Iterable[RegisterItem],
    year: int,
    rows: Collection[str] | None = None,
    decimals: int = FEE_DECIMALS,
) -> Grid:
    """Table 二 of `year` counted from the register, in the canonical grid of the 2021 format.

    `rows` names the table-二 rows the agency keeps in the register (default: all); the others
    stay None for the agency to enter by hand.
    """
    fmt = format_for_year(year)
    if fmt.key != "2021":
        raise RegisterError(
            f"{year}年的报告使用2019年试行格式，登记簿只生成2021年及以后格式的表二",
            f"the register makes table 二 only in the 2021 format (year {year} uses the 2019 format)",
        )
    table = fmt.table("proactive")
    kept = {row.key for row in table.rows} if rows is None else set(rows)
    start, end = date(year, 1, 1), date(year, 12, 31)
    issued: Counter[str] = Counter()
    repealed: Counter[str] = Counter()
    in_force: Counter[str] = Counter()
    decisions: Counter[str] = Counter()
    fees = Decimal(0)
    for item in items:
        if not item.active(end):
            continue
        if item.is_document:
            assert item.issued is not None  # validate() guarantees it
            if start <= item.issued <= end:
                issued[item.kind] += 1
            if item.repealed is not None and start <= item.repealed <= end:
                repealed[item.kind] += 1
            if in_force_on(item, end):
                in_force[item.kind] += 1
        elif start <= item.formed <= end:
            if item.decisions is not None:
                decisions[item.kind] += item.decisions
            if item.fee_yuan is not None:
                fees += Decimal(item.fee_yuan)
    grid: Grid = {}
    for row in table.rows:
        cells: dict[str, int | str | None] = {}
        for column in table.columns_of(row):
            if row.key not in kept:
                cells[column.key] = None
            elif column.kind is Kind.MONEY:
                cells[column.key] = to_wan_yuan(fees, decimals)
            elif column.key == "issued":
                cells[column.key] = issued[row.key]
            elif column.key == "repealed":
                cells[column.key] = repealed[row.key]
            elif column.key == "in_force":
                cells[column.key] = in_force[row.key]
            else:
                cells[column.key] = decisions[row.key]
        grid[row.key] = cells
    return grid


def in_force_on(item: RegisterItem, day: date) -> bool:
    """Whether a rule or normative document is 现行有效 on `day` (see the module's readings)."""
    if not item.is_document or item.issued is None or not item.active(day):
        return False
    took_effect = (item.effective or item.issued) <= day
    return (
        took_effect
        and (item.repealed is None or item.repealed > day)
        and (item.expires is None or item.expires >= day)
    )


# The Art. 26 clock ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicationDue:
    """When an item must be public, with the explanation staff see."""

    formed: date
    due: date
    lines: tuple[str, ...]


def publication_due(formed: date, calendar: WorkCalendar) -> PublicationDue:
    """The 20th working day after `formed` (the day itself never counts), explained."""
    due = calendar.add_workdays(formed, PUBLISH_WORKDAYS)
    days = [calendar.day(date.fromordinal(n)) for n in range(formed.toordinal() + 1, due.toordinal() + 1)]
    lines = [
        f"{formed} 信息形成或者变更（{WEEKDAY_ZH[formed.weekday()]}）",
        f"依《条例》第二十六条，自次日起算 {PUBLISH_WORKDAYS} 个工作日内予以公开",
    ]
    lines.extend(_skipped_lines([d for d in days if not d.is_workday], formed.year))
    lines.extend(
        f"{_md(d.date, formed.year)}（{WEEKDAY_ZH[d.date.weekday()]}）为调休工作日，计入"
        for d in days
        if d.kind is DayKind.MAKEUP
    )
    for year in sorted({formed.year, due.year}):
        gap = missing_note(calendar, year)
        if gap:
            lines.append(f"{gap}，按周一至周五推算，请核对")
    lines.append(f"公开期限 {due}")
    return PublicationDue(formed, due, tuple(lines))


def _skipped_lines(skipped: Sequence[Day], year: int) -> list[str]:
    lines = []
    weekend_days = 0
    for run in _runs(skipped):
        names = list(dict.fromkeys(d.name for d in run if d.name))
        if names or any(d.kind is DayKind.HOLIDAY for d in run):
            lines.append(f"跳过{'、'.join(names) or '节'}假期 {_span(run[0].date, run[-1].date, year)}")
        else:
            weekend_days += len(run)
    if weekend_days:
        lines.append(f"跳过周末 {weekend_days} 天")
    return lines


class Timeliness(StrEnum):
    ON_TIME = "on_time"  # published by the due date
    LATE = "late"  # published after the due date
    OVERDUE = "overdue"  # not yet published, due date passed
    DUE_SOON = "due_soon"  # not yet published, due within the warning window
    OPEN = "open"  # not yet published, time left


TIMELINESS_ZH = {
    Timeliness.ON_TIME: "按时公开",
    Timeliness.LATE: "逾期公开",
    Timeliness.OVERDUE: "已逾期未公开",
    Timeliness.DUE_SOON: "即将到期",
    Timeliness.OPEN: "待公开",
}


@dataclass(frozen=True)
class Standing:
    """An item's Art. 26 standing on `as_of`."""

    item: RegisterItem
    due: PublicationDue
    status: Timeliness
    remaining_workdays: int | None  # unpublished: working days after as_of up to the due date (<0 overdue)
    late_workdays: int  # working days past the due date at publication, or by as_of if unpublished

    @property
    def status_zh(self) -> str:
        return TIMELINESS_ZH[self.status]


def standing(
    item: RegisterItem, as_of: date, calendar: WorkCalendar, soon: int = DUE_SOON_WORKDAYS
) -> Standing:
    due = publication_due(item.formed, calendar)
    if item.published is not None and item.published <= as_of:
        late = max(0, calendar.workdays_between(due.due, item.published))
        status = Timeliness.LATE if item.published > due.due else Timeliness.ON_TIME
        return Standing(item, due, status, None, late)
    remaining = calendar.workdays_between(as_of, due.due)
    if as_of > due.due:
        status = Timeliness.OVERDUE
    elif remaining <= soon:
        status = Timeliness.DUE_SOON
    else:
        status = Timeliness.OPEN
    return Standing(item, due, status, remaining, max(0, -remaining))


def attention(
    items: Iterable[RegisterItem], as_of: date, calendar: WorkCalendar, soon: int = DUE_SOON_WORKDAYS
) -> list[Standing]:
    """Items late or about to be on `as_of`: overdue, due soon, or published late; earliest due first.

    Items formed after `as_of` or withdrawn by then are left out.
    """
    wanted = (Timeliness.OVERDUE, Timeliness.DUE_SOON, Timeliness.LATE)
    result = [
        s
        for item in items
        if item.formed <= as_of and item.active(as_of)
        for s in (standing(item, as_of, calendar, soon),)
        if s.status in wanted
    ]
    return sorted(result, key=lambda s: (wanted.index(s.status), s.due.due, s.item.title))


# Part 一's proactive paragraph ---------------------------------------------------------------------

OUTSIDE_CATALOGUE = "其他"


def published_in(items: Iterable[RegisterItem], year: int) -> list[RegisterItem]:
    """Items made public in `year` and still standing at its end."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return [i for i in items if i.published is not None and start <= i.published <= end and i.active(end)]


def counts_by_area(
    items: Iterable[RegisterItem], catalogue: AgencyCatalogue | None = None
) -> list[tuple[str, int]]:
    """(area name, count) in the agency's catalogue order; areas outside it after, "其他" last."""
    counts = Counter(i.area for i in items)
    order = list(catalogue.covered) if catalogue else []
    order += sorted(k for k in counts if k and k not in order)
    result = [(_area_name(k, catalogue), counts[k]) for k in order if counts[k]]
    if counts[""]:
        result.append((OUTSIDE_CATALOGUE, counts[""]))
    return result


def _area_name(key: str, catalogue: AgencyCatalogue | None) -> str:
    area: Area | None = catalogue.area(key) if catalogue else AREA_BY_KEY.get(key)
    return area.name if area else key


def counts_by_channel(items: Iterable[RegisterItem]) -> list[tuple[str, int]]:
    """(channel name, count) in the declared channel order; an item counts once per channel."""
    counts = Counter(c for i in items for c in i.channels)
    return [(channel.name, counts[channel.key]) for channel in CHANNEL_BY_KEY.values() if counts[channel.key]]


def proactive_paragraph(
    items: Iterable[RegisterItem], year: int, agency: str, catalogue: AgencyCatalogue | None = None
) -> str:
    """Part 一's proactive paragraph, written the way street offices write it, from the counts."""
    public = published_in(items, year)
    who = agency or "本机关"
    if not public:
        return f"（一）主动公开方面。{year}年，{who}本年度未登记主动公开的政府信息。"
    areas = counts_by_area(public, catalogue)
    channels = counts_by_channel(public)
    by_area = "、".join(f"{name}{'信息' if name == OUTSIDE_CATALOGUE else '领域'}{n}条" for name, n in areas)
    by_channel = "、".join(f"{name}{n}条" for name, n in channels)
    several = sum(n for _, n in channels) > len(public)
    multi = "（同一条信息通过多个渠道公开的，分别计入各渠道）" if several else ""
    return (
        f"（一）主动公开方面。{year}年，{who}主动公开政府信息{len(public)}条。"
        f"按领域分别为：{by_area}。按公开渠道分别为：{by_channel}{multi}。"
    )


def apply_register(
    report: Report,
    items: Sequence[RegisterItem],
    catalogue: AgencyCatalogue | None = None,
    rows: Collection[str] | None = None,
) -> Report:
    """`report` with table 二 counted from the register and part 一 drafted, marked as a draft.

    The report must carry its year. A part 一 the user already wrote is kept as it is: the draft
    only fills an empty one.
    """
    if report.year is None:
        raise RegisterError(
            "报告缺少年度，无法从登记簿统计", "the report has no year to count the register for"
        )
    result = replace(report, proactive=table_two(items, report.year, rows), sections=dict(report.sections))
    if not result.sections.get("一", "").strip():
        others = [p for p in DRAFTS["一"](result) if not p.startswith("（一）主动公开方面")]
        paragraph = proactive_paragraph(items, report.year, report.agency or "", catalogue)
        result.sections["一"] = "\n".join((DRAFT_MARK, paragraph, *others))
    return result
