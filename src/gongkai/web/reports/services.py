"""The annual report from records: counted by the database, built and checked by the core.

Tables 三 and 四 come from the request app's GROUP BY queries (`requests.selectors.counts`, the SQL
twin of `tally.count`); `tally.build` lays them out, so the identities hold by construction. Table 二 is
counted from the register (`gongkai.proactive.register.table_two`) for agencies that keep one, and
comes from the entered `ProactiveFigures` for the others; part 一's proactive paragraph is drafted
from the register when every agency of the report keeps one; and the narrative parts are drafted by
`gongkai.writing.narrative` for people to edit. A published report is frozen.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from gongkai.checks import Context, Finding, Severity, check, errors
from gongkai.formats import Kind, format_for_year
from gongkai.proactive.register import proactive_paragraph, table_two
from gongkai.report import Report
from gongkai.tally import build
from gongkai.web.agencies.models import Agency
from gongkai.web.agencies.permissions import require
from gongkai.web.core import checks as check_input
from gongkai.web.core.audit import record, snapshot
from gongkai.web.core.errors import Conflict, Frozen, InvalidInput
from gongkai.web.core.rows import locked_or_created, require_unchanged
from gongkai.web.proactive import selectors as proactive
from gongkai.web.requests import selectors as requests
from gongkai.writing.narrative import DRAFT_MARK, DRAFTS, NUMBERS, TABLE_PARTS, parts

from .models import AnnualReport, ProactiveFigures, ReportStatus

User = AbstractBaseUser | AnonymousUser


def agency_ids(agency: Agency, rollup: bool) -> list[int]:
    if not rollup:
        return [agency.pk]
    return list(agency.subtree().values_list("pk", flat=True))


def build_annual_report(agency: Agency, year: int, rollup: bool = False) -> Report:
    """The report of `agency` (with its whole subtree when `rollup`) on `year`, from the records."""
    fmt = format_for_year(year)
    report = build(requests.counts(agency_ids(agency, rollup), year), fmt.key)
    report.agency = agency.name
    report.year = year
    ids = agency_ids(agency, rollup)
    kept = proactive.register_agency_ids(ids) if fmt.key == "2021" else []
    figures = ProactiveFigures.objects.filter(agency_id__in=[i for i in ids if i not in kept], year=year)
    entries = [f.data for f in figures]
    items = proactive.register_items(kept) if kept else []
    if kept:
        entries.append(table_two(items, year))
    _fill_proactive(report, entries)
    # Every part is present (the checks look for all six); 二–四 are the tables, the rest drafts to edit.
    report.sections = {part.number: "\n".join(part.paragraphs) for part in parts(report)}
    if not rollup:
        # Part 五's draft is offered the year's timeliness (one agency's: a roll-up's would derive
        # every clock of the subtree's year).
        timely = requests.timeliness([agency.pk], year)
        if timely.answered:
            report.sections["五"] += "\n" + timely.sentence()
    if kept and len(kept) == len(ids):
        # Part 一's proactive paragraph is drafted from the register, the way the seeds write it.
        cat = proactive.catalogue(agency) if not rollup else None
        others = [p for p in DRAFTS["一"](report) if not p.startswith("（一）主动公开方面")]
        paragraph = proactive_paragraph(items, year, report.agency or "", cat)
        report.sections["一"] = "\n".join((DRAFT_MARK, paragraph, *others))
    return report


def stored(saved: AnnualReport) -> Report:
    """A saved report as it was saved: PostgreSQL's jsonb keeps no key order, so the narrative
    parts are put back in their order (一 to 六), where the checks and writers read them."""
    report = Report.from_json(saved.data)
    order = {number: i for i, number in enumerate(NUMBERS)}
    report.sections = dict(sorted(report.sections.items(), key=lambda item: order.get(item[0], len(order))))
    return report


def check_annual_report(
    report: Report, agency: Agency, rollup: bool = False, published: date | None = None
) -> list[Finding]:
    """The checks of `gongkai.checks`, with last year's saved report of the same agency as context
    (and the publication date, when asking what publishing on that day would find)."""
    previous = None
    if report.year is not None:
        saved = AnnualReport.objects.filter(agency=agency, year=report.year - 1, rollup=rollup).first()
        if saved is not None:
            previous = stored(saved)
    return check(report, Context(previous=previous, published=published))


# Publishing late (R12) is a fact to acknowledge, not an error: blocking it would keep a late
# report unpublished forever.
LATE = "R12"


def publication_checks(saved: AnnualReport, on: date) -> list[Finding]:
    """The checks of exactly what publishing freezes: the saved draft, published on `on`."""
    found = check_annual_report(stored(saved), saved.agency, saved.rollup, published=on)
    return [replace(f, severity=Severity.WARNING) if f.rule == LATE else f for f in found]


def warnings_of(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.WARNING]


def warning_name(finding: Finding) -> str:
    """The name a warning is acknowledged by: its rule and the cells it is about."""
    return ":".join((finding.rule, finding.table, ",".join(finding.cells)))


def draft_digest(saved: AnnualReport) -> str:
    """What the publisher confirmed: publishing refuses if the draft changed since."""
    return hashlib.sha256(json.dumps(saved.data, sort_keys=True).encode()).hexdigest()


def _fill_proactive(report: Report, entries: list[dict[str, Any]]) -> None:
    """Table 二: entered figures, summed over the agencies of a roll-up (money in 万元 as decimals)."""
    table = report.table("proactive")
    grid = report.grid("proactive")
    for row in table.rows:
        for column in table.columns_of(row):
            values = [e.get(row.key, {}).get(column.key) for e in entries]
            present = [v for v in values if v not in (None, "")]
            if column.kind is Kind.MONEY:
                total = sum((Decimal(str(v)) for v in present), Decimal(0))
                grid[row.key][column.key] = str(total) if present else "0"
            else:
                grid[row.key][column.key] = sum(int(v) for v in present)


def _clean_proactive(report: Report, data: object) -> dict[str, dict[str, int | str]]:
    if not isinstance(data, dict):
        raise InvalidInput("主动公开数据格式不正确", "proactive figures must be an object")
    table = report.table("proactive")
    clean: dict[str, dict[str, int | str]] = {}
    for row in table.rows:
        cells = data.get(row.key) or {}
        clean[row.key] = {}
        for column in table.columns_of(row):
            value = cells.get(column.key)
            label = f"{row.label}“{column.label}”"
            if value in (None, ""):
                continue
            if column.kind is Kind.MONEY:
                try:
                    amount = Decimal(str(value))
                except InvalidOperation:
                    raise InvalidInput(f"{label}应为金额", f"{row.key}.{column.key}: not a number") from None
                if amount < 0 or not amount.is_finite():
                    raise InvalidInput(f"{label}不能为负数", f"{row.key}.{column.key}: negative")
                clean[row.key][column.key] = str(amount)
            else:
                clean[row.key][column.key] = check_input.integer(value, label, 0, 10**9)
    unknown = set(data) - {row.key for row in table.rows}
    if unknown:
        raise InvalidInput("主动公开数据含有表二以外的项目", f"unknown rows: {sorted(unknown)}")
    return clean


def save_proactive_figures(
    actor: User, agency: Agency, year: int, data: dict[str, Any], seen: str | None = None
) -> ProactiveFigures:
    """Enter table 二 for one agency and year (until a proactive-disclosure register exists).

    `seen` is the version the form was rendered with (`core.rows.version_of`): a save from a form
    older than the stored figures is refused instead of overwriting them.
    """
    require(actor, "edit_report", agency, "填报主动公开数据")
    year = check_input.integer(year, "年度", 2008, timezone.localdate().year)
    clean = _clean_proactive(Report.blank(format_for_year(year).key), data)
    with transaction.atomic():
        row, created = locked_or_created(ProactiveFigures, {"agency": agency, "year": year}, {"data": {}})
        require_unchanged(None if created else row, seen)
        before = None if created else snapshot(row)
        row.data = clean
        row.save()
        record(actor, "proactive.save", row, before, snapshot(row))
    return row


def save_annual_report(
    actor: User, agency: Agency, year: int, report: Report, rollup: bool = False, seen: str | None = None
) -> AnnualReport:
    """Save a draft (edited narrative included); refused once the report is published, and refused
    when `seen` (the version the form was rendered with) is older than the saved draft."""
    require(actor, "edit_report", agency, "编辑年度报告")
    if report.year != year:
        raise InvalidInput("报告年度与所选年度不一致", "report year differs")
    with transaction.atomic():
        key = {"agency": agency, "year": year, "rollup": rollup}
        saved, created = locked_or_created(AnnualReport, key, {"data": {}})
        if saved.is_published:
            raise Frozen("年度报告已发布，不能修改", "the report is published and frozen")
        require_unchanged(None if created else saved, seen)
        before = None if created else snapshot(saved)
        saved.data = report.to_json()
        saved.save()
        record(actor, "report.save", saved, before, snapshot(saved))
    return saved


def missing_parts(report: Report) -> str:
    """What a report still lacks before it may be published, in Chinese ("" when nothing): its
    agency and year, the written parts (一、五、六), and the tables (二、三、四)."""
    missing = [] if report.agency and report.year else ["机关名称和年度"]
    for number, titles in zip(NUMBERS, report.fmt.sections, strict=False):
        table = TABLE_PARTS.get(number)
        present = getattr(report, table, None) if table else report.sections.get(number, "").strip()
        if not present:
            missing.append(titles[0])
    return f"报告缺少以下部分，不能发布：{'、'.join(missing)}" if missing else ""


def publish_annual_report(
    actor: User, saved: AnnualReport, *, digest: str, acknowledged: Collection[str]
) -> AnnualReport:
    """Publish and freeze the draft the publisher confirmed (`digest`), after its checks: any error
    refuses, and every warning must be acknowledged by name (`warning_name`)."""
    require(actor, "publish_report", saved, "发布年度报告")
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().select_related("agency").get(pk=saved.pk)
        if locked.is_published:
            raise Frozen("年度报告已发布", "already published")
        if draft_digest(locked) != digest:
            raise Conflict("确认之后报告草稿又有改动，请重新检查并确认", "draft changed since confirmed")
        if any(DRAFT_MARK in text for text in locked.data.get("sections", {}).values()):
            raise Conflict("报告中仍有自动生成的草稿内容，请修改后再发布", "draft narrative not yet edited")
        if lacking := missing_parts(Report.from_json(locked.data)):
            raise Conflict(lacking, "missing parts")
        findings = publication_checks(locked, timezone.localdate())
        found = errors(findings)
        if found:
            listed = "；".join(f.message_zh for f in found[:3])
            raise Conflict(f"检查发现 {len(found)} 处错误，不能发布：{listed}", f"{len(found)} check errors")
        names = [warning_name(f) for f in warnings_of(findings)]
        missing = [n for n in names if n not in set(acknowledged)]
        if missing:
            raise Conflict(
                f"还有 {len(missing)} 项警告未确认知悉，不能发布", f"unacknowledged warnings: {missing}"
            )
        fields = ("status", "published_at", "published_by")
        before = snapshot(locked, fields)
        locked.status = ReportStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by_id = actor.pk
        locked.save(update_fields=(*fields, "updated_at"))
        record(actor, "report.publish", locked, before, {**snapshot(locked, fields), "acknowledged": names})
    return locked
