"""The applicant portal: no account, no personal data on any page, no oracle for tracking codes.

Submitting and looking up are limited per address (`ratelimit`), so tracking codes cannot be
guessed at speed. The tracking page shows only the state, the receipt date, the derived due date with its
derivation, the letters issued to the applicant and the outcome; the names of consulted third
parties, as stored, are blanked from the derivation lines. An unknown or malformed code gets the
same page as a missing one.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongkai.web.core.errors import ServiceError
from gongkai.web.core.forms import one_time_token
from gongkai.web.requests import selectors, services
from gongkai.web.requests.models import RECEIPT_RULE, Channel, Request

from .forms import OnlineRequestForm
from .ratelimit import limited


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/index.html", {"agencies": selectors.accepting_agencies()})


@limited("apply", limit=5, methods=("POST",))
def apply(request: HttpRequest, agency_pk: int) -> HttpResponse:
    """The online request form; the receipt date is today, the day the system confirms the submission."""
    agency = get_object_or_404(selectors.accepting_agencies(), pk=agency_pk)
    context = {"agency": agency, "rule": RECEIPT_RULE[Channel.ONLINE], "today": timezone.localdate()}
    if request.method != "POST":
        form = OnlineRequestForm(initial={"token": one_time_token()})
        return render(request, "portal/apply.html", {**context, "form": form})
    form = OnlineRequestForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if data.pop("website"):  # the honeypot: a robot filled the hidden field
            form.add_error(None, _("提交未被受理，请刷新页面后重新填写"))
        else:
            try:
                created = services.submit_online(agency, idempotency_key=data.pop("token"), **data)
            except ServiceError as error:
                form.add_error(None, error.zh)
            else:
                return redirect("portal:submitted", code=created.tracking_code_grouped)
    return render(request, "portal/apply.html", {**context, "form": form}, status=400)


def _found(code: str) -> Request | None:
    return selectors.request_by_tracking_code(code)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/not_found.html", status=404)


@require_GET
@limited("track", limit=30)
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    found = _found(code)
    if found is None:
        return _not_found(request)
    return render(request, "portal/submitted.html", {"r": found, "rule": RECEIPT_RULE[Channel.ONLINE]})


@require_GET
@limited("track", limit=30)
def track_form(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    if code:
        typed = selectors.tracking_code_as_printed(code)
        if typed is not None:
            return redirect("portal:track", code=typed)
        return (
            redirect("portal:track", code=code) if re.fullmatch(r"[\w-]{1,32}", code) else _not_found(request)
        )
    return render(request, "portal/track_form.html")


@require_GET
@limited("track", limit=30)
def track(request: HttpRequest, code: str) -> HttpResponse:
    found = _found(code)
    if found is None:
        return _not_found(request)
    state = selectors.clock_state(found)
    letters = selectors.letters_to_applicant(found)
    return render(
        request,
        "portal/track.html",
        {
            "state_label": found.get_state_display(),
            "received_on": found.received_on,
            "agency": found.agency.name,
            "clock": state,
            "lines": selectors.public_derivation(found, state),
            "letters": letters,
            "code": found.tracking_code_grouped,
            "content": found.content,
            "delivery": found.get_delivery_display(),
            "outcome": found.get_outcome_display() if found.outcome else "",
            "closed_on": found.closed_on,
            "is_open": found.is_open,
        },
    )


@require_GET
@limited("track", limit=30)
def letter(request: HttpRequest, code: str, pk: int) -> FileResponse | HttpResponse:
    """A letter sent to the applicant, as the DOCX the desk issued, by the tracking code alone."""
    found = _found(code)
    kept = selectors.applicant_letter(found, pk) if found is not None else None
    if kept is None or not kept.file:
        return _not_found(request)
    try:
        handle = kept.file.open("rb")
    except OSError:
        return _not_found(request)
    return FileResponse(handle, as_attachment=True, filename=Path(str(kept.file.name)).name)
