"""Tables 三 and 四 of the annual report, by construction from the desk's records.

The desk never types a number into table 三: each request is counted once in 一 (received
in the year) or 二 (open at the start of the year), once under its outcome row if it was
closed in the year, and in 四 if it is still open at the end. The identities of the
format then hold by construction, which the property tests verify against a recount.

Two entry points share one builder: `tally` over plain records (tests, small agencies),
and `Counts` that a database fills with GROUP BY queries (a million requests).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .formats import format_for_year
from .report import Report

APPEAL_RESULTS = ("upheld", "corrected", "other")


@dataclass(frozen=True)
class RequestRecord:
    received: date  # the receipt date under Art. 31
    applicant: str  # a table-三 column key: natural_person, commercial, ... other_org
    closed: date | None = None  # the day the request ended with its outcome
    outcome: str | None = None  # a leaf row key of table 三, e.g. "disclosed"


@dataclass(frozen=True)
class AppealRecord:
    kind: str  # "reconsideration", "litigation_direct" or "litigation_after_reconsideration"
    filed: date
    result: str | None = None  # "upheld", "corrected", "other"; None while undecided
    decided: date | None = None


@dataclass
class Counts:
    """What table 三 and 四 need, as a database can count it."""

    received: Counter[str] = field(default_factory=Counter)  # by applicant
    carried_over: Counter[str] = field(default_factory=Counter)  # by applicant
    closed: Counter[tuple[str, str]] = field(default_factory=Counter)  # by (outcome, applicant)
    carried_forward: Counter[str] = field(default_factory=Counter)  # by applicant
    appeals: Counter[tuple[str, str]] = field(default_factory=Counter)  # by (kind, result or "pending")

    def __add__(self, other: Counts) -> Counts:
        """Counts of two agencies together (a roll-up is a sum)."""
        return Counts(
            self.received + other.received,
            self.carried_over + other.carried_over,
            self.closed + other.closed,
            self.carried_forward + other.carried_forward,
            self.appeals + other.appeals,
        )


def count(requests: Iterable[RequestRecord], appeals: Iterable[AppealRecord], year: int) -> Counts:
    """Count records for `year` (the plain-Python twin of the desk's SQL)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    counts = Counts()
    for r in requests:
        if r.received > end:
            continue
        if r.received >= start:
            counts.received[r.applicant] += 1
        elif r.closed is None or r.closed >= start:
            counts.carried_over[r.applicant] += 1
        else:
            continue  # closed before the year began
        if r.closed is not None and r.closed <= end:
            if r.outcome is None:
                raise ValueError(f"a closed request needs an outcome: {r}")
            counts.closed[r.outcome, r.applicant] += 1
        else:
            counts.carried_forward[r.applicant] += 1
    for a in appeals:
        if start <= a.filed <= end:
            decided = a.result is not None and a.decided is not None and a.decided <= end
            counts.appeals[a.kind, a.result if decided and a.result else "pending"] += 1
    return counts


def build(counts: Counts, format_key: str = "2021") -> Report:
    """A report whose tables 三 and 四 are the counts, totals derived from the declaration.

    Table 二 is left zero for the desk to fill from its entered figures. In the 2019
    format the three （六） outcomes are one row, `other`.
    """
    report = Report.blank(format_key, zero=True)
    requests = report.table("requests")
    leaves = [row.key for row in requests.rows if row.leaf]
    parts = [c.key for c in requests.columns if c.key != "total"]
    grid = report.requests
    merge = {"other_no_supplement", "other_unpaid_fee", "other_other"} if "other" in leaves else set()
    for (outcome, applicant), n in counts.closed.items():
        row = "other" if outcome in merge else outcome
        if row not in leaves or applicant not in parts:
            raise ValueError(f"unknown outcome or applicant kind: {outcome!r}, {applicant!r}")
        grid[row][applicant] = int(grid[row][applicant] or 0) + n
    for row, counter in (
        ("received", counts.received),
        ("carried_over", counts.carried_over),
        ("carried_forward", counts.carried_forward),
    ):
        for applicant, n in counter.items():
            if applicant not in parts:
                raise ValueError(f"unknown applicant kind: {applicant!r}")
            grid[row][applicant] = n
    for applicant in parts:
        grid["handled_total"][applicant] = sum(int(grid[row][applicant] or 0) for row in leaves)
    for declared in requests.rows:
        grid[declared.key]["total"] = sum(int(grid[declared.key][c] or 0) for c in parts)
    for (kind, result), n in counts.appeals.items():
        cells = report.appeals[kind]
        cells[result] = int(cells[result] or 0) + n
    for cells in report.appeals.values():
        cells["total"] = sum(int(cells[c] or 0) for c in (*APPEAL_RESULTS, "pending"))
    return report


def tally(
    requests: Iterable[RequestRecord],
    appeals: Iterable[AppealRecord],
    year: int,
    format_key: str | None = None,
) -> Report:
    """The report of one agency's records for `year` in the format due for that year."""
    key = format_key or format_for_year(year).key
    report = build(count(requests, appeals, year), key)
    report.year = year
    return report
