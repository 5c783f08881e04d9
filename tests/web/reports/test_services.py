"""Report services: figures are validated, a published report is frozen."""

from __future__ import annotations

from gongkai.web.core import errors
from gongkai.web.core.models import AuditLog
from gongkai.web.reports import services as report_services
from gongkai.web.reports.models import AnnualReport
from gongkai.web.requests import services
from gongkai.writing.narrative import DRAFT_MARK

from ..conftest import NewRequest, Tree, day, refused


def test_published_report_is_frozen(tree: Tree, new_request: NewRequest) -> None:
    services.answer(tree.approve, new_request(), "disclosed", "第三十六条", day(5))
    report = report_services.build_annual_report(tree.street, 2025)
    with refused(errors.PermissionDenied):
        report_services.save_annual_report(tree.outsider, tree.street, 2025, report)
    saved = report_services.save_annual_report(tree.handle, tree.street, 2025, report)
    with refused(errors.PermissionDenied):
        report_services.publish_annual_report(tree.handle, saved)
    with refused(errors.Conflict):  # the drafted narrative must be edited first
        report_services.publish_annual_report(tree.head, saved)
    report.sections = {n: text.replace(DRAFT_MARK, "") for n, text in report.sections.items()}
    saved = report_services.save_annual_report(tree.handle, tree.street, 2025, report)
    published = report_services.publish_annual_report(tree.head, saved)
    assert published.is_published and published.published_by == tree.head
    with refused(errors.Frozen):
        report_services.save_annual_report(tree.handle, tree.street, 2025, report)
    with refused(errors.Frozen):
        report_services.publish_annual_report(tree.head, saved)
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
