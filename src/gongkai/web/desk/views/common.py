"""Helpers every staff page shares: the calendar banner, agency scoping, service errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

from .. import selectors
from ..models import Agency
from ..permissions import visible_agencies
from ..services import ServiceError


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


def render_staff(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Every staff page carries the missing-calendar-year banner (anchors §4: admins forget the next year)."""
    return render(
        request,
        template,
        {"calendar_warning": selectors.calendar_warning(), **context},
        status=status,
    )


def visible_agency(request: HttpRequest, pk: int | str) -> Agency:
    """An agency in the user's scope, or 404 (no existence leak for agencies outside it)."""
    try:
        return visible_agencies(request.user).get(pk=int(pk))
    except (Agency.DoesNotExist, ValueError):
        raise Http404("没有找到该机关") from None


def form_error(request: HttpRequest, form: Form | None, error: ServiceError) -> None:
    """A service refusal, shown in Chinese on the form (or as a message when there is no form)."""
    if form is not None:
        form.add_error(None, error.zh)
    else:
        messages.error(request, error.zh)
