"""Annual report pages: table 二 entry, the report from records in the official layout with its
check findings, the editable narrative, publishing (frozen afterwards) and exports.

The tables are drawn by `gongkai.writing.html` from `gongkai.writing.layout`, the findings come
from `gongkai.checks`, the exports from `gongkai.writing`: this module only wires them to pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from gongkai.checks import Finding
from gongkai.checks.render import GROUPS, _marked, summary_zh
from gongkai.report import TABLE_KEYS, Report
from gongkai.web.agencies import selectors as agencies
from gongkai.web.agencies.models import Agency
from gongkai.web.agencies.permissions import can, visible_agencies
from gongkai.web.core.errors import ServiceError
from gongkai.web.core.rows import version_of
from gongkai.web.core.views import report_year, run_service, staff_user
from gongkai.web.proactive import selectors as proactive
from gongkai.writing import WRITERS, WriteError, write
from gongkai.writing.html import table_html
from gongkai.writing.layout import table_layout
from gongkai.writing.narrative import parts, title

from . import services
from .forms import figures_data, figures_form, narrative_form
from .models import AnnualReport, ProactiveFigures


def visible_agency(request: HttpRequest, pk: int | str) -> Agency:
    """An agency in the user's scope, or 404 (no existence leak for agencies outside it)."""
    agency = agencies.agency_in_scope(request.user, pk)
    if agency is None:
        raise Http404("没有找到该机关")
    return agency


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Pick an agency in scope and a year (default: last year, the one being reported in January)."""
    user = staff_user(request)
    scope = visible_agencies(user)
    if request.GET.get("agency"):
        agency = visible_agency(request, request.GET["agency"])
        year = report_year(request.GET.get("year"))
        url = reverse("reports:report", kwargs={"agency_pk": agency.pk, "year": year})
        return redirect(url + ("?rollup=1" if request.GET.get("rollup") else ""))
    return render(
        request,
        "reports/index.html",
        {"agencies": scope, "year": timezone.localdate().year - 1},
    )


def _current(agency: Agency, year: int, rollup: bool) -> tuple[Report, AnnualReport | None]:
    """A published report as frozen; otherwise the tables from the records with the saved narrative."""
    saved = AnnualReport.objects.filter(agency=agency, year=year, rollup=rollup).first()
    if saved is not None and saved.is_published:
        return services.stored(saved), saved
    report = services.build_annual_report(agency, year, rollup)
    if saved is not None:
        written = {p.number for p in parts(report) if not p.table}
        report.sections.update({k: v for k, v in saved.data.get("sections", {}).items() if k in written})
    return report, saved


def _tables(report: Report, findings: list[Finding]) -> list[dict[str, Any]]:
    drawn = []
    for key in TABLE_KEYS:
        table = report.table(key)
        mine = [f for f in findings if f.table == key]
        html = table_html(table_layout(table), report, f"表{table.number}　{table.title.split('、', 1)[-1]}")
        drawn.append(
            {"key": key, "title": GROUPS[key], "html": mark_safe(_marked(html, mine)), "findings": mine}
        )
    return drawn


@login_required
def report(request: HttpRequest, agency_pk: int, year: int) -> HttpResponse:
    user = staff_user(request)
    agency = visible_agency(request, agency_pk)
    year = report_year(year)
    rollup = bool(request.GET.get("rollup"))
    current, saved = _current(agency, year, rollup)
    frozen = saved is not None and saved.is_published
    from_register = bool(proactive.register_agency_ids([agency.pk]))
    figures = None if rollup or frozen or from_register else _figures_initial(agency, year)
    narrative = narrative_form(current)
    status = 200
    if request.method == "POST":
        if frozen:
            messages.error(request, _("年度报告已发布，不能修改"))
            return redirect(request.get_full_path())
        op = request.POST.get("op", "")
        target = None
        if op == "figures" and not rollup:
            figures = figures_form(request.POST)
            done = figures.is_valid() and run_service(
                request,
                lambda: services.save_proactive_figures(
                    user, agency, year, figures_data(figures), seen=request.POST.get("seen")
                ),
                _("已保存表二数据"),
            )
            target = request.get_full_path() if done else None
        elif op in ("save", "publish"):
            narrative = narrative_form(current, request.POST)
            if narrative.is_valid():
                target = _save(request, user, agency, year, rollup, current, narrative.cleaned_data, op)
        else:
            raise Http404("没有这项操作")
        if target:
            return redirect(target)
        status = 400
    findings = services.check_annual_report(current, agency, rollup)
    return render(
        request,
        "reports/report.html",
        {
            "agency": agency,
            "year": year,
            "rollup": rollup,
            "title": title(current),
            "saved": saved,
            "frozen": frozen,
            "tables": _tables(current, findings),
            "overall": [f for f in findings if not f.table],
            "summary": summary_zh(findings),
            "figures": figures,
            "figures_seen": version_of(ProactiveFigures.objects.filter(agency=agency, year=year).first()),
            "from_register": from_register,
            "narrative": narrative,
            "report_seen": version_of(saved),
            "can_edit": can(user, "edit_report", agency) and not frozen,
            "can_publish": can(user, "publish_report", agency) and not frozen,
            "formats": [(name, w.suffix) for name, w in WRITERS.items()],
            "query": "?rollup=1" if rollup else "",
        },
        status=status,
    )


def _figures_initial(agency: Agency, year: int) -> Any:
    row = ProactiveFigures.objects.filter(agency=agency, year=year).first()
    return figures_form(initial=row.data if row is not None else {})


def _save(
    request: HttpRequest,
    user: Any,
    agency: Agency,
    year: int,
    rollup: bool,
    current: Report,
    data: dict[str, str],
    op: str,
) -> str | None:
    """Save the draft with the edited narrative and say where to go next: publishing saves first and
    goes on to its confirmation, so what is frozen is what was checked there."""
    current.sections.update({name.removeprefix("part_"): text for name, text in data.items()})
    if op == "publish" and not can(user, "publish_report", agency):
        raise PermissionDenied("您没有发布年度报告的权限")
    try:
        services.save_annual_report(user, agency, year, current, rollup, seen=request.POST.get("seen"))
    except ServiceError as error:
        messages.error(request, error.zh)
        return None
    messages.success(request, _("已保存草稿"))
    query = "?rollup=1" if rollup else ""
    if op == "publish":
        return reverse("reports:publish", kwargs={"agency_pk": agency.pk, "year": year}) + query
    return request.get_full_path()


@login_required
def publish(request: HttpRequest, agency_pk: int, year: int) -> HttpResponse:
    """The publish confirmation: the checks of the saved draft as published today; errors block,
    each warning is acknowledged by name, and only the draft shown here can be frozen."""
    user = staff_user(request)
    agency = visible_agency(request, agency_pk)
    year = report_year(year)
    rollup = bool(request.GET.get("rollup"))
    query = "?rollup=1" if rollup else ""
    back = reverse("reports:report", kwargs={"agency_pk": agency.pk, "year": year}) + query
    if not can(user, "publish_report", agency):
        raise PermissionDenied("您没有发布年度报告的权限")
    saved = AnnualReport.objects.filter(agency=agency, year=year, rollup=rollup).first()
    if saved is None or saved.is_published:
        messages.error(request, _("没有可发布的草稿") if saved is None else _("年度报告已发布"))
        return redirect(back)
    status = 200
    if request.method == "POST":
        try:
            services.publish_annual_report(
                user, saved, digest=request.POST.get("digest", ""), acknowledged=request.POST.getlist("ack")
            )
        except ServiceError as error:
            messages.error(request, error.zh)
            status = 400
        else:
            messages.success(request, _("年度报告已发布"))
            return redirect(back)
    findings = services.publication_checks(saved, timezone.localdate())
    if request.method == "GET" and (lacking := services.missing_parts(services.stored(saved))):
        messages.error(request, lacking)
    return render(
        request,
        "reports/publish.html",
        {
            "agency": agency,
            "year": year,
            "title": title(services.stored(saved)),
            "back": back,
            "digest": services.draft_digest(saved),
            "errors": [f for f in findings if f.severity.value == "error"],
            "warnings": [(services.warning_name(f), f) for f in services.warnings_of(findings)],
            "acknowledged": set(request.POST.getlist("ack")),
            "notices": [f for f in findings if f.severity.value == "notice"],
        },
        status=status,
    )


@login_required
def export(request: HttpRequest, agency_pk: int, year: int, fmt: str) -> HttpResponse:
    """The report as shown on the page, through the project's writers (PDF needs LibreOffice)."""
    agency = visible_agency(request, agency_pk)
    if fmt not in WRITERS:
        raise Http404("不支持的格式")
    rollup = bool(request.GET.get("rollup"))
    current, _saved = _current(agency, report_year(year), rollup)
    try:
        content = write(current, fmt)
    except WriteError as error:
        messages.error(request, error.zh)
        url = reverse("reports:report", kwargs={"agency_pk": agency.pk, "year": year})
        return redirect(url + ("?rollup=1" if rollup else ""))
    writer = WRITERS[fmt]
    response = HttpResponse(content, content_type=writer.media_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{title(current)}{writer.suffix}")
    return response
