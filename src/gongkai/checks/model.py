"""What a check produces (`Finding`), what it may look at (`Context`), and what a rule is (`Rule`).

Rules are data plus one function, so the catalogue can be listed, documented and tested
from the same objects that run: a rule without a description or examples cannot hide.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar, cast

from ..report import Figure, Note, Report, Value

T = TypeVar("T")


class Severity(StrEnum):
    """error: the report is wrong as published; warning: a reviewer should look; notice: for information."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "notice": "提示"}[self.value]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message_zh: str
    message_en: str
    table: str = ""  # "proactive", "requests", "appeals"; empty for the document as a whole
    cells: tuple[str, ...] = ()  # canonical cell keys, "requests.handled_total.natural_person"
    locations: tuple[dict[str, Any], ...] = ()  # where the cells are printed (report.provenance)
    facts: str = ""  # digest of what the finding says (its message's figures), not of how it is worded

    @property
    def fingerprint(self) -> str:
        """Rule, table, cells and a digest of what is said: stable across re-runs, list order and
        rewording, so a reviewer's decision on a finding survives the checks running again."""
        said = self.facts or hashlib.sha256(self.message_en.encode()).hexdigest()[:12]
        return f"{self.rule}|{self.table}|{','.join(self.cells)}|{said}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message_zh,
            "message_en": self.message_en,
            "fingerprint": self.fingerprint,
        }
        if self.table:
            data["table"] = self.table
        if self.cells:
            data["cells"] = list(self.cells)
        if self.locations:
            data["locations"] = list(self.locations)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Finding:
        """The finding `to_json` wrote, with the same fingerprint (its last part is what was said)."""
        return cls(
            data["rule"],
            Severity(data["severity"]),
            data["message"],
            data.get("message_en", ""),
            data.get("table", ""),
            tuple(data.get("cells", ())),
            tuple(data.get("locations", ())),
            data["fingerprint"].rsplit("|", 1)[-1],
        )


@dataclass(frozen=True)
class Context:
    """What a check may know beyond the report itself; everything is passed in, nothing is fetched.

    `text` is the whole document as read (the report keeps no preamble and no crawler header,
    where the statistics period and the publication date are printed); `previous` is the same
    agency's report on the year before; `township_deadline` is the locally set publication
    deadline (month, day) for townships and street offices, which Art. 49 does not fix.
    """

    previous: Report | None = None
    text: str | None = None
    published: date | None = None
    township_deadline: tuple[int, int] = (1, 31)
    # What several rules ask of the same report, answered once per context (`remembered`): by
    # id() of the report and the question; the report is kept with its answer so the id cannot be reused.
    memo: dict[tuple[int, str], tuple[Report, Any]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def remembered(self, report: Report, question: str, answer: Callable[[], T]) -> T:
        """`answer()` for `report`, computed once in this context (which `check` makes per run,
        so the report cannot change meanwhile)."""
        key = (id(report), question)
        kept = self.memo.get(key)
        if kept is None or kept[0] is not report:
            kept = self.memo[key] = (report, answer())
        return cast(T, kept[1])


@dataclass(frozen=True)
class Example:
    """A report made from the consistent base report by a few changes; docs show it, tests run it."""

    summary: str  # what the example shows, in Chinese
    cells: Mapping[str, Value] = field(default_factory=dict)
    format: str = "2021"
    proactive_format: str | None = None
    year: int = 2023
    agency: str = "示例区示例街道办事处"
    sections: Mapping[str, str | None] = field(default_factory=dict)  # None removes the part
    figures: tuple[Figure, ...] = ()
    notes: tuple[Note, ...] = ()
    provenance: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    previous: Example | None = None
    text: str | None = None
    published: date | None = None


Check = Callable[["Rule", Report, Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity  # the severity of a plain breach; a rule may report less when unsure
    title_zh: str
    title_en: str
    template_zh: str  # str.format fields are the rule's own
    template_en: str
    formats: tuple[str, ...]  # format versions of `table` the rule applies to
    table: str  # whose format decides whether the rule applies ("" for any)
    passing: Example
    failing: Example
    run: Check
    description: str
    cross_year: bool = False  # needs last year's report

    def finding(
        self,
        table: str = "",
        cells: Iterable[str] = (),
        severity: Severity | None = None,
        **fields: object,
    ) -> Finding:
        return Finding(
            self.id,
            severity or self.severity,
            self.template_zh.format(**fields),
            self.template_en.format(**fields),
            table,
            tuple(cells),
            facts=_digest(fields),
        )


# Fields that only name the finding's cells in words (its cells are in the fingerprint by key)
# or translate it: left out of the digest, so rewording a label or a message keeps decisions.
WORDING = frozenset({"cell", "row", "name", "where", "en", "message", "message_en"})


def _digest(fields: Mapping[str, object]) -> str:
    said = "\x1f".join(
        f"{key}={fields[key]}" for key in sorted(fields) if key not in WORDING and not key.endswith("_en")
    )
    return hashlib.sha256(said.encode()).hexdigest()[:12]
