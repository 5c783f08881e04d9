"""A demo register: a street office's year of proactive disclosure, seeded and reproducible.

Shaped like the seeds' street offices (part 一 of 000: 72 items, 12 in each of six areas, on the
district website and the community boards), with a few normative documents from earlier years,
monthly penalty notices with their decision counts, and some items published late or not yet, so
that every view and table the web demo shows has something to show. Pure: the same seed gives the
same register.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..clock.calendar import WorkCalendar
from .catalogue import AgencyCatalogue
from .index_number import IndexRule
from .register import RegisterItem

DEMO_CATALOGUE = AgencyCatalogue(
    covered=(
        "public_culture",
        "work_safety",
        "social_assistance",
        "disaster_relief",
        "employment",
        "elderly_care",
    ),
    not_applicable={
        "farm_subsidies": "本街道辖区无农业生产经营主体，不涉及涉农补贴事项。",
        "rural_housing": "本街道辖区为城市社区，不涉及农村危房改造事项。",
        "land_expropriation": "本年度辖区内无征地项目。",
    },
)
DEMO_RULE = IndexRule("{org_code}/{year}-{area_code}-{seq:05d}")
DEMO_ORG_CODE = "11410300MB0000000X"

# Monthly items per area: "{y}" is the year, "{m}" the month.
TITLES: dict[str, tuple[str, ...]] = {
    "public_culture": (
        "{y}年{m}月社区文化活动安排",
        "{y}年{m}月综合文化服务中心开放情况",
        "{y}年{m}月公益电影放映计划",
    ),
    "work_safety": (
        "{y}年{m}月安全生产检查情况通报",
        "{y}年{m}月辖区九小场所消防安全排查结果",
        "{y}年{m}月安全生产隐患整改情况",
    ),
    "social_assistance": (
        "{y}年{m}月城市最低生活保障金发放情况公示",
        "{y}年{m}月临时救助审批情况公示",
        "{y}年{m}月特困人员供养情况公示",
    ),
    "disaster_relief": (
        "{y}年{m}月自然灾害风险隐患排查情况",
        "{y}年{m}月应急避难场所维护情况",
        "{y}年{m}月防灾减灾知识宣传",
    ),
    "employment": (
        "{y}年{m}月公益性岗位招聘公告",
        "{y}年{m}月就业创业政策宣传",
        "{y}年{m}月职业技能培训报名通知",
    ),
    "elderly_care": (
        "{y}年{m}月高龄津贴发放情况公示",
        "{y}年{m}月社区日间照料中心服务情况",
        "{y}年{m}月老年人助餐服务情况",
    ),
}


def demo_register(
    year: int,
    seed: int = 1,
    agency: str = "示例市东城区东湖街道办事处",
    calendar: WorkCalendar | None = None,
    catalogue: AgencyCatalogue = DEMO_CATALOGUE,
) -> list[RegisterItem]:
    """A year's register for `agency`: one item a month in each area `catalogue` covers (titles
    for areas without their own templates name the area), documents and penalty notices; a sixth
    of December's items are not yet published."""
    rng = random.Random(seed)
    cal = calendar or WorkCalendar()
    last_numbers: dict[str, str | None] = {}
    items: list[RegisterItem] = []
    for code, area in enumerate(catalogue.covered, 1):
        titles = TITLES.get(area, (f"{{y}}年{{m}}月{catalogue.area(area).name}领域信息公开",))
        for month in range(1, 13):
            formed = date(year, month, rng.randint(1, 28))
            title = rng.choice(titles).format(y=year, m=month)
            number = DEMO_RULE.next(
                last_numbers.get(area), year=year, org_code=DEMO_ORG_CODE, area_code=f"{code:02d}"
            )
            last_numbers[area] = number
            items.append(
                RegisterItem(
                    title=title,
                    kind="other",
                    area=area,
                    formed=formed,
                    channels=_channels(rng),
                    index_number=number,
                    publisher=agency,
                    published=_published(rng, cal, formed, month),
                )
            )
    items.extend(_documents(rng, year, agency))
    items.extend(_penalties(rng, cal, year, agency))
    return items


def _channels(rng: random.Random) -> tuple[str, ...]:
    extra = [c for c in ("notice_board", "new_media", "service_station") if rng.random() < 0.4]
    return ("website", *extra)


def _published(rng: random.Random, cal: WorkCalendar, formed: date, month: int) -> date | None:
    if month == 12 and rng.random() < 1 / 6:
        return None
    late = rng.random() < 0.05
    return cal.add_workdays(formed, rng.randint(21, 30) if late else rng.randint(1, 15))


def _documents(rng: random.Random, year: int, agency: str) -> list[RegisterItem]:
    """Normative documents: two from earlier years (one repealed this year), one issued this year."""
    docs = []
    specs = (
        (year - 3, "关于进一步规范社区公益性岗位管理的通知", "repeal"),
        (year - 2, "辖区临时救助实施细则", "keep"),
        (year, "关于加强居民小区消防安全管理的规定", "keep"),
    )
    for n, (issued_year, title, fate) in enumerate(specs, 1):
        issued = date(issued_year, rng.randint(1, 12), rng.randint(1, 28))
        repealed = date(year, rng.randint(1, 12), rng.randint(1, 28)) if fate == "repeal" else None
        docs.append(
            RegisterItem(
                title=title,
                kind="normative_documents",
                area="",
                formed=issued,
                channels=("website", "reading_point"),
                document_number=f"东湖办〔{issued_year}〕{n}号",
                publisher=agency,
                published=issued + timedelta(days=rng.randint(1, 10)),
                issued=issued,
                effective=issued + timedelta(days=30),
                expires=date(issued_year + 5, issued.month, issued.day) - timedelta(days=1),
                repealed=repealed,
            )
        )
    return docs


def _penalties(rng: random.Random, cal: WorkCalendar, year: int, agency: str) -> list[RegisterItem]:
    """Quarterly notices of the office's administrative penalties, each with its decision count."""
    return [
        RegisterItem(
            title=f"{year}年第{quarter}季度行政处罚决定公示",
            kind="penalty",
            area="",
            formed=(formed := date(year, quarter * 3, 25)),
            channels=("website",),
            publisher=agency,
            published=cal.add_workdays(formed, rng.randint(1, 10)),
            decisions=rng.randint(0, 6),
        )
        for quarter in range(1, 5)
    ]
