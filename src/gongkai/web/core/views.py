"""Helpers every staff page shares (the signed-in user, service errors on forms, a report year from
the URL) and the health check."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.forms import Form
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .errors import ServiceError


def health(request: HttpRequest) -> JsonResponse:
    """Liveness plus a trivial query, so a monitor sees a dead database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


def staff_user(request: HttpRequest) -> AbstractBaseUser:
    """The logged-in user (views using this are behind `login_required`), unwrapped from Django's
    lazy stand-in and put back on the request: a list page asks the user hundreds of questions,
    each a function call through the proxy."""
    user = request.user
    if isinstance(user, SimpleLazyObject):
        user.is_authenticated  # noqa: B018 - resolves the lazy object
        user = request.user = user._wrapped
    assert isinstance(user, AbstractBaseUser)
    return user


def form_error(request: HttpRequest, form: Form | None, error: ServiceError) -> None:
    """A service refusal, shown in Chinese on the form (or as a message when there is no form)."""
    if form is not None:
        form.add_error(None, error.zh)
    else:
        messages.error(request, error.zh)


def run_service(request: HttpRequest, call: Any, done: str) -> bool:
    """Call a service for a form's action: `done` as a message when it went through, its refusal in
    Chinese when it did not; whether it went through."""
    try:
        call()
    except ServiceError as error:
        messages.error(request, error.zh)
        return False
    messages.success(request, done)
    return True


def report_year(value: Any) -> int:
    """A report year from a URL or query: last year when absent or not a number; 404 outside 2008
    (the first year with annual reports under the Regulation) to this year."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year - 1
    if not 2008 <= year <= timezone.localdate().year:
        raise Http404("年度超出范围")
    return year
