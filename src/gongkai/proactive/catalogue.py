"""The grassroots standard catalogue (基层政务公开标准目录), the channels and the item kinds, as data.

The areas are those of `shared/spec/domain-notes.md` §4. `verified` marks the names seen in the cited
sources; the others come from memory there and stay UNVERIFIED until checked against the State
Council's list (国办发〔2019〕54号). The notes give no official 一级/二级事项 text, so none is
declared here: each agency enters the matters of its own catalogue (`AgencyCatalogue.matters`),
which is also where it names areas of its own and declares the areas it does not cover
(未涉及领域事项说明).

Item kinds that feed table 二 take their labels from the 2021 format declaration, so the register
and the report can never disagree on a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..formats import get_format


class CatalogueError(ValueError):
    """A catalogue selection that cannot be used, in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class Matter:
    """One 公开事项 of a catalogue: its 一级事项 and, where it has one, 二级事项."""

    level1: str
    level2: str = ""

    @property
    def label(self) -> str:
        return f"{self.level1}—{self.level2}" if self.level2 else self.level1


@dataclass(frozen=True)
class Area:
    """A catalogue area (领域), e.g. 社会救助."""

    key: str
    name: str
    verified: bool  # True: the name was seen in the cited sources; False: UNVERIFIED
    variants: tuple[str, ...] = ()


def _area(key: str, name: str, verified: bool = True, *variants: str) -> Area:
    return Area(key, name, verified, variants)


UNVERIFIED = False
AREAS: tuple[Area, ...] = (
    _area("planning", "城乡规划"),
    _area("major_projects", "重大建设项目"),
    _area("public_resource_trading", "公共资源交易"),
    _area("budget", "财政预决算"),
    _area("work_safety", "安全生产"),
    _area("tax", "税收管理", UNVERIFIED),
    _area("land_expropriation", "征地补偿"),
    _area("housing_expropriation", "国有土地上房屋征收与补偿", UNVERIFIED),
    _area("rural_housing", "农村危房改造"),
    _area("environment", "环境保护", UNVERIFIED, "生态环境"),
    _area("legal_services", "公共法律服务"),
    _area("poverty_alleviation", "扶贫"),
    _area("disaster_relief", "救灾"),
    _area("food_drug", "食品药品监管"),
    _area("urban_enforcement", "城市综合执法", UNVERIFIED),
    _area("employment", "就业"),
    _area("social_insurance", "社会保险"),
    _area("social_assistance", "社会救助"),
    _area("elderly_care", "养老服务"),
    _area("household_registration", "户籍管理"),
    _area("farm_subsidies", "涉农补贴"),
    _area("compulsory_education", "义务教育"),
    _area("health", "卫生健康", True, "医疗卫生"),
    _area("market_regulation", "市场监管", UNVERIFIED),
    _area("public_culture", "公共文化服务"),
    _area("public_sports", "公共体育", UNVERIFIED),
)
AREA_BY_KEY = {a.key: a for a in AREAS}


@dataclass(frozen=True)
class Channel:
    """A 公开渠道和载体, as the catalogue's checkboxes name it (domain-notes §4)."""

    key: str
    name: str


CHANNELS: tuple[Channel, ...] = (
    Channel("website", "政府网站"),
    Channel("new_media", "两微一端"),
    Channel("reading_point", "公开查阅点"),
    Channel("service_station", "便民服务站"),
    Channel("notice_board", "社区/村公示栏"),
    Channel("targeted_push", "精准推送"),
    Channel("other", "其他"),
)
CHANNEL_BY_KEY = {c.key: c for c in CHANNELS}


@dataclass(frozen=True)
class ItemKind:
    """What a register item is; `row` is its table-二 row key, "" when it is not counted there."""

    key: str
    label: str
    row: str
    article: str  # the Art. 20 item it falls under, e.g. "第二十条第（一）项"


def _kinds() -> tuple[ItemKind, ...]:
    table = get_format("2021").table("proactive")
    kinds = [ItemKind(row.key, row.label, row.key, row.caption) for row in table.rows]
    return (*kinds, ItemKind("other", "其他主动公开信息", "", ""))


KINDS = _kinds()
KIND_BY_KEY = {k.key: k for k in KINDS}
DOCUMENT_KINDS = tuple(k.key for k in KINDS if k.article == "第二十条第（一）项")  # 规章, 行政规范性文件


