"""What a deployment needs beyond Django's own settings: no caching of pages, the lockout page,
and the audit entries of logins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import AuditLog

# Only the stylesheet and the health check may be kept by a browser or a proxy: every other page
# may hold an applicant's personal data or a tracking code.
CACHEABLE = ("/static/", "/health/")


def headers(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: the Content-Security-Policy on every response, and `Cache-Control: no-store` on
    every response but the stylesheet's and the health check's."""
    policy = settings.CONTENT_SECURITY_POLICY

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Content-Security-Policy", policy)
        if not request.path.startswith(CACHEABLE):
            response["Cache-Control"] = "no-store"
        return response

    return middleware


def locked_out(request: HttpRequest, *args: Any) -> HttpResponse:
    """django-axes' answer to a locked account or address: a clear Chinese page, status 429."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "core/locked_out.html", {"minutes": minutes}, status=429)


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind `GONGKAI_PROXY_COUNT` trusted proxies the
    address the outermost of them saw (counted from the right of X-Forwarded-For, which a client
    can prepend to but not append to)."""
    proxies = int(settings.PROXY_COUNT)
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return str(forwarded[-proxies])
    return str(request.META.get("REMOTE_ADDR", ""))


def _address(request: HttpRequest | None) -> str:
    return client_address(request) if request is not None else ""


@receiver(user_logged_in, dispatch_uid="gongkai.audit.login")
def _logged_in(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any) -> None:
    AuditLog.objects.create(
        actor_id=user.pk,
        action="auth.login",
        object_type="auth.user",
        object_id=str(user.pk),
        subject_type="auth.user",
        subject_id=str(user.pk),
        after={"address": _address(request)},
    )


@receiver(user_login_failed, dispatch_uid="gongkai.audit.login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A failed login names the account tried (never the password) and the address."""
    username = str(credentials.get("username", ""))[:150]
    AuditLog.objects.create(
        action="auth.login_failed",
        object_type="auth.user",
        object_id=username[:64],
        subject_type="auth.user",
        subject_id=username[:64],
        after={"username": username, "address": _address(request)},
    )
