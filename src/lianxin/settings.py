"""Lianxin settings: one module, every value read from the environment with a strict parser.

The defaults give the embedded set-up (SQLite in WAL mode, database-backed task queue,
console notifications). Production sets DATABASE_URL, LIANXIN_SECRET_KEY, LIANXIN_REDIS_URL.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from lianxin.env import ConfigError, env_bool, env_choice, env_float, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(env_str("LIANXIN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("LIANXIN_DEBUG", False)
TESTING = env_bool("LIANXIN_TESTING", "pytest" in sys.modules)


def _secret_key() -> str:
    value = os.environ.get("LIANXIN_SECRET_KEY", "")
    if value:
        if len(value) < 32:
            raise ConfigError("LIANXIN_SECRET_KEY must be at least 32 characters")
        return value
    # Embedded set-up: a random key kept in the var directory, created once.
    key_file = VAR_DIR / "secret.key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Key for personal data encrypted at rest and for keyed hashes; derived from SECRET_KEY if unset.
FIELD_ENCRYPTION_KEY = env_str("LIANXIN_FIELD_KEY", SECRET_KEY)

ALLOWED_HOSTS = env_list("LIANXIN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("LIANXIN_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("LIANXIN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_q",
    "lianxin.accounts",
    "lianxin.organisation",
    "lianxin.workdays",
    "lianxin.audit",
    "lianxin.cases",
    "lianxin.suggestions",
    "lianxin.duty",
    "lianxin.events",
    "lianxin.consultations",
    "lianxin.voters",
    "lianxin.finder",
    "lianxin.cockpit",
    "lianxin.performance",
    "lianxin.notifications",
    "lianxin.web",
    "lianxin.api",
    "lianxin.demo",
    "lianxin.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lianxin.urls"
WSGI_APPLICATION = "lianxin.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lianxin.web.context.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lianxin.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("LIANXIN_DB_CONN_MAX_AGE", 60, minimum=0))
except ValueError as exc:  # pragma: no cover - configuration error
    raise ConfigError(f"DATABASE_URL is not a valid database URL: {exc}") from exc
# FULL: a commit is on disk before the citizen gets a tracking code (nothing acknowledged is lost,
# even on power failure). NORMAL is faster but may drop the last commits when the machine crashes.
SQLITE_SYNCHRONOUS = env_choice("LIANXIN_SQLITE_SYNCHRONOUS", "FULL", {"FULL", "NORMAL"})
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        # WAL lets readers run while one writer writes; IMMEDIATE takes the write lock at BEGIN
        # so concurrent writers queue on busy_timeout instead of failing with "database is locked".
        "init_command": (
            f"PRAGMA journal_mode=WAL; PRAGMA synchronous={SQLITE_SYNCHRONOUS}; PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    _db["CONN_MAX_AGE"] = 0 if TESTING else _db.get("CONN_MAX_AGE", 60)
elif _db["ENGINE"] != "django.db.backends.postgresql":
    raise ConfigError("DATABASE_URL must point to SQLite or PostgreSQL")
elif not env_bool("LIANXIN_PG_PREPARE", True):
    # The intake's INSERTs are prepared once per connection (lianxin/rows.py); a pooler that cannot keep
    # prepared statements (PgBouncer in transaction mode before 1.21) needs this off.
    _db.setdefault("OPTIONS", {})["prepare_threshold"] = None
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security (等保 2.0) ---------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "lianxin.accounts.validators.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("LIANXIN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LIANXIN_LOGIN_LOCK_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
AXES_ENABLED = env_bool("LIANXIN_AXES_ENABLED", True)
SESSION_COOKIE_AGE = env_int("LIANXIN_IDLE_LOGOUT_MINUTES", 15, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("LIANXIN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
API_TOKEN_DAYS = env_int("LIANXIN_API_TOKEN_DAYS", 30, minimum=1)

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns (an error in tests) when it is missing
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from the npm registry at set-up time (never committed, never a CDN).
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if path.exists()]
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("LIANXIN_MEDIA_ROOT", str(VAR_DIR / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("LIANXIN_MAX_REQUEST_MB", 60, minimum=1) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20
PHOTO_MAX_COUNT = env_int("LIANXIN_PHOTO_MAX_COUNT", 9, minimum=0, maximum=20)
PHOTO_MAX_BYTES = env_int("LIANXIN_PHOTO_MAX_MB", 10, minimum=1) * 1024 * 1024
PHOTO_MAX_PIXELS = env_int("LIANXIN_PHOTO_MAX_PIXELS", 40_000_000, minimum=1_000_000)
PHOTO_RESIZE_TO = env_int("LIANXIN_PHOTO_RESIZE_TO", 1600, minimum=320)
ATTACHMENT_MAX_BYTES = env_int("LIANXIN_ATTACHMENT_MAX_MB", 20, minimum=1) * 1024 * 1024

# --- Case loop limits (domain.md section 5); all are settings, none is a constant in code ----
# Intake keeps each station looked up by its QR code in the process for this long: a deactivated
# station stops taking cases within this time (0: no cache; tests use 0 as each test makes its stations).
STATION_CACHE_SECONDS = env_int("LIANXIN_STATION_CACHE_SECONDS", 0 if TESTING else 30, minimum=0, maximum=3600)
# Concurrent intakes of one process share one write transaction and one COMMIT (lianxin/groupcommit.py).
GROUP_COMMIT = env_bool("LIANXIN_GROUP_COMMIT", True)
CASE_ACK_HOURS = env_int("LIANXIN_ACK_HOURS", 24, minimum=1)
CASE_CLAIM_WORKDAYS = env_int("LIANXIN_CLAIM_WORKDAYS", 1, minimum=1)
CASE_HANDLE_WORKDAYS = {
    "consultation": env_int("LIANXIN_HANDLE_CONSULTATION_WORKDAYS", 3, minimum=1),
    "help": env_int("LIANXIN_HANDLE_HELP_WORKDAYS", 5, minimum=1),
    "complaint": env_int("LIANXIN_HANDLE_COMPLAINT_WORKDAYS", 15, minimum=1),
    "report": env_int("LIANXIN_HANDLE_REPORT_WORKDAYS", 15, minimum=1),
    "suggestion": env_int("LIANXIN_HANDLE_SUGGESTION_WORKDAYS", 15, minimum=1),
}
CASE_REHANDLE_WORKDAYS = env_int("LIANXIN_REHANDLE_WORKDAYS", 10, minimum=1)
CASE_RATING_WINDOW_DAYS = env_int("LIANXIN_RATING_WINDOW_DAYS", 7, minimum=1)
CASE_MAX_RETURNS = env_int("LIANXIN_MAX_RETURNS", 2, minimum=1)
CASE_MAX_EXTENSION_WORKDAYS = env_int("LIANXIN_MAX_EXTENSION_WORKDAYS", 15, minimum=1)
CASE_YELLOW_AT = env_float("LIANXIN_YELLOW_AT", 0.8, minimum=0.1, maximum=0.99)
CASE_PAGE_SIZE = env_int("LIANXIN_PAGE_SIZE", 25, minimum=5, maximum=200)

# --- Background tasks: django-q2, ORM broker by default, Redis for scale ---------------------
REDIS_URL = env_str("LIANXIN_REDIS_URL", "")
TASKS_SYNC = env_bool("LIANXIN_TASKS_SYNC", TESTING)
Q_CLUSTER = {
    "name": "lianxin",
    "workers": env_int("LIANXIN_TASK_WORKERS", 2, minimum=1),
    "timeout": env_int("LIANXIN_TASK_TIMEOUT_SECONDS", 120, minimum=1),
    "retry": env_int("LIANXIN_TASK_RETRY_SECONDS", 300, minimum=2),
    "max_attempts": 5,
    "catch_up": False,
    "sync": TASKS_SYNC,
    "save_limit": 1000,
    "label": _("后台任务"),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
Q_CLUSTER["retry"] = max(Q_CLUSTER["retry"], Q_CLUSTER["timeout"] + 1)

# --- Notifications ----------------------------------------------------------------------------
NOTIFY_CHANNELS = env_list("LIANXIN_NOTIFY_CHANNELS", ["console"])
NOTIFY_WEBHOOK_URL = env_str("LIANXIN_NOTIFY_WEBHOOK_URL", "")
NOTIFY_SMS_GATEWAY_URL = env_str("LIANXIN_SMS_GATEWAY_URL", "")
EMAIL_BACKEND = env_str("LIANXIN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("LIANXIN_FROM_EMAIL", "lianxin@localhost")

LOG_LEVEL = env_choice("LIANXIN_LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"lianxin": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}},
}

# The rule is per account (5 failures lock that account for 30 minutes). Locking by IP address
# would lock a whole government intranet behind one NAT address, so axes' IP warning is silenced.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# The baseline endpoint of `make bench-intake` (raw SQL insert on the same stack); off unless benchmarking.
BENCH_ENDPOINTS = env_bool("LIANXIN_BENCH_ENDPOINTS", False)

# --- Public map -------------------------------------------------------------------------------
# Tile server for the report page's map (e.g. an intranet tile mirror, "https://tiles.example/{z}/{x}/{y}.png").
# Blank: no tiles, the map shows only the grid polygons (works with no outside service).
MAP_TILE_URL = env_str("LIANXIN_MAP_TILE_URL", "")
