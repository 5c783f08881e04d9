"""The apps keep to docs/architecture.md's rules: who may import whom, and only through what."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import gongkai.web

WEB = Path(gongkai.web.__file__).parent
# Each app and the apps it may use (docs/architecture.md, "Who may call whom").
MAY_USE = {
    "core": set(),
    "agencies": {"core"},
    "calendar": {"core", "agencies"},
    "requests": {"core", "agencies", "calendar"},
    "proactive": {"core", "agencies", "calendar", "requests"},
    "reports": {"core", "agencies", "calendar", "requests", "proactive"},
    "portal": {"core", "agencies", "calendar", "requests", "proactive", "reports"},
    "oversight": {"core", "agencies", "calendar", "requests", "proactive", "reports"},
}
# What another app may import of an app: its records, writers and readers, and two shared APIs.
PUBLIC = {"models", "services", "selectors", "permissions", "effects"}
SHARED_FORMS = {("portal", "requests.forms")}  # the Art. 29 fields, declared once
SITE = {"settings", "urls", "navigation", "demo", "cli", "server", "wsgi"}


def imports(source: str, package: str) -> set[str]:
    """Every gongkai.web name a module of `package` imports, relative imports resolved."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found |= {f"{base}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.startswith("gongkai.web.")}


def violations(app: str, source: str, package: str) -> list[str]:
    wrong = []
    for name in sorted(imports(source, package)):
        parts = name.split(".")[2:]  # after gongkai.web
        other = parts[0]
        if other == app:
            continue
        if other in SITE:
            wrong.append(f"{name}: the site's modules sit above every app")
        elif other not in MAY_USE[app]:
            wrong.append(f"{name}: {app} may not use {other}")
        elif (
            other != "core"
            and len(parts) > 1
            and parts[1] not in PUBLIC
            and (app, ".".join(parts[:2])) not in SHARED_FORMS
        ):
            wrong.append(f"{name}: only {sorted(PUBLIC)} of another app")
    return wrong


@pytest.mark.parametrize("app", sorted(MAY_USE))
def test_an_app_uses_only_the_apps_below_it_through_their_public_modules(app: str) -> None:
    wrong = []
    for path in sorted((WEB / app).rglob("*.py")):
        package = ".".join(("gongkai", "web", *path.relative_to(WEB).parts[:-1]))
        found = violations(app, path.read_text(encoding="utf-8"), package)
        wrong += [f"{path.relative_to(WEB)}: {v}" for v in found]
    assert wrong == []


def test_the_rules_catch_what_they_forbid() -> None:
    assert violations("core", "from gongkai.web.agencies.models import Agency", "gongkai.web.core") != []
    assert violations("reports", "from gongkai.web.requests.views import staff", "gongkai.web.reports") != []
    assert violations("calendar", "from ..requests import selectors", "gongkai.web.calendar") != []
    assert violations("requests", "from ..navigation import menu", "gongkai.web.requests") != []
    assert violations("reports", "from gongkai.web.requests import selectors", "gongkai.web.reports") == []
    assert violations("requests", "from ..services import errors", "gongkai.web.requests.views") == []
