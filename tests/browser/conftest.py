"""Browser tests: Debian's Chromium, driven by Playwright, against a live desk server.

Chromium comes from the Debian package (scripts/setup installs it); Playwright never downloads a
browser. A missing Chromium fails these tests with a clear message instead of skipping them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, sync_playwright

from gongkai.web.agencies.models import Agency, AgencyKind, Level, Membership, Role
from gongkai.web.core import versions
from gongkai.web.core.models import Version

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PASSWORD = "browser-test-password"

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the fixtures
# around it are ordinary synchronous calls, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: the browser tests need Debian's chromium package "
            "(scripts/setup installs it when run as root: apt-get install chromium)",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


class Desk:
    """One street office with a user per working role, on a live server."""

    def __init__(self, url: str, browser: Browser) -> None:
        self.url = url
        self.browser = browser
        self.district = _agency("示例区人民政府", Level.COUNTY, AgencyKind.GOVERNMENT, None)
        self.street = _agency("东湖街道办事处", Level.TOWNSHIP, AgencyKind.TOWNSHIP, self.district)
        self.street.review_body, self.street.court = "示例区人民政府", "示例区人民法院"
        self.street.save(update_fields=("review_body", "court"))
        for role in (Role.REGISTER, Role.HANDLE, Role.APPROVE_ANSWER, Role.APPROVE_EXTENSION):
            user = User.objects.create_user(f"{role}_user", password=PASSWORD)
            Membership.objects.create(user=user, agency=self.street, role=role)

    def page(self) -> Page:
        """A fresh browser context (no cookies): an applicant, or someone about to log in."""
        context = self.browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    def login(self, role: str) -> Page:
        page = self.page()
        page.goto(f"{self.url}/login/")
        page.fill("#id_username", f"{role}_user")
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{self.url}/")
        return page


def _agency(name: str, level: str, kind: str, parent: Agency | None) -> Agency:
    agency = Agency.objects.create(name=name, code=name, level=level, kind=kind, parent=parent, path=name)
    agency.path = Agency.make_path(parent, agency.pk)
    agency.save(update_fields=("path",))
    return agency


@pytest.fixture
def desk(live_server: Any, browser: Browser) -> Iterator[Desk]:
    # A transactional test empties every table, the version stamps' rows too (the migrations made
    # them); without them no trigger can renew a stamp, and the server's caches would never expire.
    stamps = (versions.CALENDAR, versions.DIRECTORY, versions.SESSIONS)
    Version.objects.bulk_create([Version(name=name) for name in stamps], ignore_conflicts=True)
    desk = Desk(live_server.url, browser)
    yield desk
    for context in browser.contexts:
        context.close()
