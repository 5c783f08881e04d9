"""The office's daily tools: the 台账 export and import, notifications, bulk actions, the sign-off
chain, and the request-page actions for 催办, 转办/退回 and sign-off (joined into the request
page's actions by `staff`)."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gongkai.web.agencies.permissions import can, visible_agencies
from gongkai.writing.xlsx_sheet import write_sheet

from .. import forms as f
from .. import ledger, selectors
from .. import office_forms as of
from ..models import OPEN_STATES, AnswerDraft, EventKind, Notification, Request, RequestEvent
from ..services import Conflict, ServiceError, reminders, signoff, transfer
from ..services import bulk as bulk_services
from ..services import ledger as ledger_services

# Request-page actions, as `staff.Spec` fields.


def _chain(r: Request, s: Any) -> bool:
    return r.is_open and bool(signoff.chain_of(r.agency_id)) and signoff.pending_draft(r) is None


def _transferred_here(r: Request, s: Any) -> bool:
    last = (
        RequestEvent.objects.filter(request=r, kind__in=(EventKind.TRANSFERRED, EventKind.SENT_BACK))
        .order_by("-id")
        .first()
    )
    return r.is_open and last is not None and last.kind == EventKind.TRANSFERRED


def _may_sign(user: AbstractBaseUser, r: Request) -> bool:
    draft = signoff.pending_draft(r)
    return draft is not None and signoff.may_sign(user, draft)


def _decide(user: AbstractBaseUser, r: Request, data: dict[str, Any]) -> object:
    draft = signoff.pending_draft(r)
    if draft is None:
        raise Conflict("该申请没有签批中的答复草稿", "no pending draft")
    if data["decision"] == "sign":
        return signoff.sign(user, draft, data["comment"])
    return signoff.return_draft(user, draft, data["comment"])


ACTIONS: dict[str, dict[str, Any]] = {
    "urge": {
        "label": _("催办"),
        "permission": "urge",
        "form": lambda data, files, r, u: of.UrgeForm(data),
        "run": lambda u, r, d: reminders.urge(u, r, d["note"]),
    },
    "transfer": {
        "label": _("转办"),
        "permission": "assign",
        "form": lambda data, files, r, u: of.TransferForm(data, request=r),
        "run": lambda u, r, d: transfer.transfer(u, r, d["to"], d["reason"]),
    },
    "send_back": {
        "label": _("退回"),
        "permission": "assign",
        "form": lambda data, files, r, u: of.SendBackForm(data),
        "run": lambda u, r, d: transfer.send_back(u, r, d["reason"]),
        "when": _transferred_here,
    },
    "draft": {
        "label": _("拟写答复（提交签批）"),
        "permission": "handle",
        "form": lambda data, files, r, u: of.DraftForm(data),
        "run": lambda u, r, d: signoff.submit_draft(
            u, r, d["outcome"], d["legal_basis"], d["letter_number"], d["letter_text"]
        ),
        "when": _chain,
    },
    "signoff": {
        "label": _("签批答复"),
        "permission": "view",
        "form": lambda data, files, r, u: of.SignoffForm(data),
        "run": _decide,
        "when": lambda r, s: r.is_open and signoff.pending_draft(r) is not None,
        "who": _may_sign,
    },
}


def draft_of(r: Request) -> AnswerDraft | None:
    """The answer draft being signed, shown on the request page."""
    return signoff.pending_draft(r)


# 台账 export ------------------------------------------------------------------------------------------


def _filtered(request: HttpRequest, user: AbstractBaseUser) -> Any:
    """The list's filters from the query string, as the request list reads them."""
    from .staff import _clocked, _narrowed

    data: dict[str, Any] = {}
    if request.GET:
        form = f.FilterForm(request.GET, user=user)
        data = form.cleaned_data if form.is_valid() else {}
    if data.get("overdue") or data.get("due") is not None:
        ids = [row["pk"] for row, _state in _clocked(user, data)]
        return selectors.requests_for(user).filter(pk__in=ids).order_by("-received_on", "-id")
    return selectors.filtered(user, _narrowed(user, data))


