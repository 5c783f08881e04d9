"""Django settings for the desk: everything from the environment, safe offline defaults.

`DATABASE_URL` switches to PostgreSQL; without it the desk keeps one SQLite file under the data
directory, with the uploaded files and letters: `$GONGKAI_DATA_DIR`, by default
`$XDG_DATA_HOME/gongkai` (`~/.local/share/gongkai`), wherever the command is run from
(`scripts/run` sets it to the checkout's `var/`). So `gongkai serve` works on a fresh machine with
no setup, and no command leaves a database in whatever directory it was started in.
A production deployment behind a TLS proxy sets the `GONGKAI_*` variables README lists
(secret key, hosts, `GONGKAI_HTTPS=1`, the proxy's header); `gongkai manage check --deploy`
then passes, and `gongkai serve` refuses a non-loopback address with the development key.
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


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The dev default is deliberately obvious, and `gongkai serve` refuses it off loopback.
DEV_SECRET_KEY = "django-insecure-gongkai-dev-secret-key-change-me"
SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY", DEV_SECRET_KEY)
DEBUG = _flag("GONGKAI_DEBUG")
ALLOWED_HOSTS = _list("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _list("GONGKAI_CSRF_TRUSTED_ORIGINS")

# Served over HTTPS (normally behind a proxy that ends TLS): Secure cookies, HSTS, redirect to https.
HTTPS = _flag("GONGKAI_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("GONGKAI_HSTS_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = _flag("GONGKAI_HSTS_PRELOAD", HTTPS)
# The proxy's header saying the client spoke HTTPS, as "Header-Name=value"; trust it only behind a
# proxy that always sets it (e.g. "X-Forwarded-Proto=https").
if _proxy := os.environ.get("GONGKAI_PROXY_SSL_HEADER", "").strip():
    _header, _, _value = _proxy.partition("=")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _header.strip().upper().replace("-", "_"), _value.strip())
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django.contrib.sitemaps",
    "gongkai.web.core",
    "gongkai.web.agencies",
    "gongkai.web.calendar",
    "gongkai.web.requests",
    "gongkai.web.proactive",
    "gongkai.web.reports",
    "gongkai.web.portal",
    "gongkai.web.oversight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.web.core.security.headers",
    "gongkai.web.core.versions.middleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "axes.middleware.AxesMiddleware",
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

# The public portal's rendered pages, per server process, under each agency's listing version
# (portal.cache): no shared cache server to run, and a withdrawal reaches every process at once.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Rendered PDF bands beside a corrected cell (oversight), by the source's SHA-256: on disk, so
    # every server process shares each band and a restart keeps them.
    "bands": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "bands"),
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    "portal": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

LOGIN_URL = "/login/"
# Django's database sessions and model backend, kept per process until they change (core.sessions);
# django-axes first, so a locked account or address is refused before any password is checked.
SESSION_ENGINE = "gongkai.web.core.sessions"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "gongkai.web.core.sessions.UserBackend"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("GONGKAI_SESSION_SECONDS", str(8 * 3600)))  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Pages load nothing from elsewhere and run no inline script or style (core.security.headers).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

# Logins: after AXES_FAILURE_LIMIT failures an account, and separately an address, is locked for
# AXES_COOLOFF_TIME hours; the counts are kept in the database, so every worker process shares them.
AXES_FAILURE_LIMIT = int(os.environ.get("GONGKAI_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("GONGKAI_LOGIN_LOCKOUT_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "gongkai.web.core.security.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "gongkai.web.core.security.client_address"
# How many proxies in front of the desk append to X-Forwarded-For (0: clients connect directly).
PROXY_COUNT = int(os.environ.get("GONGKAI_PROXY_COUNT", "0"))

# Errors and security events go to a rotating file (and the console); no request ever logs a body.
LOG_DIR = Path(os.environ.get("GONGKAI_LOG_DIR", str(DATA_DIR / "log"))).resolve()
LOGGING: dict[str, object] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
    "filters": {"codes": {"()": "gongkai.web.core.logfile.MaskTrackingCodes"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "level": "WARNING",
            "filters": ["codes"],
        },
        "file": {
            "filters": ["codes"],
            "class": "gongkai.web.core.logfile.RotatingFile",
            "filename": str(LOG_DIR / "gongkai.log"),
            "maxBytes": 10 * 1024 * 1024,
            "backupCount": 10,
            "encoding": "utf-8",
            "formatter": "plain",
            "level": "INFO",
        },
    },
    "loggers": {
        "django.request": {"handlers": ["console", "file"], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["console", "file"], "level": "WARNING", "propagate": False},
        "gongkai": {"handlers": ["console", "file"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["file"], "level": "WARNING", "propagate": False},
    },
}

# The daily reminder digest (`gongkai manage digest`) goes through Django's mail framework: printed
# to the console unless an SMTP server is configured.
EMAIL_BACKEND = os.environ.get("GONGKAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("GONGKAI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GONGKAI_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_EMAIL_FROM", "gongkai@localhost")
