"""Helpers every staff page shares (the signed-in user, service errors on forms) and the health check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.forms import Form
from django.http import HttpRequest, JsonResponse
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
