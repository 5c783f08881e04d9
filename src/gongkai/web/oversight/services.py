"""Every write of the supervisor's desk: filing upward behind the gate, accepting and returning,
collecting files, correcting a misread cell, deciding a finding. Each checks permission, runs in
one transaction and writes the audit log.

Reading and checking are the core's (`gongkai.reading`, `gongkai.extraction`, `gongkai.checks`,
`gongkai.checks.whose`); this module stores what they return as versions of (agency, year).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.checks import Context, Finding, Severity, check
from gongkai.checks.whose import Whose, whose
from gongkai.extraction import ExtractError, extract
from gongkai.formats import CellRef, Kind
from gongkai.limits import MAX_FILE_BYTES as MAX_BYTES
from gongkai.reading import ReadError, load_bytes
from gongkai.report import TABLE_KEYS, Report, Value
from gongkai.web.agencies.models import Agency, Level, Role
from gongkai.web.agencies.permissions import (
    AnyUser,
    can,
    is_superuser,
    require,
    roles_on,
    visible_agencies,
)
from gongkai.web.core.audit import record, snapshot
from gongkai.web.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied

from . import zips
from .models import Deadline, Decision, FindingDecision, ReportVersion, Source, Status, Submission, Upload

SUPERVISING = frozenset({Role.SUPERVISE, Role.ADMIN})
STATE = ("status", "current", "submitted_at", "decided_at", "comment", "errors", "warnings", "notices")
UPLOAD_STATE = ("file_name", "sha256", "year", "received_on")


def can_supervise(user: AnyUser, agency: Agency) -> bool:
    """督查 and admin review the reports of their whole subtree (`agencies.permissions`)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_superuser(user) or bool(roles_on(user, agency) & SUPERVISING)


def require_supervisor(user: AnyUser, agency: Agency, what: str) -> None:
    if not can_supervise(user, agency):
        raise PermissionDenied(f"您没有{what}的权限", "not a supervisor of this agency")


def _user_id(actor: AnyUser) -> int:
    """A signed-in actor's id (the permission check before it refused anyone else)."""
    if actor.pk is None:
        raise PermissionDenied("请先登录", "not signed in")
    return int(actor.pk)


def can_file(user: AnyUser, agency: Agency) -> bool:
    return can(user, "edit_report", agency)


# -- checking -------------------------------------------------------------------------------


def previous_report(agency: Agency, year: int) -> Report | None:
    """Last year's current version of the same agency, the context of the cross-year checks."""
    row = (
        Submission.objects.filter(agency=agency, year=year - 1, current__isnull=False)
        .values_list("current__data", flat=True)
        .first()
    )
    return Report.from_json(row) if row else None


def checked(report: Report, agency: Agency, year: int) -> list[dict[str, Any]]:
    """The findings as stored: the core's JSON plus whose each is (the agency's or the reader's)."""
    found = check(report, Context(previous=previous_report(agency, year)))
    return [{**f.to_json(), "whose": whose(f, report).value} for f in found]


