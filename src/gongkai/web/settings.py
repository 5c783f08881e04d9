"""Django settings for the desk: everything from the environment, safe offline defaults.

`DATABASE_URL` switches to PostgreSQL; without it the desk keeps one SQLite file under
`$GONGKAI_DATA_DIR` (default ./var) so `gongkai serve` works on a fresh machine with no setup.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", "var")).resolve()

# The dev default is deliberately obvious; production sets GONGKAI_SECRET_KEY.
SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY", "gongkai-dev-insecure-secret-key-change-me")
DEBUG = os.environ.get("GONGKAI_DEBUG", "0").lower() in ("1", "true", "yes")
ALLOWED_HOSTS = [h for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "gongkai.web.core",
    "gongkai.web.agencies",
    "gongkai.web.calendar",
    "gongkai.web.requests",
    "gongkai.web.reports",
    "gongkai.web.portal",
    "gongkai.web.oversight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.web.core.versions.middleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.web.urls"
WSGI_APPLICATION = "gongkai.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],  # the site's navigation and error pages
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.web.navigation.navigation",
                "gongkai.web.calendar.context.warning",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several server processes share the file: readers never wait for the writer (WAL), writers
    # queue for the lock from the start of their transaction instead of failing halfway.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # PostgreSQL: parameters bound on the server, so a query run five times on a connection is
    # prepared and no longer planned per page (the list's plan cost more than running it).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"  # served from the package itself: no CDN
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"  # attachments and letter templates

LOGIN_URL = "/login/"
# Django's database sessions and model backend, kept per process until they change (core.sessions).
SESSION_ENGINE = "gongkai.web.core.sessions"
AUTHENTICATION_BACKENDS = ["gongkai.web.core.sessions.UserBackend"]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
