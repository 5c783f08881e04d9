"""Report services: figures are validated, a published report is frozen."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from gongkai.report import Report
from gongkai.web.core import errors
from gongkai.web.core.models import AuditLog
from gongkai.web.reports import services as report_services
from gongkai.web.reports.models import AnnualReport
from gongkai.web.requests import services
from gongkai.writing.narrative import DRAFT_MARK

from ..conftest import NewRequest, Tree, day, refused


def publish(actor: User, saved: AnnualReport) -> AnnualReport:
    """Publish as the confirmation page would: this draft as stored, every warning acknowledged."""
    saved.refresh_from_db()
    findings = report_services.publication_checks(saved, timezone.localdate())
    names = [report_services.warning_name(f) for f in report_services.warnings_of(findings)]
    return report_services.publish_annual_report(
        actor, saved, digest=report_services.draft_digest(saved), acknowledged=names
    )


def edited(report: Report) -> Report:
    report.sections = {n: text.replace(DRAFT_MARK, "") for n, text in report.sections.items()}
    return report


def test_publishing_checks_what_is_frozen_as_published_today(
    tree: Tree, new_request: NewRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.answer(tree.approve, new_request(), "disclosed", "第三十六条", day(5))
    saved = report_services.save_annual_report(
        tree.handle, tree.street, 2025, edited(report_services.build_annual_report(tree.street, 2025))
    )
    saved.refresh_from_db()  # as stored: PostgreSQL's jsonb reorders the sections
    assert not [
        f for f in report_services.publication_checks(saved, date(2026, 1, 20)) if f.rule == "S-ORDER"
    ]
    # A street office publishing its 2025 report in March 2026 is late: the publication-date
    # check runs before freezing, as a warning to acknowledge by name (R12, the deadline).
    late = date(2026, 3, 5)
    found = report_services.publication_checks(saved, late)
    names = [report_services.warning_name(f) for f in report_services.warnings_of(found)]
    assert any(n.startswith("R12:") for n in names)
    in_time = report_services.publication_checks(saved, date(2026, 1, 20))
    assert not [f for f in in_time if f.rule == "R12"]
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: late)
    digest = report_services.draft_digest(saved)
    with refused(errors.Conflict):  # a warning not acknowledged
        report_services.publish_annual_report(
            tree.head, saved, digest=digest, acknowledged=[n for n in names if not n.startswith("R12:")]
        )
    with refused(errors.Conflict):  # the draft changed after it was confirmed
        report_services.publish_annual_report(tree.head, saved, digest="0" * 64, acknowledged=names)
    published = report_services.publish_annual_report(tree.head, saved, digest=digest, acknowledged=names)
    assert published.is_published
    entry = AuditLog.objects.filter(action="report.publish").get()
    assert entry.after is not None and entry.after["acknowledged"] == names


def test_published_report_is_frozen(tree: Tree, new_request: NewRequest) -> None:
    services.answer(tree.approve, new_request(), "disclosed", "第三十六条", day(5))
    report = report_services.build_annual_report(tree.street, 2025)
    with refused(errors.PermissionDenied):
        report_services.save_annual_report(tree.outsider, tree.street, 2025, report)
    saved = report_services.save_annual_report(tree.handle, tree.street, 2025, report)
    with refused(errors.PermissionDenied):
        publish(tree.handle, saved)
    with refused(errors.Conflict):  # the drafted narrative must be edited first
        publish(tree.head, saved)
    report.sections = {n: text.replace(DRAFT_MARK, "") for n, text in report.sections.items()}
    saved = report_services.save_annual_report(tree.handle, tree.street, 2025, report)
    published = publish(tree.head, saved)
    assert published.is_published and published.published_by == tree.head
    with refused(errors.Frozen):
        report_services.save_annual_report(tree.handle, tree.street, 2025, report)
    with refused(errors.Frozen):
        publish(tree.head, saved)
    assert AnnualReport.objects.get().data["requests"]["disclosed"]["total"] == 1


def test_proactive_figures_are_validated(tree: Tree) -> None:
    save_figures = report_services.save_proactive_figures
    with refused(errors.InvalidInput):
        report_services.save_proactive_figures(
            tree.handle, tree.street, 2025, {"licensing": {"decisions": -1}}
        )
    with refused(errors.InvalidInput):
        report_services.save_proactive_figures(
            tree.handle, tree.street, 2025, {"fees": {"amount_10k_yuan": "lots"}}
        )
    with refused(errors.InvalidInput):
        save_figures(tree.handle, tree.street, 2025, {"bribes": {}})
    report_services.save_proactive_figures(tree.handle, tree.street, 2025, {"licensing": {"decisions": 7}})
    report_services.save_proactive_figures(tree.handle, tree.street, 2025, {"licensing": {"decisions": 8}})
    entry = AuditLog.objects.filter(action="proactive.save").latest("id")
    assert entry.before is not None and entry.after is not None
    assert entry.before["data"]["licensing"] == {"decisions": 7}
    assert entry.after["data"]["licensing"] == {"decisions": 8}
    assert report_services.build_annual_report(tree.street, 2025).proactive["licensing"]["decisions"] == 8
