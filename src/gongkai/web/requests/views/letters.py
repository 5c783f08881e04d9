"""Per-agency letter templates: edit the text of each kind of letter, or upload the agency's own DOCX."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from gongkai.web.agencies import services as directory
from gongkai.web.agencies.models import Agency
from gongkai.web.agencies.permissions import can, visible_agencies
from gongkai.web.core.errors import ServiceError
from gongkai.web.core.rows import version_of
from gongkai.web.core.views import staff_user
from gongkai.writing.docx import MEDIA_TYPE as DOCX

from .. import letters
from ..forms import LetterSettingsForm, LetterTemplateForm
from ..models import OUTCOMES, LetterKind, LetterTemplate
from ..services.letters import GROUPS, remove_template_docx, save_template, upload_template_docx

ACTIONS = ("body", "upload", "remove_docx")


def _keepable(user: AbstractBaseUser) -> QuerySet[Agency]:
    """The agencies whose templates `user` may keep (负责人 or admin); none is refused."""
    ids = [a.pk for a in visible_agencies(user) if can(user, "approve_extension", a) or can(user, "admin", a)]
    if not ids:
        raise PermissionDenied("您没有维护文书模板的权限")
    return visible_agencies(user).filter(pk__in=ids)


def _text(current: LetterTemplate | None, kind: str, outcome: str) -> str:
    """The text template in force: the agency's own body, else the built-in default."""
    own = current.body if current is not None and current.body.strip() else ""
    return own or letters.default_body(LetterKind(kind), outcome)


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    agencies = _keepable(user)
    source = request.POST if request.method == "POST" else request.GET
    agency, kind, outcome = _selected(source, agencies)
    current = LetterTemplate.objects.filter(agency=agency, kind=kind, outcome=outcome).first()
    status = 200
    if request.method == "POST":
        form = LetterTemplateForm(request.POST, request.FILES, agencies=agencies)
        action = request.POST.get("action", "body")
        if form.is_valid() and action in ACTIONS:
            d = form.cleaned_data
            try:
                done = _apply(user, action, d, request.POST.get("seen"))
            except ServiceError as error:
                form.add_error("docx" if action == "upload" else None, error.zh)
            else:
                messages.success(request, done)
                query = urlencode({"agency": d["agency"].pk, "kind": d["kind"], "outcome": d["outcome"]})
                return redirect(f"{reverse('requests:letter_templates')}?{query}")
        status = 400
    else:
        initial = {"agency": agency, "kind": kind, "outcome": outcome, "body": _text(current, kind, outcome)}
        form = LetterTemplateForm(initial=initial, agencies=agencies)
    return render(
        request,
        "requests/letters/templates.html",
        {
            "form": form,
            "selected": {"agency": agency, "kind": kind, "outcome": outcome},
            "current_docx": (current.docx.name or "").rsplit("/", 1)[-1] if current is not None else "",
            "seen": version_of(current),
            "own": LetterTemplate.objects.filter(agency__in=agencies).select_related("agency"),
            "placeholders": letters.PLACEHOLDERS,
        },
        status=status,
    )


@login_required
def template_docx(request: HttpRequest) -> HttpResponse:
    """The selected template as a DOCX to edit: the uploaded one, else the text template laid out
    with its placeholders (`letters.starter_docx`)."""
    agency, kind, outcome = _selected(request.GET, _keepable(staff_user(request)))
    current = LetterTemplate.objects.filter(agency=agency, kind=kind, outcome=outcome).first()
    if current is not None and current.docx:
        try:
            with current.docx.open("rb") as f:
                data = f.read()
        except OSError as error:
            raise Http404("上传的 DOCX 模板文件已丢失，请重新上传") from error
    else:
        data = letters.starter_docx(LetterKind(kind), _text(current, kind, outcome))
    name = f"template-{agency.pk if agency else 0}-{kind}{'-' + outcome if outcome else ''}.docx"
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _selected(query: QueryDict, agencies: QuerySet[Agency]) -> tuple[Agency | None, str, str]:
    """The (agency, kind, outcome) the page is about; unknown values fall back to the first choices."""
    pk = query.get("agency", "")
    agency = agencies.filter(pk=int(pk)).first() if pk.isdigit() else None
    kind = query.get("kind", "")
    return (
        agency or agencies.first(),
        kind if kind in LetterKind.values else LetterKind.RECEIPT.value,
        outcome if (outcome := query.get("outcome", "")) in OUTCOMES | GROUPS else "",
    )


def _apply(user: AbstractBaseUser, action: str, d: dict[str, Any], seen: str | None) -> str:
    """Do what the pressed button asks through the service; the success message to show. `seen`
    is the version of the template the page showed: a save from an older page is refused."""
    where = (d["agency"], d["kind"], d["outcome"])
    if action == "upload":
        upload_template_docx(user, *where, d["docx"], seen=seen)
        return _("已上传 DOCX 模板，出具此类文书时将使用该模板")
    if action == "remove_docx":
        remove_template_docx(user, *where)
        return _("已删除 DOCX 模板，出具此类文书时恢复使用文本模板")
    row = save_template(user, *where, d["body"], seen=seen)
    if d["body"].strip():
        return _("已保存文书模板")
    if row is not None and row.docx:
        return _("已清空正文；出具此类文书时仍使用上传的 DOCX 模板")
    return _("已恢复为默认模板")


@login_required
def letter_settings(request: HttpRequest) -> HttpResponse:
    """An agency's letter settings: the 复议机关, the court and the time limits its 答复书 names,
    and how its fee notice says to pay."""
    user = staff_user(request)
    agencies = _keepable(user)
    source = request.POST if request.method == "POST" else request.GET
    agency, _kind, _outcome = _selected(source, agencies)
    assert agency is not None  # _keepable refuses a user with none
    status = 200
    if request.method == "POST":
        form = LetterSettingsForm(request.POST)
        if form.is_valid():
            try:
                directory.update_letter_settings(user, agency, **form.cleaned_data)
            except ServiceError as error:
                form.add_error(None, error.zh)
            else:
                messages.success(request, _("已保存文书设置"))
                return redirect(f"{reverse('requests:letter_settings')}?agency={agency.pk}")
        status = 400
    else:
        form = LetterSettingsForm(initial={k: getattr(agency, k) for k in directory.LETTER_SETTINGS})
    return render(
        request,
        "requests/letters/settings.html",
        {"form": form, "agency": agency, "agencies": agencies},
        status=status,
    )
