"""Reads of the supervisor's desk: the regions a user oversees, a region's year at a glance (who
reported, who is missing, who is late, findings by severity), and a report's findings with the
reviewer's decisions. The overview is two queries whatever the region's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from gongkai.web.agencies.models import Agency, Level
from gongkai.web.agencies.permissions import AnyUser, grants, is_superuser

from .models import Deadline, FindingDecision, Status, Submission

# Art. 49: departments submit and publish by 31 January; a government's own report is published by
# 31 March; townships and street offices are set locally (default 31 January, domain notes §1.4).
DEFAULT_DEADLINES: dict[str, tuple[int, int]] = {
    Level.DEPARTMENT: (1, 31),
    Level.TOWNSHIP: (1, 31),
    Level.COUNTY: (3, 31),
    Level.CITY: (3, 31),
    Level.PROVINCE: (3, 31),
}
FILED = (Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED)


def days_late(first_filed: date | None, deadline: date, today: date) -> int:
    """How many days late an agency is with its report (0: not late), as supervisors count it.

    The date that counts is the day of the *first* filing (Beijing time), whatever happened after:
    filed on the deadline day is on time; filed on time, returned for fixes and filed again after
    the deadline is still on time (the fixes are the review's business, not lateness); first filed
    after the deadline is late even once accepted. Never filed: late by the days since the deadline.
    A report filed for another year counts for that year only (`services.submit` refuses a report
    whose own year differs)."""
    return max(0, ((first_filed or today) - deadline).days)


def deadlines(region: Agency, year: int) -> dict[str, date]:
    """The deadline of each agency level below `region` for the report on `year` (due in the year
    after): the default, unless `region` or a region above it set its own (the nearest decides)."""
    days = dict(DEFAULT_DEADLINES)
    local = Deadline.objects.filter(region__in=region.ancestors()).order_by("region__path")
    days.update({d.level: (d.month, d.day) for d in local})
    return {level: date(year + 1, month, day) for level, (month, day) in days.items()}


def regions(user: AnyUser) -> QuerySet[Agency]:
    """The agencies whose subtrees `user` oversees (督查 or admin); every root for a superuser."""
    if is_superuser(user):
        return Agency.objects.filter(parent__isnull=True)
    ids = [g.agency_id for g in grants(user) if g.role in ("supervise", "admin")]
    return Agency.objects.filter(pk__in=ids)


def member_agencies(user: AnyUser) -> QuerySet[Agency]:
    """The agencies `user` is a member of (where they may file a report upward)."""
    return Agency.objects.filter(pk__in=[g.agency_id for g in grants(user)])


@dataclass(slots=True)
class Row:
    pk: int
    name: str
    level: str
    depth: int
    deadline: date
    status: str = Status.DRAFT
    submission: int | None = None
    submitted_on: date | None = None
    errors: int = 0
    warnings: int = 0
    notices: int = 0
    days_late: int = 0  # 逾期天数 by `days_late`: first filed after the deadline, or not yet filed

    @property
    def late(self) -> bool:
        return self.days_late > 0

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]

    @property
    def filed(self) -> bool:
        return self.status in FILED


STATUS_ZH = {s.value: str(s.label) for s in Status}


@dataclass
class Overview:
    region: Agency
    year: int
    today: date
    deadlines: dict[str, date] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    reported: list[Row] = field(default_factory=list)
    missing: list[Row] = field(default_factory=list)
    late: list[Row] = field(default_factory=list)

    @property
    def severities(self) -> dict[str, int]:
        return {
            "error": sum(r.errors for r in self.rows),
            "warning": sum(r.warnings for r in self.rows),
            "notice": sum(r.notices for r in self.rows),
        }


def overview(region: Agency, year: int, today: date | None = None) -> Overview:
    """Every agency below `region` with its filing state on `year`, in tree order: two queries."""
    today = today or timezone.localdate()
    due = deadlines(region, year)
    result = Overview(region, year, today, due)
    base = region.depth
    agencies = (
        Agency.objects.filter(path__startswith=region.path)
        .exclude(pk=region.pk)
        .order_by("path")
        .values_list("pk", "name", "level", "path")
    )
    rows = {
        pk: Row(pk, name, level, path.count(".") - base, due[level])
        for pk, name, level, path in agencies.iterator(chunk_size=2000)
    }
    filed = Submission.objects.filter(year=year, agency__path__startswith=region.path).values_list(
        "pk", "agency_id", "status", "submitted_at", "errors", "warnings", "notices"
    )
    zone = timezone.get_current_timezone()
    for pk, agency_id, status, submitted_at, errors, warnings, notices in filed.iterator(chunk_size=2000):
        row = rows.get(agency_id)
        if row is not None:
            row.submission, row.status = pk, status
            row.submitted_on = submitted_at.astimezone(zone).date() if submitted_at is not None else None
            row.errors, row.warnings, row.notices = errors, warnings, notices
    result.rows = list(rows.values())
    for row in result.rows:
        row.days_late = days_late(row.submitted_on, row.deadline, today)
        (result.reported if row.status in FILED else result.missing).append(row)
        if row.late:
            result.late.append(row)
    return result


def submission_of(agency: Agency, year: int) -> Submission | None:
    return Submission.objects.select_related("current").filter(agency=agency, year=year).first()


def submission(pk: int) -> Submission | None:
    return Submission.objects.select_related("agency", "current").filter(pk=pk).first()


def decisions(submission: Submission) -> dict[str, FindingDecision]:
    """The reviewer's decisions by fingerprint (every version's findings are matched against them)."""
    return {d.fingerprint: d for d in submission.decisions.select_related("decided_by")}


def findings_with_decisions(submission: Submission) -> list[dict[str, Any]]:
    """The current version's findings, each with the decision its fingerprint carries, if any."""
    if submission.current is None:
        return []
    decided = decisions(submission)
    return [{**f, "decision": decided.get(f["fingerprint"])} for f in submission.current.findings]


def reports_of(region: Agency, year: int) -> list[tuple[Submission, dict[str, Any]]]:
    """The current versions of the agencies below `region` on `year` (for roll-up and exports)."""
    rows = (
        Submission.objects.filter(year=year, agency__path__startswith=region.path, current__isnull=False)
        .exclude(agency=region)
        .select_related("agency", "current")
        .defer("current__content")
        .order_by("agency__path")
    )
    return [(s, s.current.data) for s in rows if s.current is not None]


def own_report(region: Agency, year: int) -> dict[str, Any] | None:
    row = Submission.objects.filter(agency=region, year=year, current__isnull=False).select_related("current")
    first = row.first()
    return first.current.data if first is not None and first.current is not None else None
