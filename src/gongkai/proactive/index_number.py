"""索引号: an index number for every register item, from a rule each agency configures.

A rule is a template such as ``{org_code}/{year}-{area_code}-{seq:05d}``. Provinces prescribe
different shapes, so the shape is data; what is fixed is the set of fields and that the sequence is
the only counter. The rule is checked when it is made, so a bad template fails on the settings page
with a plain Chinese reason rather than on the day a number is issued. `IndexRule.next` reads the
last number issued back through the same template and counts on; a new year or area (any changed
field) restarts the sequence at 1.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

FIELDS = {
    "org_code": "机构代码",
    "year": "年份",
    "area_code": "领域代码",
    "category": "类别代码",
    "seq": "序号",
}
TEXT_FIELDS = ("org_code", "area_code", "category")
MAX_TEMPLATE = 200
_SEQ_SPEC = re.compile(r"(?:0(\d{1,2}))?d")


class IndexRuleError(ValueError):
    """A template or a number that does not fit it, in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class _Part:
    literal: str
    field: str  # "" after the last field
    width: int  # zero-padded width of seq, 0 when free


@dataclass(frozen=True)
class IndexRule:
    """A validated 索引号 template."""

    template: str
    _parts: tuple[_Part, ...] = field(init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = _parse(self.template)
        object.__setattr__(self, "_parts", parts)
        object.__setattr__(self, "_pattern", re.compile("".join(_regex(p) for p in parts)))

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(p.field for p in self._parts if p.field)

    @property
    def width(self) -> int:
        return next(p.width for p in self._parts if p.field == "seq")

    def format(
        self, seq: int, *, year: int, org_code: str = "", area_code: str = "", category: str = ""
    ) -> str:
        """The number for `seq` and the given field values."""
        values = self._values(year, org_code, area_code, category)
        if seq < 1:
            raise IndexRuleError("序号从1开始", "the sequence starts at 1")
        width = self.width
        if width and seq >= 10**width:
            raise IndexRuleError(
                f"序号 {seq} 超过模板规定的 {width} 位，请调整索引号规则",
                f"sequence {seq} exceeds the template's {width} digits",
            )
        out = []
        for part in self._parts:
            out.append(part.literal)
            if part.field == "seq":
                out.append(str(seq).zfill(width))
            elif part.field:
                out.append(values[part.field])
        return "".join(out)

    def parse(self, number: str) -> dict[str, str]:
        """The field values of a number made by this rule (seq as printed)."""
        match = self._pattern.fullmatch(number.strip())
        if match is None:
            raise IndexRuleError(
                f"索引号“{number}”不符合规则 {self.template}",
                f"index number {number!r} does not fit {self.template!r}",
            )
        return match.groupdict()

    def next(
        self, last: str | None, *, year: int, org_code: str = "", area_code: str = "", category: str = ""
    ) -> str:
        """The number after `last` (the last one issued in this scope, or None for the first)."""
        values = self._values(year, org_code, area_code, category)
        seq = 1
        if last:
            parsed = self.parse(last)
            if all(parsed[f] == values[f] for f in self.fields if f != "seq"):
                seq = int(parsed["seq"]) + 1
        return self.format(seq, year=year, org_code=org_code, area_code=area_code, category=category)

    def _values(self, year: int, org_code: str, area_code: str, category: str) -> dict[str, str]:
        if not 1000 <= year <= 9999:
            raise IndexRuleError(f"年份 {year} 不是四位数", f"year {year} is not four digits")
        values = {"year": str(year), "org_code": org_code, "area_code": area_code, "category": category}
        separators = [p.literal for p in self._parts if p.literal]
        for name in TEXT_FIELDS:
            if name not in self.fields:
                continue
            value = values[name]
            if not value.strip():
                raise IndexRuleError(f"{FIELDS[name]}不能为空", f"{name} is empty")
            if any(ch.isspace() for ch in value) or "{" in value or "}" in value:
                raise IndexRuleError(
                    f"{FIELDS[name]}“{value}”中不能有空格或花括号", f"{name} {value!r} has spaces or braces"
                )
            clash = next((s for s in separators if s in value), None)
            if clash is not None:
                raise IndexRuleError(
                    f"{FIELDS[name]}“{value}”中含有规则的分隔符“{clash}”，生成的索引号无法拆分",
                    f"{name} {value!r} contains the template separator {clash!r}",
                )
        return values


def _parse(template: str) -> tuple[_Part, ...]:
    if not template.strip():
        raise IndexRuleError("索引号规则不能为空", "the template is empty")
    if len(template) > MAX_TEMPLATE:
        raise IndexRuleError(
            f"索引号规则过长（上限 {MAX_TEMPLATE} 字）", f"template longer than {MAX_TEMPLATE} characters"
        )
    try:
        pieces = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise IndexRuleError(
            "索引号规则中的花括号不成对（字段写作 {字段名}，字面花括号写作 {{ 或 }}）",
            f"unbalanced braces in the template: {exc}",
        ) from exc
    known = "、".join(f"{{{k}}}（{v}）" for k, v in FIELDS.items())
    parts: list[_Part] = []
    for literal, name, spec, conversion in pieces:
        if name is None:
            parts.append(_Part(literal, "", 0))
            continue
        if name not in FIELDS:
            shown = name or "空字段"
            raise IndexRuleError(
                f"索引号规则中有未知字段 {{{shown}}}，可用字段：{known}",
                f"unknown field {name!r} in the template",
            )
        if conversion:
            raise IndexRuleError(
                f"字段 {{{name}}} 不能带 !{conversion} 转换", f"field {name!r} has a !{conversion} conversion"
            )
        width = 0
        if name == "seq":
            spec_match = _SEQ_SPEC.fullmatch(spec or "d")
            if spec_match is None:
                raise IndexRuleError(
                    f"序号格式“{spec}”无效：写作 {{seq}} 或 {{seq:05d}}（5 位，不足补零）",
                    f"invalid sequence format {spec!r}: use {{seq}} or {{seq:05d}}",
                )
            width = int(spec_match.group(1) or 0)
        elif spec:
            raise IndexRuleError(
                f"字段 {{{name}}} 不能带格式“{spec}”，只有序号可以设置位数",
                f"field {name!r} takes no format spec",
            )
        if any(p.field == name for p in parts):
            raise IndexRuleError(f"字段 {{{name}}} 在规则中出现了两次", f"field {name!r} appears twice")
        if parts and parts[-1].field and not literal and not (_fixed(parts[-1]) or _fixed_field(name, width)):
            raise IndexRuleError(
                f"字段 {{{parts[-1].field}}} 与 {{{name}}} 之间需要分隔符（如“-”），否则索引号无法拆分",
                f"fields {parts[-1].field!r} and {name!r} need a separator between them",
            )
        parts.append(_Part(literal, name, width))
    if not any(p.field == "seq" for p in parts):
        raise IndexRuleError("索引号规则必须包含序号字段 {seq}", "the template has no {seq} field")
    if "year" not in {p.field for p in parts}:
        raise IndexRuleError("索引号规则必须包含年份字段 {year}", "the template has no {year} field")
    return tuple(parts)


def _fixed(part: _Part) -> bool:
    return _fixed_field(part.field, part.width)


def _fixed_field(name: str, width: int) -> bool:
    return name == "year" or (name == "seq" and width > 0)


def _regex(part: _Part) -> str:
    literal = re.escape(part.literal)
    if not part.field:
        return literal
    if part.field == "year":
        return f"{literal}(?P<year>\\d{{4}})"
    if part.field == "seq":
        digits = f"\\d{{{part.width}}}" if part.width else "\\d+"
        return f"{literal}(?P<seq>{digits})"
    return f"{literal}(?P<{part.field}>\\S+?)"
