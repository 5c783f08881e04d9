"""Filing upward behind the gate, review, decisions that survive re-runs, corrections, collection."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from django.utils import timezone

from gongkai.report import Report
from gongkai.web.agencies.models import Agency
from gongkai.web.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from gongkai.web.core.models import AuditLog
from gongkai.web.oversight import selectors, services
from gongkai.web.oversight.models import (
    Decision,
    FindingDecision,
    ReportVersion,
    Source,
    Status,
    Submission,
    Upload,
)

from ..conftest import Tree
from .conftest import CORPUS, RECEIVED, RECEIVED_TOTAL, YEAR, broken


def unchanged() -> tuple[int, int, int]:
    return Submission.objects.count(), ReportVersion.objects.count(), AuditLog.objects.count()


def test_a_broken_identity_blocks_filing_and_nothing_is_stored(tree: Tree) -> None:
    before = unchanged()
    with pytest.raises(Conflict) as refused:
        services.submit(tree.head, tree.street, YEAR, broken(tree), acknowledged=True)
    assert "错误" in refused.value.zh and "须改正" in refused.value.zh
    assert unchanged() == before


def test_warnings_must_be_acknowledged(tree: Tree, report: Report) -> None:
    findings = services.checked(report, tree.street, YEAR)
    assert not services.blocking(findings)
    warned = [f for f in findings if f["severity"] == "warning"]
    if not warned:  # give the report something a reviewer should look at
        pytest.fail("the built report should carry a warning for this test: " + str(findings))
    with pytest.raises(Conflict, match="已知悉"):
        services.submit(tree.head, tree.street, YEAR, report)
    submission = services.submit(tree.head, tree.street, YEAR, report, acknowledged=True)
    assert submission.status == Status.SUBMITTED
    assert submission.warnings == len(warned)


def test_file_return_fix_resubmit_accept_keeps_every_version(tree: Tree, report: Report) -> None:
    first = services.submit(tree.head, tree.street, YEAR, report, acknowledged=True)
    with pytest.raises(InvalidInput):
        services.return_submission(tree.supervise, first, "  ")
    returned = services.return_submission(tree.supervise, first, "第一部分请补充主动公开情况")
    assert returned.status == Status.RETURNED and returned.comment.startswith("第一部分")
    with pytest.raises(Conflict):
        services.accept(tree.supervise, returned)
    report.sections["一"] = "本机关主动公开政府信息情况已补充。"
    again = services.submit(tree.head, tree.street, YEAR, report, acknowledged=True)
    assert again.status == Status.SUBMITTED and again.submitted_at == first.submitted_at
    accepted = services.accept(tree.supervise, again)
    assert accepted.status == Status.ACCEPTED
    versions = list(accepted.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].data["sections"]["一"] == "本机关主动公开政府信息情况已补充。"
    assert accepted.current_id == versions[1].pk
    actions = list(AuditLog.objects.filter(subject_id=str(accepted.pk)).values_list("action", flat=True))
    assert actions == ["oversight.submit", "oversight.return", "oversight.submit", "oversight.accept"]
    with pytest.raises(Conflict):
        services.submit(tree.head, tree.street, YEAR, report, acknowledged=True)


def test_only_the_agency_files_and_only_its_supervisors_review(tree: Tree, report: Report) -> None:
    with pytest.raises(PermissionDenied):
        services.submit(tree.outsider, tree.street, YEAR, report, acknowledged=True)
    submission = services.submit(tree.head, tree.street, YEAR, report, acknowledged=True)
    for user in (tree.head, tree.outsider, tree.other_approver):
        with pytest.raises(PermissionDenied):
            services.accept(user, submission)
    assert services.accept(tree.admin, submission).status == Status.ACCEPTED  # admin of the city above


def test_the_report_year_must_be_the_filing_year(tree: Tree, report: Report) -> None:
    report.year = YEAR - 1
    with pytest.raises(InvalidInput, match="年度"):
        services.submit(tree.head, tree.street, YEAR, report, acknowledged=True)


def test_a_dismissal_survives_rechecks_and_new_versions(tree: Tree, report: Report) -> None:
    submission = services.submit(tree.head, tree.street, YEAR, report, acknowledged=True)
    finding = submission.current.findings[0]  # type: ignore[union-attr]
    with pytest.raises(InvalidInput):
        services.decide(tree.supervise, submission, finding["fingerprint"], Decision.DISMISSED)
    with pytest.raises(NotFound):
        services.decide(tree.supervise, submission, "R99|nothing", Decision.CONFIRMED)
    services.decide(tree.supervise, submission, finding["fingerprint"], Decision.DISMISSED, "本地口径如此")
    services.recheck(tree.supervise, submission)
    services.correct_cell(tree.supervise, submission, "requests.received.commercial", "0")
    submission.refresh_from_db()
    assert submission.versions.count() == 3
    shown = {f["fingerprint"]: f["decision"] for f in selectors.findings_with_decisions(submission)}
    assert shown[finding["fingerprint"]] is not None
    assert shown[finding["fingerprint"]].comment == "本地口径如此"
    assert FindingDecision.objects.count() == 1


def test_correcting_a_misread_cell_makes_a_new_checked_version(tree: Tree, report: Report) -> None:
    submission = services.submit(tree.head, tree.street, YEAR, report, acknowledged=True)
    errors_before = submission.errors
    version = services.correct_cell(tree.supervise, submission, str(RECEIVED), "3")
    submission.refresh_from_db()
    assert version.number == 2 and version.source == Source.CORRECTED
    corrected = Report.from_json(version.data)
    assert corrected.get(RECEIVED) == 3 and corrected.get(RECEIVED_TOTAL) == 0
    assert corrected.provenance[str(RECEIVED)]["how"] == "corrected"
    assert submission.errors > errors_before  # the total no longer adds up: checked again
    assert any(str(RECEIVED) in f.get("cells", ()) for f in version.findings)
    for key, value in (("requests.nowhere.total", "1"), (str(RECEIVED), "三"), (str(RECEIVED), "-1")):
        with pytest.raises(InvalidInput):
            services.correct_cell(tree.supervise, submission, key, value)
    with pytest.raises(PermissionDenied):
        services.correct_cell(tree.head, submission, str(RECEIVED), "0")


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_collecting_a_zip_proposes_agencies_and_knows_duplicates(tree: Tree) -> None:
    text = (CORPUS / "seeds" / "000_e754f61d84ee7fec.txt").read_bytes()
    named = Report.from_json(
        __import__("json").loads((CORPUS / "seeds" / "000_e754f61d84ee7fec.gold.json").read_text())
    )
    tree.other.name = named.agency or "x"
    tree.other.save()
    archive = _zip(
        {"reports/a.txt": text, "reports/copy.txt": text, "reports/empty.txt": b"", "__MACOSX/x": b"1"}
    )
    done = services.collect(tree.supervise, tree.district, YEAR, [("all.zip", archive)])
    assert [u.file_name for u in done.uploads] == ["all.zip/reports/a.txt"]
    assert [name for name, _ in done.duplicates] == ["all.zip/reports/copy.txt"]
    assert [name for name, _ in done.failures] == ["all.zip/reports/empty.txt"]
    upload = done.uploads[0]
    assert upload.proposed == tree.other and upload.year == named.year
    again = services.collect(tree.supervise, tree.district, YEAR, [("a.txt", text)])
    assert [name for name, _ in again.duplicates] == ["a.txt"] and not again.uploads
    with pytest.raises(PermissionDenied):
        services.confirm(tree.head, upload, tree.other, upload.year)
    submission = services.confirm(tree.supervise, upload, tree.other, upload.year)
    assert submission.status == Status.SUBMITTED and submission.current.source == Source.COLLECTED  # type: ignore[union-attr]
    assert bytes(submission.current.content) == text  # type: ignore[union-attr]
    assert not Upload.objects.exists()
    assert services.collect(tree.supervise, tree.district, YEAR, [("b.txt", text)]).duplicates == [
        ("b.txt", f"该文件已存为{tree.other.name}的{upload.year}年度报告")
    ]


def test_collecting_refuses_outside_the_supervisors_subtree(tree: Tree) -> None:
    with pytest.raises(PermissionDenied):
        services.collect(tree.supervise, tree.city, YEAR, [("a.txt", b"x")])


def test_overview_lists_missing_and_late(tree: Tree, report: Report) -> None:
    services.submit(tree.head, tree.street, YEAR, report, acknowledged=True)
    Submission.objects.filter(agency=tree.street).update(
        submitted_at=timezone.make_aware(datetime(YEAR + 1, 2, 3, 10))
    )
    view = selectors.overview(tree.district, YEAR, today=date(YEAR + 1, 1, 20))
    assert [r.name for r in view.reported] == [tree.street.name]
    assert [r.name for r in view.missing] == [tree.other.name]
    assert [r.name for r in view.late] == [tree.street.name]  # filed 3 Feb, due 31 Jan
    after = selectors.overview(tree.district, YEAR, today=date(YEAR + 1, 2, 10))
    assert {r.name for r in after.late} == {tree.street.name, tree.other.name}
    with pytest.raises(InvalidInput):
        services.set_deadline(tree.supervise, tree.district, "township", 2, 29)
    with pytest.raises(PermissionDenied):
        services.set_deadline(tree.supervise, tree.city, "township", 2, 20)
    services.set_deadline(tree.admin, tree.city, "township", 2, 5)  # the city's, nearer ones decide
    services.set_deadline(tree.supervise, tree.district, "township", 2, 20)  # set locally
    local = selectors.overview(tree.district, YEAR, today=date(YEAR + 1, 2, 10))
    assert local.late == []
    assert local.severities["warning"] == Submission.objects.get(agency=tree.street).warnings


def test_the_demo_gives_the_supervisor_reports_in_every_state(db: None) -> None:
    from gongkai.web.demo import generate

    generate(agencies=12, requests=200, seed=1, today=date(2026, 3, 2))
    region = Agency.objects.get(name="示例市东城区人民政府")
    view = selectors.overview(region, 2025, today=date(2026, 3, 2))
    assert {r.status for r in view.reported} == {Status.ACCEPTED, Status.SUBMITTED, Status.RETURNED}
    assert len(view.missing) == 2  # the home street (for demo_head to file) and one more
    assert view.severities["error"] > 0


def test_stored_findings_come_back_with_the_fingerprints_they_were_stored_with(tree: Tree) -> None:
    text = (CORPUS / "seeds" / "001_22ae0ba57f04688c.txt").read_bytes()  # findings with figures
    upload = services.collect(tree.supervise, tree.district, YEAR, [("b.txt", text)]).uploads[0]
    version = services.confirm(tree.supervise, upload, tree.other, upload.year).current
    assert version is not None and version.findings
    stored = [f["fingerprint"] for f in version.findings]
    assert [f.fingerprint for f in services.finding_objects(version)] == stored
