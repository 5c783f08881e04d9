"""The supervisor's desk pages: a region's year, one report under review, filing upward, collecting
files, the roll-up with indicators, and exports. Thin: services write, selectors read, the core
reads, checks, sums and draws."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from html import escape
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe

from gongkai.checks.render import GROUPS, _marked
from gongkai.formats import CellRef
from gongkai.limits import MAX_FILE_BYTES as MAX_BYTES
from gongkai.report import TABLE_KEYS, Report
from gongkai.web.agencies import selectors as agencies
from gongkai.web.agencies.models import Agency, Level
from gongkai.web.core.errors import InvalidInput, ServiceError
from gongkai.web.core.views import report_year, run_service, staff_user
from gongkai.web.reports import services as reports
from gongkai.writing import WRITERS, WriteError, write
from gongkai.writing import comparison as comparison_writer
from gongkai.writing.html import table_html
from gongkai.writing.layout import table_layout

from . import exports, forms, insight, listing, selectors, services, sources, zips
from .models import Decision, ReportVersion, Source, Status, Submission, Upload

SUMMARY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
MAX_UPLOAD_FILES = 100  # Django's DATA_UPLOAD_MAX_NUMBER_FILES; more go in a ZIP


def _agency(request: HttpRequest, pk: int | str) -> Agency:
    agency = agencies.agency_in_scope(request.user, pk)
    if agency is None:
        raise Http404("没有找到该机关")
    return agency


def _region(request: HttpRequest, pk: int | str) -> Agency:
    """An agency the user supervises (a 督查 or admin of it or above), or 404."""
    agency = _agency(request, pk)
    if not services.can_supervise(staff_user(request), agency):
        raise Http404("没有找到该地区")
    return agency


def _number(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if request.GET.get("region"):
        region = _region(request, request.GET["region"])
        return redirect("oversight:overview", region.pk, report_year(request.GET.get("year")))
    filing = agencies.agency_in_scope(user, request.GET["agency"]) if request.GET.get("agency") else None
    if filing is not None:
        return redirect("oversight:file", filing.pk, report_year(request.GET.get("year")))
    own = [a for a in selectors.member_agencies(user) if services.can_file(user, a)]
    return render(
        request,
        "oversight/index.html",
        {"regions": selectors.regions(user), "own": own, "year": timezone.localdate().year - 1},
    )


@login_required
def overview(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    region = _region(request, region_pk)
    if request.method == "POST":
        user, post = staff_user(request), request.POST
        if post.get("op") != "deadline":
            raise Http404("没有这项操作")
        run_service(
            request,
            lambda: services.set_deadline(
                user, region, post.get("level", ""), _number(post.get("month")), _number(post.get("day"))
            ),
            "已设置报送期限",
        )
        return redirect("oversight:overview", region.pk, report_year(year))
    view = selectors.overview(region, report_year(year))
    report_base = reverse("oversight:submission", args=[0]).removesuffix("0/")  # one reverse, many rows
    return render(
        request,
        "oversight/overview.html",
        {
            "region": region,
            "year": view.year,
            "view": view,
            "rows": listing.rows(view.rows, report_base),
            "missing": listing.names(view.missing),
            "late": listing.names(view.late),
            "levels": [(value, label, view.deadlines[value]) for value, label in Level.choices],
        },
    )


# A value cell of the core's official layout (`writing.html.table_html`): its attributes, its key, its text.
VALUE_CELL = re.compile(r'<td([^>]*) data-cell="([^"]+)"([^>]*)>([^<]*)</td>')


def _clickable(html: str, report: Report, cell_base: str) -> str:
    """Every value cell a link to correcting it beside its source; an empty cell shows a dash."""

    def link(match: re.Match[str]) -> str:
        before, key, after, text = match.groups()
        table, row, column = key.split(".")
        name = escape(report.table(table).cell_zh(CellRef(table, row, column)))
        return (
            f'<td{before} data-cell="{key}"{after}><a class="cell-link" href="{cell_base}{key}/" '
            f'title="更正{name}">{text or "—"}</a></td>'
        )

    return VALUE_CELL.sub(link, html)


def _tables(
    report: Report, findings: list[dict[str, Any]], version: ReportVersion, cell_base: str | None
) -> list[dict[str, Any]]:
    """The tables in the official layout, failing cells marked; a supervisor's cells are links."""
    core = services.finding_objects(version)
    drawn = []
    for key in TABLE_KEYS:
        table = report.table(key)
        html = table_html(table_layout(table), report, f"表{table.number}　{table.title.split('、', 1)[-1]}")
        marked = _marked(html, [f for f in core if f.table == key])
        if cell_base is not None:
            marked = _clickable(marked, report, cell_base)
        drawn.append(
            {
                "key": key,
                "title": GROUPS[key],
                "html": mark_safe(marked),  # the core's writer escapes every value
                "findings": [f for f in findings if f.get("table", "") == key],
            }
        )
    return drawn