def blocking(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Errors in what the agency itself filled: a broken identity blocks filing."""
    return [f for f in findings if f["severity"] == Severity.ERROR and f.get("whose") == Whose.AGENCY]


def to_acknowledge(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Warnings, and errors about cells the reader could not read: filing needs them acknowledged."""
    return [
        f
        for f in findings
        if f["severity"] == Severity.WARNING
        or (f["severity"] == Severity.ERROR and f.get("whose") != Whose.AGENCY)
    ]


def gate(findings: list[dict[str, Any]], acknowledged: bool) -> None:
    """Refuses filing while an error blocks it, or warnings are not yet acknowledged."""
    errors = blocking(findings)
    if errors:
        listed = "；".join(f["message"] for f in errors[:3])
        raise Conflict(
            f"检查发现 {len(errors)} 处错误，须改正后才能报送：{listed}", f"{len(errors)} errors block filing"
        )
    warnings = to_acknowledge(findings)
    if warnings and not acknowledged:
        raise Conflict(
            f"检查发现 {len(warnings)} 处警告，请逐一核实并勾选“已知悉”后再报送",
            f"{len(warnings)} warnings must be acknowledged",
        )


def read_file(name: str, data: bytes) -> Report:
    """One uploaded file through the core's reader (its own caps apply), or InvalidInput naming it."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"{name}：文件过大", f"{name}: file too large")
    if not data:
        raise InvalidInput(f"{name}：文件为空", f"{name}: empty file")
    try:
        return extract(load_bytes(data, name))
    except (ReadError, ExtractError) as error:
        raise InvalidInput(f"{name}：{error.zh}", f"{name}: {error.en}") from None


# -- versions ---------------------------------------------------------------------------------


def _locked(agency: Agency, year: int) -> Submission:
    submission, _ = Submission.objects.get_or_create(agency=agency, year=year)
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _add_version(
    actor: AnyUser,
    submission: Submission,
    report: Report,
    findings: list[dict[str, Any]],
    source: str,
    file_name: str = "",
    content: bytes | None = None,
    sha256: str = "",
) -> ReportVersion:
    number = (submission.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion.objects.create(
        submission=submission,
        number=number,
        source=source,
        file_name=file_name[:255],
        content=content,
        sha256=sha256 or (hashlib.sha256(content).hexdigest() if content else ""),
        data=report.to_json(),
        findings=findings,
        created_by_id=actor.pk if actor.is_authenticated else None,
    )
    severities = [f["severity"] for f in findings]
    submission.current = version
    submission.errors = severities.count(Severity.ERROR)
    submission.warnings = severities.count(Severity.WARNING)
    submission.notices = severities.count(Severity.NOTICE)
    return version


def _own(report: Report, agency: Agency, year: int) -> Report:
    if report.year not in (None, year):
        raise InvalidInput(
            f"报告年度（{report.year}）与报送年度（{year}）不一致", f"report year {report.year} is not {year}"
        )
    report.year = year
    report.agency = report.agency or agency.name
    return report


def submit(
    actor: AnyUser,
    agency: Agency,
    year: int,
    report: Report,
    source: str = Source.FORM,
    file_name: str = "",
    content: bytes | None = None,
    acknowledged: bool = False,
) -> Submission:
    """File the year's report upward: checked, gated, stored as a new version, awaiting review."""
    require(actor, "edit_report", agency, "报送年度报告")
    report = _own(report, agency, year)
    findings = checked(report, agency, year)
    gate(findings, acknowledged)
    with transaction.atomic():
        submission = _locked(agency, year)
        if submission.status == Status.ACCEPTED:
            raise Conflict("该年度报告已被上级接收，不能再报送", "already accepted")
        before = snapshot(submission, STATE)
        version = _add_version(actor, submission, report, findings, source, file_name, content)
        submission.status = Status.SUBMITTED
        submission.submitted_at = submission.submitted_at or timezone.now()
        submission.save()
        record(actor, "oversight.submit", version, before, snapshot(submission, STATE), subject=submission)
    return submission


def submit_file(
    actor: AnyUser, agency: Agency, year: int, name: str, data: bytes, acknowledged: bool = False
) -> Submission:
    require(actor, "edit_report", agency, "报送年度报告")
    return submit(actor, agency, year, read_file(name, data), Source.FILE, name, data, acknowledged)


def _review(actor: AnyUser, submission: Submission, status: str, comment: str, action: str) -> Submission:
    require_supervisor(actor, submission.agency, "审核下级报告")
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != Status.SUBMITTED:
            raise Conflict(
                f"该报告当前状态为“{locked.get_status_display()}”，不能审核", f"status is {locked.status}"
            )
        before = snapshot(locked, STATE)
        locked.status = status
        locked.comment = comment
        locked.decided_at = timezone.now()
        locked.save()
        record(actor, action, locked, before, snapshot(locked, STATE))
    return locked


def accept(actor: AnyUser, submission: Submission, comment: str = "") -> Submission:
    return _review(actor, submission, Status.ACCEPTED, comment.strip(), "oversight.accept")


def return_submission(actor: AnyUser, submission: Submission, comment: str) -> Submission:
    """Send the report back to the agency with the reviewer's comments; it fixes and resubmits."""
    comment = comment.strip()
    if not comment:
        raise InvalidInput("退回时须填写退回意见", "a return needs a comment")
    return _review(actor, submission, Status.RETURNED, comment, "oversight.return")


def decide(
    actor: AnyUser, submission: Submission, fingerprint: str, decision: str, comment: str = ""
) -> FindingDecision:
    """Confirm or dismiss one finding; the decision is kept by fingerprint across versions and re-runs."""
    require_supervisor(actor, submission.agency, "审核检查结果")
    if decision not in Decision.values:
        raise InvalidInput("审核结论不正确", f"unknown decision {decision!r}")
    if decision == Decision.DISMISSED and not comment.strip():
        raise InvalidInput("不予采纳时须说明理由", "a dismissal needs a comment")
    current = submission.current
    if current is None or not any(f["fingerprint"] == fingerprint for f in current.findings):
        raise NotFound("当前版本没有这项检查结果", "no such finding in the current version")
    with transaction.atomic():
        row = (
            FindingDecision.objects.select_for_update()
            .filter(submission=submission, fingerprint=fingerprint)
            .first()
        )
        before = snapshot(row) if row is not None else None
        row = row or FindingDecision(submission=submission, fingerprint=fingerprint)
        row.decision, row.comment = decision, comment.strip()
        row.decided_by_id = _user_id(actor)
        row.save()
        record(actor, "oversight.decide", row, before, snapshot(row), subject=submission)
    return row


def recheck(actor: AnyUser, submission: Submission) -> Submission:
    """Run the checks again on the current version (after the rules or last year's report changed)."""
    require_supervisor(actor, submission.agency, "重新检查")
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.current is None:
            raise NotFound("尚无报送的报告", "nothing filed yet")
        report = Report.from_json(locked.current.data)
        before = snapshot(locked, STATE)
        version = _add_version(
            actor,
            locked,
            report,
            checked(report, locked.agency, locked.year),
            locked.current.source,
            locked.current.file_name,
            None,
            locked.current.sha256,
        )
        locked.save()
        record(actor, "oversight.recheck", version, before, snapshot(locked, STATE), subject=locked)
    return locked


def parse_value(report: Report, ref: CellRef, text: str) -> Value:
    """A corrected cell as the format declares it: a count, a signed count (2019) or an amount."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    kind = report.table(ref.table).kinds[ref]
    if kind is Kind.MONEY:
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise InvalidInput(f"“{text}”不是金额", f"{text!r} is not an amount") from None
        if not amount.is_finite() or amount < 0:
            raise InvalidInput("金额不能为负数", "negative amount")
        return str(amount)
    if kind is Kind.TEXT:
        return text
    try:
        number = int(text)
    except ValueError:
        raise InvalidInput(f"“{text}”不是整数", f"{text!r} is not an integer") from None
    if number < 0 and kind is not Kind.SIGNED:
        raise InvalidInput("件数不能为负数", "negative count")
    return number


def correct_cell(actor: AnyUser, submission: Submission, key: str, text: str) -> ReportVersion:
    """A misread cell set by the reviewer beside the source: a new version, checks run again."""
    require_supervisor(actor, submission.agency, "更正单元格")
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.current is None:
            raise NotFound("尚无报送的报告", "nothing filed yet")
        report = Report.from_json(locked.current.data)
        parts = key.split(".")
        ref = CellRef(*parts) if len(parts) == 3 and parts[0] in TABLE_KEYS else None
        if ref is None or ref not in report.table(ref.table).kinds:
            raise InvalidInput("没有这个单元格", f"unknown cell {key!r}")
        was = report.get(ref)
        report.set(ref, parse_value(report, ref, text))
        # Where the value was printed stays (the source still shows the reviewer's reason there).
        place = {k: v for k, v in report.provenance.get(key, {}).items() if k not in ("how", "was", "by")}
        report.provenance[key] = {**place, "how": "corrected", "was": was, "by": actor.get_username()}
        report.notes = [n for n in report.notes if n.cell != key]
        version = _add_version(
            actor,
            locked,
            report,
            checked(report, locked.agency, locked.year),
            Source.CORRECTED,
            locked.current.file_name,
            None,
            locked.current.sha256,
        )
        locked.save()
        record(actor, "oversight.correct", version, {key: was}, {key: report.get(ref)}, subject=locked)
    return version


# -- collection -------------------------------------------------------------------------------


@dataclass
class Collected:
    uploads: list[Upload] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, where it is stored)
    failures: list[tuple[str, str]] = field(default_factory=list)


def _normal(name: str) -> str:
    return "".join(name.split()).replace("（", "(").replace("）", ")")


def propose(report: Report, region: Agency) -> Agency | None:
    """The agency of the region's subtree the report names: by exact name, else the one name it contains."""
    named = _normal(report.agency or "")
    if not named:
        return None
    agencies = list(region.subtree().only("pk", "name", "path"))
    exact = [a for a in agencies if _normal(a.name) == named]
    if len(exact) == 1:
        return exact[0]
    within = [a for a in agencies if _normal(a.name) in named or named in _normal(a.name)]
    return within[0] if len(within) == 1 else None


def collect(
    actor: AnyUser,
    region: Agency,
    year: int,
    files: list[tuple[str, bytes]],
    received_on: date | None = None,
) -> Collected:
    """Read and check each file (ZIPs opened within limits); keep it waiting with a proposed agency.

    A file whose SHA-256 is already stored anywhere the collector may see, as a version or waiting,
    is a duplicate, and they are told where. A copy only in other regions they may not see is not
    revealed: the file is stored like any other (`stored_copy`).

    `received_on` is the day the reports reached the supervisor (default today): once confirmed,
    their filing day, from which lateness is counted.
    """
    require_supervisor(actor, region, "收集下级报告")
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise InvalidInput("收到日期不能晚于今天", "the day received is in the future")
    result = Collected()
    expanded: list[tuple[str, bytes]] = []
    for name, data in files:
        if zips.is_zip(data):
            expanded += [(f"{name}/{m.name}", m.data) for m in zips.members(data, name)]
        else:
            expanded.append((name, data))
    seen: set[str] = set()
    for name, data in expanded:
        sha = hashlib.sha256(data).hexdigest()
        copy = "与本次上传的另一文件相同" if sha in seen else stored_copy(actor, sha)
        if copy is not None:
            result.duplicates.append((name, copy))
            continue
        seen.add(sha)
        try:
            report = read_file(name, data)
        except InvalidInput as error:
            result.failures.append((name, error.zh))
            continue
        with transaction.atomic():
            upload = Upload.objects.create(
                region=region,
                year=report.year or year,
                file_name=name[:255],
                content=data,
                sha256=sha,
                data=report.to_json(),
                proposed=propose(report, region),
                uploaded_by_id=_user_id(actor),
                received_on=received_on,
            )
            record(actor, "oversight.collect", upload, None, snapshot(upload, UPLOAD_STATE))
        result.uploads.append(upload)
    return result


def stored_copy(viewer: AnyUser, sha: str) -> str | None:
    """Where a file with this SHA-256 is already stored, said only about agencies `viewer` may see
    (a supervisor never learns what another region holds); None when there is no such copy."""
    visible = visible_agencies(viewer)
    version = (
        ReportVersion.objects.filter(sha256=sha, submission__agency__in=visible)
        .select_related("submission__agency")
        .only("submission__year", "submission__agency__name")
        .order_by("-pk")
        .first()
    )
    if version is not None:
        return f"该文件已存为{version.submission.agency.name}的{version.submission.year}年度报告"
    upload = (
        Upload.objects.filter(sha256=sha, region__in=visible)
        .select_related("region")
        .only("year", "region__name")
        .first()
    )
    if upload is not None:
        return f"该文件已在{upload.region.name}{upload.year}年度的待确认文件中"
    return None


def confirm(actor: AnyUser, upload: Upload, agency: Agency, year: int) -> Submission:
    """The supervisor's word on whose report a collected file is: stored as a received version."""
    require_supervisor(actor, agency, "确认收集的报告")
    if not agency.path.startswith(upload.region.path):
        raise InvalidInput("所选机关不在本地区内", "agency outside the upload's region")
    report = _own(Report.from_json(upload.data), agency, year)
    findings = checked(report, agency, year)
    with transaction.atomic():
        submission = _locked(agency, year)
        before = snapshot(submission, STATE)
        version = _add_version(
            actor, submission, report, findings, Source.COLLECTED, upload.file_name, bytes(upload.content)
        )
        if submission.status != Status.ACCEPTED:
            submission.status = Status.SUBMITTED
        submission.submitted_at = submission.submitted_at or received(upload)
        submission.save()
        record(actor, "oversight.confirm", version, before, snapshot(submission, STATE), subject=submission)
        Upload.objects.filter(pk=upload.pk).delete()
    return submission


def received(upload: Upload) -> datetime:
    """When a collected report counts as filed: the upload itself when it came in on the day
    received, else the start of that day (only the day counts, `selectors.days_late`)."""
    uploaded = timezone.localtime(upload.uploaded_at)
    if uploaded.date() == upload.received_on:
        return uploaded
    return timezone.make_aware(datetime.combine(upload.received_on, time.min))


def discard(actor: AnyUser, upload: Upload) -> None:
    require_supervisor(actor, upload.region, "删除收集的文件")
    with transaction.atomic():
        record(actor, "oversight.discard", upload, snapshot(upload, UPLOAD_STATE), None)
        Upload.objects.filter(pk=upload.pk).delete()


def set_deadline(actor: AnyUser, region: Agency, level: str, month: int, day: int) -> Deadline:
    """A region's own deadline for one level below it (townships' dates are set locally)."""
    require_supervisor(actor, region, "设置报送期限")
    if level not in Level.values:
        raise InvalidInput("机关层级不正确", f"unknown level {level!r}")
    try:
        date(2001, month, day)  # a day every year has (no 29 February)
    except (TypeError, ValueError):
        raise InvalidInput("报送期限不是有效日期", f"invalid deadline {month}-{day}") from None
    with transaction.atomic():
        row = Deadline.objects.select_for_update().filter(region=region, level=level).first()
        before = snapshot(row) if row is not None else None
        row = row or Deadline(region=region, level=level)
        row.month, row.day = month, day
        row.save()
        record(actor, "oversight.deadline", row, before, snapshot(row), agency_id=region.pk)
    return row


def finding_objects(version: ReportVersion) -> list[Finding]:
    """The stored findings as the core's `Finding`s (for the core's renderers and exports), each
    with the fingerprint it was stored with: its last part is the digest of what it says."""
    return [Finding.from_json(f) for f in version.findings]
