"""Something for the supervisor to see in the demo: the reports of a district's agencies on the
year, built from the demo's own records, in every state (accepted, awaiting review, returned with a
comment, one with a broken sum, one not yet filed). Bulk-inserted like the rest of the demo."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from gongkai.formats import CellRef
from gongkai.web.agencies.models import Agency
from gongkai.web.reports.services import build_annual_report

from .models import ReportVersion, Source, Status, Submission
from .services import checked

STATES = (Status.ACCEPTED, Status.SUBMITTED, Status.RETURNED, Status.SUBMITTED)
RETURNED = "第五部分请写明存在的主要问题及改进情况。"


def fill(region: Agency, year: int, skip: Agency | None = None) -> int:
    """File the reports of the agencies below `region` (all but `skip` and the last, left missing)."""
    below = [a for a in region.subtree().exclude(pk=region.pk) if skip is None or a.pk != skip.pk][:-1]
    filed_on = timezone.make_aware(datetime(year + 1, 1, 20, 10))
    for index, agency in enumerate(below):
        report = build_annual_report(agency, year)
        report.sections = {k: f"{agency.name}{year}年度第{k}部分情况。" for k in report.sections}
        if index == 1:  # a sum that does not add up, for the review page to mark
            ref = CellRef("requests", "received", "natural_person")
            report.set(ref, int(report.get(ref) or 0) + 1)
        findings = checked(report, agency, year)
        status = STATES[index % len(STATES)]
        submission = Submission.objects.create(
            agency=agency,
            year=year,
            status=status,
            submitted_at=filed_on + timedelta(days=index * 4),
            comment=RETURNED if status == Status.RETURNED else "",
            errors=sum(f["severity"] == "error" for f in findings),
            warnings=sum(f["severity"] == "warning" for f in findings),
            notices=sum(f["severity"] == "notice" for f in findings),
        )
        submission.current = ReportVersion.objects.create(
            submission=submission, number=1, source=Source.DESK, data=report.to_json(), findings=findings
        )
        submission.save(update_fields=("current",))
    return len(below)
