"""Per-agency letter templates: edit the text of each kind of letter, with the placeholders listed."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import letters
from ..forms import LetterTemplateForm
from ..models import LetterKind, LetterTemplate
from ..permissions import can, visible_agencies
from ..services import ServiceError
from ..services.letters import save_template
from .common import render_staff, staff_user


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    ids = [a.pk for a in visible_agencies(user) if can(user, "approve_extension", a) or can(user, "admin", a)]
    if not ids:
        raise PermissionDenied("您没有维护文书模板的权限")
    agencies = visible_agencies(user).filter(pk__in=ids)
    status = 200
    if request.method == "POST":
        form = LetterTemplateForm(request.POST, agencies=agencies)
        if form.is_valid():
            d = form.cleaned_data
            try:
                save_template(user, d["agency"], d["kind"], d["outcome"], d["body"])
            except ServiceError as error:
                form.add_error(None, error.zh)
            else:
                messages.success(request, _("已保存文书模板") if d["body"].strip() else _("已恢复为默认模板"))
                query = urlencode({"agency": d["agency"].pk, "kind": d["kind"], "outcome": d["outcome"]})
                return redirect(f"{reverse('desk:letter_templates')}?{query}")
        status = 400
    else:
        agency = agencies.filter(pk=request.GET.get("agency") or ids[0]).first() or agencies.first()
        kind = request.GET.get("kind", "")
        kind = kind if kind in LetterKind.values else LetterKind.RECEIPT
        outcome = request.GET.get("outcome", "")
        own = LetterTemplate.objects.filter(agency=agency, kind=kind, outcome=outcome).first()
        body = own.body if own is not None else letters.default_body(LetterKind(kind), outcome)
        initial = {"agency": agency, "kind": kind, "outcome": outcome, "body": body}
        form = LetterTemplateForm(initial=initial, agencies=agencies)
    return render_staff(
        request,
        "desk/letters/templates.html",
        {
            "form": form,
            "own": LetterTemplate.objects.filter(agency__in=agencies).select_related("agency"),
            "placeholders": letters.PLACEHOLDERS,
        },
        status=status,
    )
