"""Django settings for the desk: everything from the environment, safe offline defaults.

`DATABASE_URL` switches to PostgreSQL; without it the desk keeps one SQLite file under the data
directory, with the uploaded files and letters: `$GONGKAI_DATA_DIR`, by default
`$XDG_DATA_HOME/gongkai` (`~/.local/share/gongkai`), wherever the command is run from
(`scripts/run` sets it to the checkout's `var/`). So `gongkai serve` works on a fresh machine with
no setup, and no command leaves a database in whatever directory it was started in.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url


def _data_dir() -> Path:
    chosen = os.environ.get("GONGKAI_DATA_DIR", "").strip()
    if chosen:
        return Path(chosen).expanduser().resolve()
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "gongkai"


DATA_DIR = _data_dir()

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

# Registering a receipt date more days back than this asks the clerk to check it (a warning only).
GONGKAI_BACKDATE_WARN_DAYS = int(os.environ.get("GONGKAI_BACKDATE_WARN_DAYS", "3"))

LOGIN_URL = "/login/"
# Django's database sessions and model backend, kept per process until they change (core.sessions).
SESSION_ENGINE = "gongkai.web.core.sessions"
AUTHENTICATION_BACKENDS = ["gongkai.web.core.sessions.UserBackend"]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