@dataclass(frozen=True)
class AgencyCatalogue:
    """One agency's selection: the areas it publishes, those it declares not applicable (with the
    note it publishes for them), areas of its own, and the matters of each area it covers."""

    covered: tuple[str, ...]  # area keys, in the order the agency lists them
    not_applicable: Mapping[str, str] = field(default_factory=dict)  # area key -> 未涉及说明
    own_areas: tuple[Area, ...] = ()  # areas of the agency's catalogue that AREAS does not name
    matters: Mapping[str, tuple[Matter, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise CatalogueError naming the first problem; a valid selection passes silently."""
        for area in self.own_areas:
            if area.key in AREA_BY_KEY:
                raise CatalogueError(
                    f"自定义领域“{area.name}”的代码 {area.key} 与标准目录的领域重复",
                    f"own area key {area.key!r} repeats a standard area",
                )
            if not area.name.strip():
                raise CatalogueError(f"自定义领域 {area.key} 没有名称", f"own area {area.key!r} has no name")
        known = self._known()
        names = [a.name for a in known.values()]
        if len(known) != len(self.own_areas) + len(AREAS) or len(set(names)) != len(names):
            raise CatalogueError("自定义领域的代码或名称重复", "own areas repeat a key or a name")
        if len(set(self.covered)) != len(self.covered):
            raise CatalogueError("公开领域中有重复项", "a covered area is listed twice")
        for key in (*self.covered, *self.not_applicable, *self.matters):
            if key not in known:
                raise CatalogueError(f"未知的领域代码：{key}", f"unknown area key {key!r}")
        for key in self.covered:
            if key in self.not_applicable:
                raise CatalogueError(
                    f"领域“{known[key].name}”不能既列为公开领域又声明为未涉及",
                    f"area {key!r} is both covered and declared not applicable",
                )
        for key, matters in self.matters.items():
            if key not in self.covered:
                raise CatalogueError(
                    f"领域“{known[key].name}”未列为公开领域，不能为其设置公开事项",
                    f"matters given for area {key!r}, which is not covered",
                )
            for matter in matters:
                if not matter.level1.strip():
                    raise CatalogueError(
                        f"领域“{known[key].name}”有一项公开事项缺少一级事项",
                        f"a matter of area {key!r} has no level-1 name",
                    )

    def _known(self) -> dict[str, Area]:
        return {**AREA_BY_KEY, **{a.key: a for a in self.own_areas}}

    def area(self, key: str) -> Area:
        known = self._known()
        if key not in known:
            raise CatalogueError(f"未知的领域代码：{key}", f"unknown area key {key!r}")
        return known[key]

    def covered_areas(self) -> tuple[Area, ...]:
        return tuple(self.area(k) for k in self.covered)

    def undeclared(self) -> tuple[Area, ...]:
        """Standard areas the agency has neither covered nor declared not applicable."""
        return tuple(a for a in AREAS if a.key not in self.covered and a.key not in self.not_applicable)

    def to_data(self) -> dict[str, Any]:
        return {
            "covered": list(self.covered),
            "not_applicable": dict(self.not_applicable),
            "own_areas": [{"key": a.key, "name": a.name} for a in self.own_areas],
            "matters": {
                key: [{"level1": m.level1, "level2": m.level2} for m in matters]
                for key, matters in self.matters.items()
            },
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> AgencyCatalogue:
        """The selection from plain data (JSON), with a clear error for a wrong shape."""
        try:
            return cls(
                covered=tuple(_strings(data.get("covered", []), "covered")),
                not_applicable={str(k): str(v) for k, v in dict(data.get("not_applicable", {})).items()},
                own_areas=tuple(
                    Area(str(a["key"]), str(a["name"]), verified=False) for a in data.get("own_areas", [])
                ),
                matters={
                    str(key): tuple(Matter(str(m["level1"]), str(m.get("level2", ""))) for m in items)
                    for key, items in dict(data.get("matters", {})).items()
                },
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            if isinstance(exc, CatalogueError):
                raise
            raise CatalogueError(
                f"目录配置格式不正确：{exc}", f"malformed catalogue selection: {exc}"
            ) from exc


def _strings(value: Any, name: str) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{name} must be a list of strings")
    return list(value)
