"""Item 1: deployment settings an IT department signs off."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.web.cli import unsafe_to_serve
from gongkai.web.demo import PASSWORD

from .conftest import Tree

GONGKAI = str(Path(sys.executable).with_name("gongkai"))
# The production environment README documents (a proxy ends TLS and says so in a header).
PRODUCTION = {
    "GONGKAI_SECRET_KEY": "k" * 20 + "-production-secret-from-the-vault-" + "x" * 20,
    "GONGKAI_ALLOWED_HOSTS": "gongkai.example.gov.cn",
    "GONGKAI_CSRF_TRUSTED_ORIGINS": "https://gongkai.example.gov.cn",
    "GONGKAI_HTTPS": "1",
    "GONGKAI_PROXY_SSL_HEADER": "X-Forwarded-Proto=https",
    "GONGKAI_PROXY_COUNT": "1",
    "GONGKAI_SESSION_SECONDS": "3600",
}


def _run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # A clean environment: none of the desk's, nor Django's (the browser tests allow async-unsafe calls).
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DATABASE_URL", "DJANGO_"))}
    clean.update(GONGKAI_DATA_DIR=str(tmp_path / "var"), **env)
    return subprocess.run(args, env=clean, capture_output=True, text=True, timeout=120, check=False)


def test_check_deploy_passes_with_the_documented_production_environment(tmp_path: Path) -> None:
    done = _run([GONGKAI, "manage", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "WARNINGS" not in done.stderr + done.stdout
    # Without it, the same check names what is missing.
    bare = _run([GONGKAI, "manage", "check", "--deploy", "--fail-level", "WARNING"], {}, tmp_path)
    assert bare.returncode != 0 and "security.W009" in bare.stderr + bare.stdout


def test_production_settings_come_from_the_environment(tmp_path: Path) -> None:
    names = [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_AGE",
    ]
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    env = {"DJANGO_SETTINGS_MODULE": "gongkai.web.settings"}
    seen: dict[str, Any] = json.loads(
        _run([sys.executable, "-c", script], {**PRODUCTION, **env}, tmp_path).stdout
    )
    assert seen["SECRET_KEY"] == PRODUCTION["GONGKAI_SECRET_KEY"]
    assert seen["ALLOWED_HOSTS"] == ["gongkai.example.gov.cn"]
    assert seen["SESSION_COOKIE_SECURE"] and seen["CSRF_COOKIE_SECURE"] and seen["SECURE_SSL_REDIRECT"]
    assert seen["SECURE_HSTS_SECONDS"] >= 31536000
    assert seen["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert seen["SESSION_COOKIE_AGE"] == 3600


def test_serve_off_loopback_refuses_the_development_key(tmp_path: Path) -> None:
    done = _run([GONGKAI, "serve", "--host", "0.0.0.0", "--port", "1", "--no-demo"], {}, tmp_path)
    assert done.returncode == 1
    assert "GONGKAI_SECRET_KEY" in done.stderr and "拒绝" in done.stderr


@pytest.mark.django_db
def test_serve_off_loopback_refuses_a_demo_admin_with_the_published_password(settings: Any) -> None:
    settings.SECRET_KEY = PRODUCTION["GONGKAI_SECRET_KEY"]
    assert unsafe_to_serve("0.0.0.0") == []
    admin = User.objects.create_user("demo_admin", password=PASSWORD)
    assert any("demo_admin" in reason for reason in unsafe_to_serve("0.0.0.0"))
    assert unsafe_to_serve("127.0.0.1") == []  # on loopback the demo is what it is for
    admin.set_password("a-new-long-password-of-the-admin")
    admin.save()
    assert unsafe_to_serve("0.0.0.0") == []


def test_every_page_carries_a_content_security_policy_and_no_inline_code(client: Client, tree: Tree) -> None:
    pages = ["/login/", "/public/", "/public/track/"]
    client.force_login(tree.admin)
    pages += ["/", "/requests/", "/requests/new/", "/calendar/", "/letters/templates/", "/reports/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy, url
        assert "unsafe-inline" not in policy
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url  # no inline script
        assert " style=" not in html and "<style" not in html, url  # the CSP allows no inline style


def test_pages_with_personal_data_are_not_stored(client: Client, tree: Tree, new_request: Any) -> None:
    r = new_request()
    client.force_login(tree.handle)
    for url in ("/", "/requests/", f"/requests/{r.pk}/", f"/public/track/{r.tracking_code}/", "/login/"):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_password_validators_are_on() -> None:
    for weak in ("12345678", "password", "gongkai"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("长期有效-desk-Passphrase-2025")