def _visible(user: Any, pk: int) -> Submission:
    """The submission, when its agency is within the viewer's scope; else 404 (never a hint)."""
    sub = selectors.submission(pk)
    if sub is None or agencies.agency_in_scope(user, sub.agency_id) is None:
        raise Http404("没有找到该报告")
    return sub


@login_required
def submission(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    sub = _visible(user, pk)
    supervising = services.can_supervise(user, sub.agency)
    if request.method == "POST":
        if not supervising:
            raise Http404("没有这项操作")
        _review_action(request, user, sub)
        table = request.POST.get("cell", "").split(".", 1)[0] if request.POST.get("op") == "correct" else ""
        anchor = f"#h-{table}" if table in TABLE_KEYS else ""
        return redirect(reverse("oversight:submission", args=[sub.pk]) + anchor)
    findings = selectors.findings_with_decisions(sub)
    version = sub.current
    report = Report.from_json(version.data) if version is not None else None
    cell_base = reverse("oversight:cell", args=[sub.pk, "x"]).removesuffix("x/")
    links = cell_base if supervising else None
    return render(
        request,
        "oversight/submission.html",
        {
            "sub": sub,
            "version": version,
            "versions": sub.versions.defer("content", "data").order_by("-number"),
            "tables": _tables(report, findings, version, links) if report is not None and version else [],
            "overall": [f for f in findings if not f.get("table")],
            "supervising": supervising,
            "can_review": supervising and sub.status == Status.SUBMITTED,
            "formats": [(name, w.suffix) for name, w in WRITERS.items()],
            "cell_base": cell_base,
            "decisions": Decision,
        },
    )


def _review_action(request: HttpRequest, user: Any, sub: Any) -> None:
    op = request.POST.get("op", "")
    post = request.POST
    if op == "accept":
        run_service(request, lambda: services.accept(user, sub, post.get("comment", "")), "已接收该报告")
    elif op == "return":
        run_service(
            request, lambda: services.return_submission(user, sub, post.get("comment", "")), "已退回该报告"
        )
    elif op == "decide":
        run_service(
            request,
            lambda: services.decide(
                user, sub, post.get("fingerprint", ""), post.get("decision", ""), post.get("comment", "")
            ),
            "已记录审核结论",
        )
    elif op == "correct":
        run_service(
            request,
            lambda: services.correct_cell(user, sub, post.get("cell", ""), post.get("value", "")),
            "已更正单元格并重新检查，生成新版本",
        )
    elif op == "recheck":
        run_service(request, lambda: services.recheck(user, sub), "已重新检查")
    else:
        raise Http404("没有这项操作")


def _visible_version(request: HttpRequest, pk: int) -> ReportVersion:
    version = get_object_or_404(ReportVersion.objects.select_related("submission__agency"), pk=pk)
    if agencies.agency_in_scope(staff_user(request), version.submission.agency_id) is None:
        raise Http404("没有找到该文件")
    return version


def _source_of(version: ReportVersion) -> ReportVersion | None:
    """The version holding the source bytes: itself, or the earlier one a correction was made on."""
    if not version.sha256:
        return None
    if version.content is not None:
        return version
    return version.submission.versions.filter(sha256=version.sha256, content__isnull=False).first()


@login_required
def source(request: HttpRequest, pk: int) -> HttpResponse:
    """The source file a version was read from (a corrected version points back to its file)."""
    holder = _source_of(_visible_version(request, pk))
    if holder is None or holder.content is None:
        raise Http404("该版本没有源文件")
    response = HttpResponse(bytes(holder.content), content_type="application/octet-stream")
    name = holder.file_name.rsplit("/", 1)[-1] or "report"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _cell_of(sub: Any, key: str) -> tuple[Report, Any]:
    if sub.current is None:
        raise Http404("尚无报送的报告")
    report = Report.from_json(sub.current.data)
    parts = key.split(".")
    if len(parts) != 3 or parts[0] not in TABLE_KEYS:
        raise Http404("没有这个单元格")
    ref = CellRef(*parts)
    if ref not in report.table(ref.table).kinds:
        raise Http404("没有这个单元格")
    return report, ref


@login_required
def cell(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """One cell beside the part of the source it was read from, with the form to correct it."""
    user = staff_user(request)
    sub = selectors.submission(pk)
    if sub is None or not services.can_supervise(user, sub.agency):
        raise Http404("没有找到该报告")
    report, ref = _cell_of(sub, key)
    own = report.provenance.get(key, {})
    where, exact = sources.located(report.provenance, key)
    holder = _source_of(sub.current) if sub.current is not None else None
    content = bytes(holder.content) if holder is not None and holder.content is not None else None
    pdf = content is not None and content.startswith(b"%PDF") and "bbox" in where
    found = (
        sources.excerpt(content, holder.file_name, where, exact) if content and holder and not pdf else None
    )
    return render(
        request,
        "oversight/cell.html",
        {
            "sub": sub,
            "key": key,
            "name": report.table(ref.table).cell_zh(ref),
            "value": report.get(ref),
            "where": where,
            "exact": exact,
            "own": own,
            "how": sources.HOW_ZH.get(own.get("how", ""), ""),
            "pdf": pdf,
            "excerpt": found,
            "findings": [f for f in selectors.findings_with_decisions(sub) if key in f.get("cells", ())],
            "supervising": True,
        },
    )


@login_required
def cell_image(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The PDF page band around the cell, its box outlined (PNG)."""
    user = staff_user(request)
    sub = selectors.submission(pk)
    if sub is None or not services.can_supervise(user, sub.agency) or sub.current is None:
        raise Http404("没有找到该报告")
    report, _ref = _cell_of(sub, key)
    holder = _source_of(sub.current)
    if holder is None or holder.content is None:
        raise Http404("该版本没有源文件")
    where, _exact = sources.located(report.provenance, key)
    # A source file never changes: its band is rendered once per file (by content) and place.
    place = hashlib.sha256(json.dumps([where.get("page"), where.get("bbox")]).encode()).hexdigest()
    cache_key = f"oversight:band:{holder.sha256}:{place}"
    bands = caches["bands"]
    png = bands.get(cache_key)
    if png is None:
        png = sources.pdf_band(bytes(holder.content), where)
        if png is not None:
            bands.set(cache_key, png)
    if png is None:
        raise Http404("该单元格没有页面位置")
    return HttpResponse(png, content_type="image/png")


def _filing(request: HttpRequest, agency_pk: int, year: int) -> tuple[Any, Agency, int, Submission | None]:
    """The filer, the agency it files for, the year and the year's submission so far; 404 unless
    the viewer may file for that agency."""
    user = staff_user(request)
    agency = _agency(request, agency_pk)
    year = report_year(year)
    if not services.can_file(user, agency):
        raise Http404("没有这项操作")
    return user, agency, year, selectors.submission_of(agency, year)


@login_required
def file(request: HttpRequest, agency_pk: int, year: int) -> HttpResponse:
    """An agency files its report upward: a file, the report the desk built, or the online form."""
    user, agency, year, sub = _filing(request, agency_pk, year)
    if request.method == "POST":
        acknowledged = bool(request.POST.get("acknowledged"))
        op = request.POST.get("op", "")
        if op == "upload":
            upload = request.FILES.get("file")
            if upload is None:
                messages.error(request, "请选择要报送的文件")
            elif (upload.size or 0) > MAX_BYTES:
                messages.error(request, f"{upload.name}：文件过大，不像一份年度报告")
            else:
                data = upload.read()
                run_service(
                    request,
                    lambda: services.submit_file(
                        user, agency, year, upload.name or "report", data, acknowledged
                    ),
                    "已报送，等待上级审核",
                )
        elif op == "desk":
            run_service(
                request,
                lambda: services.submit(
                    user,
                    agency,
                    year,
                    reports.build_annual_report(agency, year),
                    Source.DESK,
                    acknowledged=acknowledged,
                ),
                "已报送，等待上级审核",
            )
        else:
            raise Http404("没有这项操作")
        return redirect("oversight:file", agency.pk, year)
    deadline = selectors.deadlines(agency, year)[agency.level]
    first_filed = timezone.localtime(sub.submitted_at).date() if sub and sub.submitted_at else None
    return render(
        request,
        "oversight/file.html",
        {
            "agency": agency,
            "year": year,
            "sub": sub,
            "findings": selectors.findings_with_decisions(sub) if sub is not None else [],
            "deadline": deadline,
            "late": selectors.days_late(first_filed, deadline, timezone.localdate()) if first_filed else 0,
        },
    )


@login_required
def form(request: HttpRequest, agency_pk: int, year: int) -> HttpResponse:
    """The official form filled online: tables 二/三/四 with their arithmetic shown as cells are typed."""
    user, agency, year, sub = _filing(request, agency_pk, year)
    base = Report.from_json(sub.current.data) if sub is not None and sub.current is not None else None
    report = base or forms.blank(agency, year)
    findings: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST":
        try:
            report = forms.report_from_post(report, request.POST)
            findings = services.checked(report, agency, year)
            if request.POST.get("op") == "submit":
                services.submit(
                    user,
                    agency,
                    year,
                    report,
                    Source.FORM,
                    acknowledged=bool(request.POST.get("acknowledged")),
                )
                messages.success(request, "已报送，等待上级审核")
                return redirect("oversight:file", agency.pk, year)
        except ServiceError as error:
            messages.error(request, error.zh)
            status = 400
        else:
            if request.POST.get("op") != "submit":
                messages.info(request, "已检查，请核对下列结果")
    return render(
        request,
        "oversight/form.html",
        {
            "agency": agency,
            "year": year,
            "tables": forms.tables(report),
            "identities": forms.identities(report),
            "findings": findings,
            "blocking": services.blocking(findings),
            "acknowledge": services.to_acknowledge(findings),
        },
        status=status,
    )


@login_required
def collect(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    """Upload many files or ZIPs into a region's year; confirm each file's proposed agency and year."""
    user = staff_user(request)
    region = _region(request, region_pk)
    year = report_year(year)
    if request.method == "POST":
        op = request.POST.get("op", "")
        if op == "upload":
            files = request.FILES.getlist("files")[:MAX_UPLOAD_FILES]
            too_big = [f.name for f in files if (f.size or 0) > zips.MAX_ARCHIVE]
            try:
                if too_big:
                    raise InvalidInput(f"{too_big[0]}：文件过大", f"{too_big[0]}: file too large")
                received_on = _day(request.POST.get("received_on", ""))
                done = services.collect(
                    user, region, year, [(f.name or "file", f.read()) for f in files], received_on
                )
            except ServiceError as error:
                messages.error(request, error.zh)
            else:
                messages.success(
                    request,
                    f"读取 {len(done.uploads)} 个文件，重复 {len(done.duplicates)} 个，"
                    f"无法读取 {len(done.failures)} 个",
                )
                for name, reason in done.failures:
                    messages.error(request, reason if reason.startswith(name) else f"{name}：{reason}")
                for name, where in done.duplicates:
                    messages.warning(request, f"{name}：{where}（SHA-256 相同），已跳过")
        elif op in ("confirm", "discard", "confirm_all"):
            _confirm(request, user, region, year, op)
        else:
            raise Http404("没有这项操作")
        return redirect("oversight:collect", region.pk, year)
    pending = Upload.objects.filter(region=region).defer("content").select_related("proposed")
    return render(
        request,
        "oversight/collect.html",
        {
            "region": region,
            "year": year,
            "pending": pending,
            "choices": region.subtree().only("pk", "name", "path"),
            "today": timezone.localdate(),
        },
    )


def _day(text: str) -> date | None:
    """A date field's ISO day; None when left empty."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("收到日期格式不正确", f"invalid date {text!r}") from None


def _confirm(request: HttpRequest, user: Any, region: Agency, year: int, op: str) -> None:
    uploads = Upload.objects.filter(region=region).select_related("proposed", "region")
    if op == "confirm_all":
        for upload in uploads.filter(proposed__isnull=False):
            proposed = upload.proposed
            assert proposed is not None
            run_service(
                request,
                lambda u=upload, a=proposed: services.confirm(user, u, a, u.year),
                f"已确认 {upload.file_name}",
            )
        return
    upload = get_object_or_404(uploads, pk=request.POST.get("upload"))
    if op == "discard":
        run_service(request, lambda: services.discard(user, upload), "已删除")
        return
    agency = _agency(request, request.POST.get("agency", ""))
    chosen = report_year(request.POST.get("year", upload.year))
    run_service(request, lambda: services.confirm(user, upload, agency, chosen), f"已确认 {upload.file_name}")


@login_required
def rollup(request: HttpRequest, region_pk: int, year: int) -> HttpResponse:
    """The region's tables summed from its agencies, reconciled with its own report; indicators ranked."""
    region = _region(request, region_pk)
    year = report_year(year)
    response = HttpResponse(insight.summary_page(region, year))
    # The core's self-contained page carries its stylesheet and its SVG charts' styles inline and
    # runs no script: inline styles are allowed here alone, scripts and everything else are not.
    response["Content-Security-Policy"] = SUMMARY_POLICY
    return response


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """One agency's report against its report on the year before."""
    user = staff_user(request)
    sub = _visible(user, pk)
    return render(request, "oversight/compare.html", {"sub": sub, **insight.comparison(sub)})


COMPARISON_FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@login_required
def compare_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The comparison as DOCX or PDF through the core's writer (PDF needs LibreOffice)."""
    sub = _visible(staff_user(request), pk)
    if fmt not in COMPARISON_FORMATS:
        raise Http404("没有找到该报告")
    comparison = insight.comparison(sub)["comparison"]
    if comparison is None:
        raise Http404("没有上年度的报告可供比较")
    try:
        content = comparison_writer.pdf(comparison) if fmt == "pdf" else comparison_writer.write(comparison)
    except WriteError as error:
        messages.error(request, error.zh)
        return redirect("oversight:compare", sub.pk)
    response = HttpResponse(content, content_type=COMPARISON_FORMATS[fmt])
    name = f"{sub.agency.name}{sub.year}年度与上年度比较.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def report_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The current version in the official layout through the core's writers (PDF needs LibreOffice)."""
    sub = _visible(staff_user(request), pk)
    if fmt not in WRITERS or sub.current is None:
        raise Http404("不支持的格式")
    try:
        content = write(Report.from_json(sub.current.data), fmt)
    except WriteError as error:
        messages.error(request, error.zh)
        return redirect("oversight:submission", sub.pk)
    writer = WRITERS[fmt]
    response = HttpResponse(content, content_type=writer.media_type)
    name = f"{sub.agency.name}{sub.year}年度政府信息公开工作年度报告{writer.suffix}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def export(request: HttpRequest, region_pk: int, year: int, fmt: str) -> HttpResponse:
    region = _region(request, region_pk)
    year = report_year(year)
    made = exports.make(region, year, fmt)
    if made is None:
        raise Http404("不支持的格式")
    content, media_type, suffix = made
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{region.name}{year}年度{suffix}")
    return response