@login_required
def ledger_export(request: HttpRequest, fmt: str) -> StreamingHttpResponse | FileResponse:
    """The filtered list as the 台账, streamed: CSV row by row, XLSX through a temporary file."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("没有这种格式")
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    rows = ledger.export_rows(user, _filtered(request, user))
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = StreamingHttpResponse(ledger.csv_lines(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ledger-{stamp}.csv"'
        return response
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes (and so deletes) it
    write_sheet(spool, "台账", rows)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"ledger-{stamp}.xlsx")


# 台账 import ------------------------------------------------------------------------------------------

UPLOADS = Path(tempfile.gettempdir()) / "gongkai-ledger"


def _spool(user: AbstractBaseUser, token: str) -> Path:
    return UPLOADS / f"{user.pk}-{token}"


@login_required
def ledger_import(request: HttpRequest) -> HttpResponse:
    """Upload, preview each row's result with its Chinese errors, then confirm: nothing is written
    before the confirmation, and the confirmation reads the same uploaded file again."""
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    agencies = visible_agencies(user).filter(
        pk__in=[a.pk for a in visible_agencies(user) if can(user, "register", a)]
    )
    if not agencies.exists():
        raise PermissionDenied("您没有登记申请的权限")
    only = agencies.first() if agencies.count() == 1 else None
    form = of.LedgerUploadForm(
        request.POST or None, request.FILES or None, agencies=agencies, initial={"agency": only}
    )
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "requests/ledger_import.html", {"form": form}, status=400 if form.is_bound else 200
        )
    agency, upload = form.cleaned_data["agency"], form.cleaned_data["file"]
    if upload.size > ledger.MAX_BYTES:
        form.add_error("file", f"文件超过 {ledger.MAX_BYTES // 1024 // 1024} MB")
        return render(request, "requests/ledger_import.html", {"form": form}, status=400)
    data = upload.read()
    try:
        rows = ledger.read_ledger(data, upload.name or "")
    except ledger.LedgerError as error:
        form.add_error("file", error.zh)
        return render(request, "requests/ledger_import.html", {"form": form}, status=400)
    token = secrets.token_urlsafe(16)
    UPLOADS.mkdir(mode=0o700, exist_ok=True)
    _spool(user, token).write_bytes(data)
    seen = ledger_services.existing_keys(agency, rows)
    preview = [(row, ledger.row_key(agency.pk, row.fields) in seen) for row in rows]
    return render(
        request,
        "requests/ledger_preview.html",
        {
            "agency": agency,
            "token": token,
            "rows": preview,
            "good": sum(1 for row, old in preview if row.ok and not old),
            "bad": sum(1 for row, _old in preview if not row.ok),
            "old": sum(1 for _row, old in preview if old),
        },
    )


@login_required
@require_POST
def ledger_confirm(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    token = request.POST.get("token", "")
    path = _spool(user, token)
    agency = visible_agencies(user).filter(pk=request.POST.get("agency", "0")).first()
    if not token.replace("-", "").replace("_", "").isalnum() or not path.exists() or agency is None:
        messages.error(request, "导入文件已失效，请重新上传")
        return redirect("requests:ledger_import")
    try:
        rows = ledger.read_ledger(path.read_bytes(), "")
        done = ledger_services.import_ledger(user, agency, rows)
    except (ledger.LedgerError, ServiceError) as error:
        messages.error(request, error.zh)
        return redirect("requests:ledger_import")
    finally:
        path.unlink(missing_ok=True)
    messages.success(
        request,
        f"已导入 {len(done.created)} 件；已存在而跳过 {len(done.skipped)} 件；"
        f"有错误未导入 {len(done.refused)} 处",
    )
    for reason in done.refused[:20]:
        messages.warning(request, reason)
    return redirect("requests:request_list")


def inbox(user: AbstractBaseUser) -> list[Notification]:
    """The user's unread notifications, newest first, for the home page."""
    unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
    return list(unread.order_by("-created_at", "-id")[:30])


def timeliness_of(user: AbstractBaseUser, agency: Any) -> selectors.Timeliness | None:
    """This year's timeliness of the chosen agency (or of the user's only one): a wide scope's would
    derive every clock of the year on the home page, so it is offered per agency."""
    ids = [agency.pk] if agency is not None else list(visible_agencies(user).values_list("pk", flat=True)[:2])
    if len(ids) != 1:
        return None
    return selectors.timeliness(ids, timezone.localdate().year)


# Notifications, bulk actions, the sign-off chain --------------------------------------------------------


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    reminders.mark_read(request.user)
    return redirect("requests:home")


@login_required
def bulk(request: HttpRequest) -> HttpResponse:
    """The filtered list (at most `MAX_BULK` rows) with a box per request and one action for all."""
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    found = list(_filtered(request, user).select_related("agency", "handler")[: bulk_services.MAX_BULK])
    agencies = visible_agencies(user)
    form = of.BulkForm(request.POST or None, ids=[r.pk for r in found], agencies=agencies)
    if request.method == "POST" and form.is_valid():
        chosen = [r for r in found if r.pk in set(form.cleaned_data["ids"])]
        data = form.cleaned_data
        if data["action"] == "assign":
            result = bulk_services.bulk_assign(user, chosen, data["handler"])
        elif data["action"] == "urge":
            result = bulk_services.bulk_urge(user, chosen, data["note"] or "")
        else:
            result = bulk_services.bulk_archive(user, chosen, data["on"] or timezone.localdate())
        messages.success(request, f"已处理 {len(result.done)} 件，未处理 {len(result.refused)} 件")
        for pk, reason in result.refused[:20]:
            messages.warning(request, f"#{pk}：{reason}")
        return redirect(request.get_full_path())
    return render(request, "requests/bulk.html", {"form": form, "found": found, "open_states": OPEN_STATES})


@login_required
def signoff_chain(request: HttpRequest) -> HttpResponse:
    """Each agency's chain, for its 负责人 or an administrator."""
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    mine = [a for a in visible_agencies(user) if can(user, "approve_extension", a) or can(user, "admin", a)]
    if not mine:
        raise PermissionDenied("您没有设置签批流程的权限")
    if request.method == "POST":
        agency = next((a for a in mine if str(a.pk) == request.POST.get("agency")), None)
        form = of.ChainForm(request.POST, prefix=f"a{agency.pk}" if agency else None)
        if agency is not None and form.is_valid():
            try:
                signoff.set_chain(user, agency, form.cleaned_data["steps"])
            except ServiceError as error:
                messages.error(request, error.zh)
            else:
                messages.success(request, f"已保存{agency.name}的签批流程")
        return redirect("requests:signoff_chain")
    rows = [
        (a, of.ChainForm(initial={"steps": list(signoff.chain_of(a.pk))}, prefix=f"a{a.pk}")) for a in mine
    ]
    return render(request, "requests/signoff_chain.html", {"rows": rows})
