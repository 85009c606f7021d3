"""Lianxin settings: one module, every value read from the environment with a strict parser.

The defaults give the embedded set-up (SQLite in WAL mode, database-backed task queue,
console notifications). Production sets DATABASE_URL, LIANXIN_SECRET_KEY, LIANXIN_REDIS_URL.

This is the one place that lists every variable, its default, unit and meaning (the `doc=` of each
parser); docs/configuration.md is rendered from it (`make configuration`) and a test keeps the two
equal. Each app's `conf.py` reads its values from here through django.conf.settings.
"""

from __future__ import annotations

import ipaddress
import secrets
import sys
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from lianxin.env import (
    ConfigError,
    RowsOf,
    env_bool,
    env_choice,
    env_date_ranges,
    env_float,
    env_int,
    env_int_list,
    env_json,
    env_list,
    env_str,
    env_time,
    section,
)

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent
section("General")
VAR_DIR = Path(
    env_str(
        "LIANXIN_VAR_DIR",
        str(BASE_DIR / "var"),
        unit="directory",
        shown="`var/` in the checkout",
        doc="Where the SQLite database, the generated secret key, uploads and collected static files live.",
    )
)
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("LIANXIN_DEBUG", False, doc="Django's debug mode (error pages with tracebacks). Never in production.")
TESTING = env_bool(
    "LIANXIN_TESTING",
    "pytest" in sys.modules,
    shown="true under pytest",
    doc="Test mode: tasks run inline, no station cache.",
)


def _secret_key() -> tuple[str, bool]:
    """The key, and whether it came from the environment (the production server refuses one made here)."""
    value = env_str(
        "LIANXIN_SECRET_KEY",
        "",
        unit="text, ≥ 32 characters",
        shown="a random key kept in `var/secret.key`",
        doc="Django's secret key (sessions, signed links, tokens).",
    )
    if value:
        if len(value) < 32:
            raise ConfigError("LIANXIN_SECRET_KEY must be at least 32 characters")
        return value, True
    # Embedded set-up: a random key kept in the var directory, created once.
    key_file = VAR_DIR / "secret.key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip(), False


# The production server refuses a key generated into var/ (lianxin/ops/checks.py): it must come from the environment.
SECRET_KEY, SECRET_KEY_FROM_ENVIRONMENT = _secret_key()
# Key for personal data encrypted at rest; derived from SECRET_KEY if unset. The database keeps a check value
# of both keys (lianxin.maintenance): a process configured with another key refuses to start.
FIELD_ENCRYPTION_KEY = env_str(
    "LIANXIN_FIELD_KEY",
    SECRET_KEY,
    shown="the secret key",
    doc="Key for personal data encrypted at rest (contact names, phones, addresses). Keep it outside "
    "`LIANXIN_VAR_DIR` (docs/backup.md): a copy of the data without it cannot be read.",
)
# Key of keyed hashes (phone lookups) and signed private links; the field key unless set. After
# `manage.py rotate_field_key` it keeps the old value, so links already sent to citizens keep working.
FIELD_HASH_KEY = env_str(
    "LIANXIN_FIELD_HASH_KEY",
    FIELD_ENCRYPTION_KEY,
    shown="`LIANXIN_FIELD_KEY`",
    doc="Key for keyed hashes of phone numbers and for signed private links (follow-up, sign-up). Set it to "
    "the old field key after rotating the field key (docs/backup.md).",
)
# Read only by `manage.py rotate_field_key` (or --new-key-file); empty the rest of the time.
NEW_FIELD_KEY = env_str(
    "LIANXIN_NEW_FIELD_KEY",
    "",
    shown="blank",
    doc="Only while running `manage.py rotate_field_key`: the new field key to re-encrypt personal data with "
    "(or give --new-key-file). Unset it afterwards and set LIANXIN_FIELD_KEY to it (docs/backup.md).",
)

ALLOWED_HOSTS = env_list(
    "LIANXIN_ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "testserver"],
    doc="Host names this site answers to (Django's ALLOWED_HOSTS).",
)
CSRF_TRUSTED_ORIGINS = env_list(
    "LIANXIN_CSRF_TRUSTED_ORIGINS",
    [],
    doc="Origins trusted for form posts behind a proxy, e.g. https://lianxin.example.",
)
SITE_URL = env_str(
    "LIANXIN_SITE_URL",
    "http://127.0.0.1:8000",
    unit="URL",
    shown="`http://127.0.0.1:8000` (`make demo`/`make run`: `http://127.0.0.1:$PORT`)",
    doc="The public address, printed in QR codes and posters and used in calendar feeds and links sent to "
    "citizens. Required in production: with debug off, `manage.py check --deploy` fails (lianxin.E005) "
    "while it is unset or a loopback address.",
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_q",
    "lianxin.accounts",
    "lianxin.organisation",
    "lianxin.workdays",
    "lianxin.throttle",
    "lianxin.audit",
    "lianxin.cases",
    "lianxin.people",
    "lianxin.suggestions",
    "lianxin.triage",
    "lianxin.duty",
    "lianxin.events",
    "lianxin.consultations",
    "lianxin.voters",
    "lianxin.topics",
    "lianxin.finder",
    "lianxin.cockpit",
    "lianxin.points",
    "lianxin.appraisal",
    # migrations only: its tables now belong to points and appraisal (0004_split); drop after one release
    "lianxin.performance",
    "lianxin.notifications",
    "lianxin.web",
    "lianxin.api",
    "lianxin.demo",
    "lianxin.bench",
    "lianxin.ops",
    "lianxin.maintenance",
]

MIDDLEWARE = [
    # first: every answer is counted by method and status, static files and redirects too (lianxin/ops/metrics.py)
    "lianxin.ops.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # below WhiteNoise: static files keep their long cache; everything else is no-store (lianxin/web/headers.py)
    "lianxin.web.headers.PrivacyHeadersMiddleware",
    "lianxin.web.headers.ContentSecurityPolicyMiddleware",  # django-csp's, built once per process
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lianxin.uploads.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Django's, building the message storage only when a request adds or reads a message (web/messages.py)
    "lianxin.web.messages.LazyMessageMiddleware",
    # NUL and other control characters in any parameter or JSON string: 422 naming the field (inputguard.py).
    "lianxin.inputguard.UnstorableInputMiddleware",
    # second factor, first-login / reset / expired password: redirect until done (lianxin/accounts/middleware.py)
    "lianxin.accounts.middleware.AccountGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "lianxin.throttle.middleware.RetryAfterMiddleware",
    # A NotFound a view lets through is a 404, any other DomainError a page with its message (web/errors.py).
    "lianxin.web.errors.DomainErrorMiddleware",
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
                "lianxin.web.context.retention",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
section("Database")
DATABASE_URL = env_str(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'lianxin.sqlite3'}",
    unit="URL",
    shown="`sqlite:///var/lianxin.sqlite3`",
    doc="The database: SQLite (embedded set-up) or postgres://user:password@host:port/name.",
)
_conn_max_age = env_int(
    "LIANXIN_DB_CONN_MAX_AGE", 60, minimum=0, unit="seconds", doc="How long a database connection is kept open."
)
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=_conn_max_age)
except ValueError as exc:  # pragma: no cover - configuration error
    raise ConfigError(f"DATABASE_URL is not a valid database URL: {exc}") from exc
# FULL: a commit is on disk before the citizen gets a tracking code (nothing acknowledged is lost,
# even on power failure). NORMAL is faster but may drop the last commits when the machine crashes.
SQLITE_SYNCHRONOUS = env_choice(
    "LIANXIN_SQLITE_SYNCHRONOUS",
    "FULL",
    {"FULL", "NORMAL"},
    doc="SQLite only. FULL: a commit is on disk before the citizen gets a tracking code; "
    "NORMAL is faster but may drop the last commits when the machine crashes.",
)
# The intake's INSERTs are prepared once per connection (lianxin/rows.py); a pooler that cannot keep
# prepared statements (PgBouncer in transaction mode before 1.21) needs this off.
PG_PREPARE = env_bool(
    "LIANXIN_PG_PREPARE",
    True,
    doc="PostgreSQL only. Prepared statements for the intake; off behind PgBouncer in transaction mode before 1.21.",
)
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
elif not PG_PREPARE:
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
section("Accounts and security (lianxin.accounts, django-axes)")
AXES_FAILURE_LIMIT = env_int(
    "LIANXIN_LOGIN_FAILURE_LIMIT", 5, minimum=1, unit="attempts", doc="Failed logins that lock an account."
)
AXES_COOLOFF_TIME = (
    env_int("LIANXIN_LOGIN_LOCK_MINUTES", 30, minimum=1, unit="minutes", doc="How long a locked account stays locked.")
    / 60
)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
AXES_ENABLED = env_bool("LIANXIN_AXES_ENABLED", True, doc="Lock accounts after failed logins (django-axes).")
SESSION_COOKIE_AGE = (
    env_int(
        "LIANXIN_IDLE_LOGOUT_MINUTES", 15, minimum=1, unit="minutes", doc="Idle time after which a user is logged out."
    )
    * 60
)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
API_TOKEN_DAYS = env_int("LIANXIN_API_TOKEN_DAYS", 30, minimum=1, unit="days", doc="Absolute lifetime of an API token.")
API_TOKEN_IDLE_HOURS = env_int(
    "LIANXIN_API_TOKEN_IDLE_HOURS", 72, minimum=1, unit="hours", doc="An API token unused for this long stops working."
)
PASSWORD_MAX_AGE_DAYS = env_int(
    "LIANXIN_PASSWORD_MAX_AGE_DAYS",
    0,
    minimum=0,
    unit="days",
    doc="A password older than this must be changed before anything else; 0: passwords do not expire.",
)
_ROLE_CODES = {"office", "station", "deputy", "unit", "leader", "auditor"}
OTP_REQUIRED_ROLES = env_list(
    "LIANXIN_OTP_REQUIRED_ROLES",
    [],
    doc="Roles whose members must use a second factor (TOTP) — office, station, deputy, unit, leader, auditor — "
    "until the office sets the policy on its screen (/work/security/otp/), which then wins. An account that "
    "enrolled always uses it.",
)
if set(OTP_REQUIRED_ROLES) - _ROLE_CODES:
    raise ConfigError(f"LIANXIN_OTP_REQUIRED_ROLES must name roles from {sorted(_ROLE_CODES)}")
ACCOUNT_ACTIVATION_DAYS = env_int(
    "LIANXIN_ACCOUNT_ACTIVATION_DAYS",
    7,
    minimum=1,
    maximum=90,
    unit="days",
    doc="How long the one-time activation link of a new or reset account stays valid (a newer link or its use "
    "ends it sooner).",
)
OTP_TOTP_ISSUER = env_str("LIANXIN_OTP_ISSUER", "Lianxin", doc="Name the authenticator app shows for the account.")
OTP_RECOVERY_CODES = 10
AUDIT_RETENTION_DAYS = env_int(
    "LIANXIN_AUDIT_RETENTION_DAYS",
    183,
    minimum=180,
    unit="days",
    doc="Audit entries are kept at least this long (等保: six months or more); older ones are purged daily, "
    "leaving a checkpoint so the rest of the hash chain still verifies.",
)

section("HTTPS and response headers (lianxin.web)")
# Usually behind a proxy that sets X-Forwarded-Proto and strips it from clients.
HTTPS = env_bool(
    "LIANXIN_HTTPS", False, doc="The site is served over HTTPS: redirect HTTP, send HSTS, mark cookies Secure."
)
SESSION_COOKIE_SECURE = env_bool(
    "LIANXIN_SECURE_COOKIES",
    HTTPS,
    shown="same as LIANXIN_HTTPS",
    doc="Send session and CSRF cookies over HTTPS only.",
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
_hsts_seconds = env_int(
    "LIANXIN_HSTS_SECONDS", 31_536_000, minimum=0, unit="seconds", doc="HSTS max-age (with LIANXIN_HTTPS)."
)
_hsts_subdomains = env_bool("LIANXIN_HSTS_SUBDOMAINS", True, doc="HSTS includeSubDomains (with LIANXIN_HTTPS).")
_hsts_preload = env_bool("LIANXIN_HSTS_PRELOAD", True, doc="HSTS preload (with LIANXIN_HTTPS).")
if HTTPS:
    SECURE_SSL_REDIRECT = True
    # the load balancer's probes and Prometheus speak plain HTTP to the server itself
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = _hsts_seconds
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _hsts_subdomains
    SECURE_HSTS_PRELOAD = _hsts_preload
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Features no page uses are switched off; the report page may ask for the citizen's location.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), interest-cohort=(), browsing-topics=()"
)

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
# Date formats per language (lianxin/formats/<language>/formats.py): "2026年12月23日" / "23 Dec 2026".
FORMAT_MODULE_PATH = ["lianxin.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns (an error in tests) when it is missing
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from the npm registry at set-up time (never committed, never a CDN). Only the files the
# pages use are served and collected (lianxin/web/finders.py: the rest of node_modules is 60 MB, minutes of
# brotli at every collectstatic).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "lianxin.web.finders.VendorFinder",
]
WHITENOISE_USE_FINDERS = True
STATIC_MANIFEST = env_bool(
    "LIANXIN_STATIC_MANIFEST",
    False,
    shown="false (`make serve` and the deploy/ units set true)",
    doc="Static files are served as collected by `collectstatic`: hashed names cached for a year, gzip and brotli "
    "copies. Needs `manage.py collectstatic` after every install or upgrade (make serve / make upgrade run it).",
)
_static_storage = {
    "BACKEND": "lianxin.web.storage.CompressedManifestStorage"
    if STATIC_MANIFEST
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
}  # STORAGES (with the media storage) below
MEDIA_URL = "/media/"
section("Files and uploads (lianxin.cases)")
MEDIA_ROOT = Path(
    env_str(
        "LIANXIN_MEDIA_ROOT",
        str(VAR_DIR / "media"),
        unit="directory",
        shown="`media/` in `LIANXIN_VAR_DIR`",
        doc="Where uploaded photos and attachments are stored (with `LIANXIN_MEDIA_STORAGE=filesystem`; on several "
        "web nodes a directory they all mount, e.g. NFS).",
    )
)
# Every uploaded or generated file (case photos and attachments, suggestion answers, deputies' photos, the
# cockpit's monthly reports) goes through Django's default storage, never a path on disk, so the same code
# runs on a local directory or an object store shared by several web nodes (tests/uploads/test_storage.py).
MEDIA_STORAGE = env_choice(
    "LIANXIN_MEDIA_STORAGE",
    "filesystem",
    {"filesystem", "s3"},
    doc="Where uploaded files are kept: `filesystem` (LIANXIN_MEDIA_ROOT) or `s3`, any S3-compatible object store "
    "(MinIO, Ceph RGW, Aliyun OSS, Tencent COS, …) through django-storages (the optional `s3` dependencies).",
)
S3_BUCKET = env_str("LIANXIN_S3_BUCKET", "", doc="S3 only. The bucket (private: files are streamed by the site).")
S3_ENDPOINT_URL = env_str(
    "LIANXIN_S3_ENDPOINT_URL", "", unit="URL", doc="S3 only. The object store, e.g. http://minio.intranet:9000."
)
S3_REGION = env_str("LIANXIN_S3_REGION", "", doc="S3 only. The region name, if the store wants one.")
S3_ACCESS_KEY_ID = env_str("LIANXIN_S3_ACCESS_KEY_ID", "", doc="S3 only. Access key id (blank: boto3's own lookup).")
S3_SECRET_ACCESS_KEY = env_str("LIANXIN_S3_SECRET_ACCESS_KEY", "", doc="S3 only. Secret access key.")
S3_PREFIX = env_str("LIANXIN_S3_PREFIX", "media", doc="S3 only. Key prefix of every file in the bucket.")
S3_ADDRESSING_STYLE = env_choice(
    "LIANXIN_S3_ADDRESSING_STYLE",
    "path",
    {"path", "virtual"},
    doc="S3 only. `path` (http://host/bucket/key: MinIO, Ceph) or `virtual` (http://bucket.host/key: OSS, COS).",
)
if MEDIA_STORAGE == "s3":
    if find_spec("storages") is None or find_spec("boto3") is None:
        raise ConfigError("LIANXIN_MEDIA_STORAGE=s3 needs django-storages and boto3: pip install -e '.[s3]'")
    if not S3_BUCKET:
        raise ConfigError("LIANXIN_MEDIA_STORAGE=s3 needs LIANXIN_S3_BUCKET")
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": S3_ENDPOINT_URL or None,
            "region_name": S3_REGION or None,
            "access_key": S3_ACCESS_KEY_ID or None,
            "secret_key": S3_SECRET_ACCESS_KEY or None,
            "location": S3_PREFIX.strip("/"),
            "addressing_style": S3_ADDRESSING_STYLE,
            "signature_version": "s3v4",
            "default_acl": "private",
            # as the filesystem: a name already taken gets a suffix instead of replacing another case's file
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    # No OPTIONS: the storage reads MEDIA_ROOT when first used (and again when a test changes it).
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {"default": _media_storage, "staticfiles": _static_storage}
# Uploads (lianxin/uploads.py): a body over REQUEST_MAX_BYTES is refused with 413 from its Content-Length,
# before a byte is read; each file is counted while it streams and the parse stops at UPLOAD_MAX_FILE_BYTES.
REQUEST_MAX_BYTES = (
    env_int(
        "LIANXIN_MAX_REQUEST_MB",
        60,
        minimum=1,
        unit="MB",
        doc="Largest request body (all files of one form); a larger one is refused with 413 before it is read.",
    )
    * 1024
    * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "lianxin.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FILES = 20
PHOTO_MAX_COUNT = env_int(
    "LIANXIN_PHOTO_MAX_COUNT", 9, minimum=0, maximum=20, unit="photos", doc="Photos a citizen may attach to a case."
)
PHOTO_MAX_BYTES = env_int("LIANXIN_PHOTO_MAX_MB", 10, minimum=1, unit="MB", doc="Largest photo file.") * 1024 * 1024
PHOTO_MAX_PIXELS = env_int(
    "LIANXIN_PHOTO_MAX_PIXELS", 40_000_000, minimum=1_000_000, unit="pixels", doc="Largest photo (width × height)."
)
PHOTO_DECODE_MAX_PIXELS = env_int(
    "LIANXIN_PHOTO_DECODE_MAX_PIXELS",
    16_000_000,
    minimum=1_000_000,
    unit="pixels",
    doc="Most pixels decoded for one photo (JPEG is decoded reduced first; what is still larger is refused).",
)
PHOTO_RESIZE_TO = env_int(
    "LIANXIN_PHOTO_RESIZE_TO",
    1600,
    minimum=320,
    unit="pixels",
    doc="Photos are stored scaled down to this longest side.",
)
ATTACHMENT_MAX_BYTES = (
    env_int("LIANXIN_ATTACHMENT_MAX_MB", 20, minimum=1, unit="MB", doc="Largest attachment (staff documents).")
    * 1024
    * 1024
)
UPLOAD_MAX_FILE_BYTES = (
    env_int(
        "LIANXIN_MAX_FILE_MB",
        max(PHOTO_MAX_BYTES, ATTACHMENT_MAX_BYTES) // (1024 * 1024),
        minimum=1,
        unit="MB",
        shown="the larger of `LIANXIN_PHOTO_MAX_MB` and `LIANXIN_ATTACHMENT_MAX_MB`",
        doc="Largest single uploaded file; the upload stops there with 413.",
    )
    * 1024
    * 1024
)
if not max(PHOTO_MAX_BYTES, ATTACHMENT_MAX_BYTES) <= UPLOAD_MAX_FILE_BYTES <= REQUEST_MAX_BYTES:
    raise ConfigError(
        "LIANXIN_MAX_FILE_MB must be at least LIANXIN_PHOTO_MAX_MB and LIANXIN_ATTACHMENT_MAX_MB, "
        "and at most LIANXIN_MAX_REQUEST_MB"
    )

# --- Case loop limits (domain.md section 5); all are settings, none is a constant in code ----
# Intake keeps each station looked up by its QR code in the process for this long: a deactivated
# station stops taking cases within this time (0: no cache; tests use 0 as each test makes its stations).
section("Cases (lianxin.cases)")
STATION_CACHE_SECONDS = env_int(
    "LIANXIN_STATION_CACHE_SECONDS",
    0 if TESTING else 30,
    minimum=0,
    maximum=3600,
    unit="seconds",
    shown="30 (0 under tests)",
    doc="Intake keeps each station looked up by its QR code this long; a deactivated station stops taking "
    "cases within this time (0: no cache).",
)
# Concurrent intakes of one process share one write transaction and one COMMIT (lianxin/groupcommit.py).
GROUP_COMMIT = env_bool(
    "LIANXIN_GROUP_COMMIT", True, doc="Concurrent intakes of one process share one write transaction and one COMMIT."
)
CASE_ACK_HOURS = env_int(
    "LIANXIN_ACK_HOURS", 24, minimum=1, unit="hours", doc="A new case is acknowledged within this many clock hours."
)
CASE_CLAIM_WORKDAYS = env_int(
    "LIANXIN_CLAIM_WORKDAYS", 1, minimum=1, unit="working days", doc="A dispatched case is claimed within."
)
_handle = "A {} case is handled within this many working days from dispatch."
CASE_HANDLE_WORKDAYS = {
    "consultation": env_int(
        "LIANXIN_HANDLE_CONSULTATION_WORKDAYS", 3, minimum=1, unit="working days", doc=_handle.format("consultation")
    ),
    "help": env_int("LIANXIN_HANDLE_HELP_WORKDAYS", 5, minimum=1, unit="working days", doc=_handle.format("help")),
    "complaint": env_int(
        "LIANXIN_HANDLE_COMPLAINT_WORKDAYS", 15, minimum=1, unit="working days", doc=_handle.format("complaint")
    ),
    "report": env_int(
        "LIANXIN_HANDLE_REPORT_WORKDAYS", 15, minimum=1, unit="working days", doc=_handle.format("report")
    ),
    "suggestion": env_int(
        "LIANXIN_HANDLE_SUGGESTION_WORKDAYS", 15, minimum=1, unit="working days", doc=_handle.format("suggestion")
    ),
}
CASE_REHANDLE_WORKDAYS = env_int(
    "LIANXIN_REHANDLE_WORKDAYS",
    10,
    minimum=1,
    unit="working days",
    doc="Re-handling after the citizen's 不满意 is done within.",
)
CASE_RATING_WINDOW_DAYS = env_int(
    "LIANXIN_RATING_WINDOW_DAYS",
    7,
    minimum=1,
    unit="days",
    doc="The citizen rates within; then the case closes unrated.",
)
CASE_MAX_RETURNS = env_int(
    "LIANXIN_MAX_RETURNS",
    2,
    minimum=1,
    unit="returns",
    doc="Returns by handling units before a case needs arbitration.",
)
CASE_MAX_EXTENSION_WORKDAYS = env_int(
    "LIANXIN_MAX_EXTENSION_WORKDAYS", 15, minimum=1, unit="working days", doc="Longest extension a unit may ask for."
)
CASE_YELLOW_AT = env_float(
    "LIANXIN_YELLOW_AT",
    0.8,
    minimum=0.1,
    maximum=0.99,
    unit="share of the limit",
    doc="The light turns yellow when this share of a time limit has passed.",
)
CASE_PAGE_SIZE = env_int("LIANXIN_PAGE_SIZE", 25, minimum=5, maximum=200, unit="rows", doc="Cases per page of a queue.")

CASE_CONTACT_RETENTION_DAYS = env_int(
    "LIANXIN_CASE_CONTACT_RETENTION_DAYS",
    365,
    minimum=1,
    unit="days",
    doc="A case's contact name and phone are erased this long after the case is finished (PIPL; quoted by the "
    "privacy notices).",
)

UNIT_CONTACT_REVEAL = env_bool(
    "LIANXIN_UNIT_CONTACT_REVEAL",
    True,
    doc="Let the handling unit that currently holds a case see the citizen's full name and phone to call them "
    "back, with a stated reason; every reveal is audited. Off: only the office, stations and deputies may.",
)

# --- Background tasks: django-q2, ORM broker by default, Redis for scale ---------------------
section("Background tasks (django-q2)")
REDIS_URL = env_str(
    "LIANXIN_REDIS_URL",
    "",
    unit="URL",
    doc="Redis for the task queue (redis://host:6379/0); blank: the database-backed queue.",
)
TASKS_SYNC = env_bool(
    "LIANXIN_TASKS_SYNC", TESTING, shown="false (true under tests)", doc="Run tasks inline instead of in workers."
)
Q_CLUSTER = {
    "name": "lianxin",
    "workers": env_int("LIANXIN_TASK_WORKERS", 2, minimum=1, unit="processes", doc="Worker processes of `qcluster`."),
    "timeout": env_int(
        "LIANXIN_TASK_TIMEOUT_SECONDS", 120, minimum=1, unit="seconds", doc="A task running longer is stopped."
    ),
    "retry": env_int(
        "LIANXIN_TASK_RETRY_SECONDS",
        300,
        minimum=2,
        unit="seconds",
        doc="An unfinished task is retried after this long (at least the timeout + 1).",
    ),
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

# --- Shared cache: rate-limit counters, duplicate intakes, used challenges ----------------------
section("Abuse control and the shared cache (lianxin.throttle)")
# Every worker process and every node must count together: the database cache by default (its table is
# made by the throttle app's migration), Redis when LIANXIN_REDIS_URL is set; never a per-process cache.
CACHE_TABLE = "lianxin_cache"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lianxin",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "lianxin.throttle.cache.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Django's set() culls past this many rows; counters use add/incr, which never cull live rows.
            "OPTIONS": {
                "MAX_ENTRIES": env_int(
                    "LIANXIN_CACHE_MAX_ENTRIES",
                    200_000,
                    minimum=1000,
                    doc="Rows of the database cache before Django's set() culls (counters never are).",
                )
            },
        }
    }

# --- Abuse control on the anonymous endpoints (docs/configuration.md, "Abuse control") -------------
THROTTLE_ENABLED = env_bool(
    "LIANXIN_THROTTLE_ENABLED", True, doc="Rate limits on the anonymous endpoints (the intake bench turns them off)."
)
# The client address is REMOTE_ADDR; only when REMOTE_ADDR is one of these proxies is the last
# X-Forwarded-For address that is not a trusted proxy taken instead.
TRUSTED_PROXIES = env_list(
    "LIANXIN_TRUSTED_PROXIES", [], doc="Proxy addresses whose X-Forwarded-For gives the client address."
)


def _limit(name: str, count: int, seconds: int) -> tuple[int, int]:
    """LIANXIN_LIMIT_<name> requests per LIANXIN_LIMIT_<name>_SECONDS (fixed windows); 0 turns it off."""
    return (
        env_int(
            f"LIANXIN_LIMIT_{name}", count, minimum=0, doc=f"Requests allowed per window: {name.lower()} (0: off)."
        ),
        env_int(
            f"LIANXIN_LIMIT_{name}_SECONDS",
            seconds,
            minimum=1,
            maximum=7 * 86400,
            unit="seconds",
            doc=f"Window of the {name.lower()} limit.",
        ),
    )


HOUR, DAY = 3600, 86400
# Per scope: "address" (generous: a whole intranet or mobile carrier may share one), "address_soft" (past it
# a proof-of-work challenge is asked for), "phone", "target" (station, event, consultation, report) and
# "code" (tracking or sign-up code), each (count, window seconds).
THROTTLE_LIMITS = {
    "intake": {
        "address": _limit("INTAKE_PER_ADDRESS", 200, HOUR),
        "address_soft": _limit("INTAKE_PER_ADDRESS_SOFT", 20, HOUR),
        "phone": _limit("INTAKE_PER_PHONE", 5, HOUR),
        "phone_day": _limit("INTAKE_PER_PHONE_DAY", 20, DAY),
        "target": _limit("INTAKE_PER_STATION", 100, HOUR),
    },
    "track": {
        "address": _limit("TRACK_PER_ADDRESS", 600, HOUR),
        "address_soft": _limit("TRACK_PER_ADDRESS_SOFT", 200, HOUR),
        "code": _limit("TRACK_PER_CODE", 60, HOUR),
    },
    "rate": {"address": _limit("RATE_PER_ADDRESS", 60, HOUR), "code": _limit("RATE_PER_CODE", 10, HOUR)},
    # The report page's "是否与以下问题相同？" fragment and the "me too" (附议) it offers.
    "similar": {"address": _limit("SIMILAR_PER_ADDRESS", 600, HOUR)},
    "support": {"address": _limit("SUPPORT_PER_ADDRESS", 60, HOUR), "phone": _limit("SUPPORT_PER_PHONE", 10, HOUR)},
    "signup": {
        "address": _limit("SIGNUP_PER_ADDRESS", 100, HOUR),
        "address_soft": _limit("SIGNUP_PER_ADDRESS_SOFT", 20, HOUR),
        "phone": _limit("SIGNUP_PER_PHONE", 5, HOUR),
        "target": _limit("SIGNUP_PER_EVENT", 300, HOUR),
    },
    "signup_view": {
        "address": _limit("SIGNUP_VIEW_PER_ADDRESS", 600, HOUR),
        "code": _limit("SIGNUP_PER_CODE", 60, HOUR),
    },
    "comment": {
        "address": _limit("COMMENT_PER_ADDRESS", 100, HOUR),
        "address_soft": _limit("COMMENT_PER_ADDRESS_SOFT", 20, HOUR),
        "phone": _limit("COMMENT_PER_PHONE", 10, HOUR),
        "target": _limit("COMMENT_PER_CONSULTATION", 500, HOUR),
    },
    "voter_rate": {
        "address": _limit("VOTER_RATE_PER_ADDRESS", 60, HOUR),
        "phone": _limit("VOTER_RATE_PER_PHONE", 5, HOUR),
        "target": _limit("VOTER_RATE_PER_REPORT", 500, HOUR),
    },
    "lookup": {"address": _limit("LOOKUP_PER_ADDRESS", 1200, HOUR)},
    # Category suggestions while a citizen types on the report page (POST /api/v1/triage).
    "triage": {"address": _limit("TRIAGE_PER_ADDRESS", 600, HOUR)},
    # Recovering a lost follow-up link: asking for an SMS code and entering it (cases/recovery.py).
    "recover": {
        "address": _limit("RECOVER_PER_ADDRESS", 30, HOUR),
        "code": _limit("RECOVER_PER_CODE", 10, HOUR),
        "phone": _limit("RECOVER_PER_PHONE", 10, HOUR),
    },
    # Opening and using an account's activation link (the password is hashed on every try).
    "activation": {"address": _limit("ACTIVATION_PER_ADDRESS", 60, HOUR)},
}
# SMS to one number, whatever sends it (notifications/caps.py): per hour and per day.
SMS_PER_PHONE_HOUR = env_int("LIANXIN_SMS_PER_PHONE_HOUR", 5, minimum=0, doc="SMS to one number per hour (0: no cap).")
SMS_PER_PHONE_DAY = env_int("LIANXIN_SMS_PER_PHONE_DAY", 10, minimum=0, doc="SMS to one number per day (0: no cap).")
# The same text from the same source (phone, else address) to the same station within this many seconds
# returns the case already stored (0: off).
INTAKE_DUPLICATE_SECONDS = env_int(
    "LIANXIN_INTAKE_DUPLICATE_SECONDS",
    600,
    minimum=0,
    maximum=DAY,
    unit="seconds",
    doc="The same text from the same source within this time is the same case (0: off).",
)
FOLLOW_UP_CODE_MINUTES = env_int(
    "LIANXIN_FOLLOW_UP_CODE_MINUTES",
    10,
    minimum=1,
    maximum=1440,
    unit="minutes",
    doc="How long an SMS code for recovering a lost follow-up link stays valid.",
)
FOLLOW_UP_CODE_ATTEMPTS = env_int(
    "LIANXIN_FOLLOW_UP_CODE_ATTEMPTS",
    5,
    minimum=1,
    maximum=100,
    unit="attempts",
    doc="Wrong entries before a link-recovery SMS code is void.",
)
# ALTCHA proof-of-work asked past a soft limit: PBKDF2 iterations per try, and how long a challenge lasts.
CHALLENGE_COST = env_int(
    "LIANXIN_CHALLENGE_COST", 5000, minimum=1, maximum=1_000_000, doc="PBKDF2 iterations per try of the challenge."
)
CHALLENGE_SECONDS = env_int(
    "LIANXIN_CHALLENGE_SECONDS", 600, minimum=30, unit="seconds", doc="How long a challenge can be solved."
)
# Web forms: a hidden honeypot field must stay empty, and a form sent back faster than this many seconds
# after it was drawn is refused (its drawing time is signed). 0 turns the time trap off.
FORM_MIN_SECONDS = env_int(
    "LIANXIN_FORM_MIN_SECONDS",
    0 if TESTING else 3,
    minimum=0,
    maximum=600,
    unit="seconds",
    shown="3 (0 in tests)",
    doc="A public web form sent back faster than this after it was drawn is refused (0: off).",
)

# --- Notifications ----------------------------------------------------------------------------
section("Notifications (lianxin.notifications)")
NOTIFY_CHANNELS = env_list(
    "LIANXIN_NOTIFY_CHANNELS", ["console"], doc="Delivery channels: console, sms, webhook, email (several allowed)."
)
NOTIFY_WEBHOOK_URL = env_str(
    "LIANXIN_NOTIFY_WEBHOOK_URL", "", unit="URL", doc="Where the webhook channel posts each notification."
)
NOTIFY_SMS_GATEWAY_URL = env_str(
    "LIANXIN_SMS_GATEWAY_URL", "", unit="URL", doc="The SMS gateway the sms channel posts to."
)
EMAIL_BACKEND = env_str(
    "LIANXIN_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend",
    unit="Python path",
    doc="Django e-mail backend of the email channel.",
)
DEFAULT_FROM_EMAIL = env_str(
    "LIANXIN_FROM_EMAIL", "lianxin@localhost", unit="e-mail address", doc="Sender of e-mail notifications."
)

section("Operations")
LOG_LEVEL = env_choice(
    "LIANXIN_LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"}, doc="Level of the `lianxin` loggers."
)
LOG_JSON = env_bool(
    "LIANXIN_LOG_JSON",
    False,
    doc="Logs as one JSON object per line (time, level, logger, message; gunicorn's access log too), for a log "
    "collector. Tokens are redacted and control characters escaped either way.",
)
WEB_HOST = env_str(
    "LIANXIN_WEB_HOST",
    "127.0.0.1",
    unit="address",
    doc="Address gunicorn listens on (`make serve`, deploy/lianxin-web.service); the port is `PORT`. "
    "Behind nginx keep 127.0.0.1; 0.0.0.0 in a container.",
)
WEB_PORT = env_int("PORT", 8000, minimum=1, maximum=65535, doc="Port gunicorn listens on.")
# Measured in docs/benchmarks.md (bench/intake.py's default): gthread, 2 processes × 16 threads on two cores.
WEB_WORKERS = env_int(
    "LIANXIN_WEB_WORKERS", 2, minimum=1, unit="processes", doc="gunicorn worker processes (about one per core)."
)
WEB_THREADS = env_int(
    "LIANXIN_WEB_THREADS",
    16,
    minimum=1,
    unit="threads",
    doc="Threads per gunicorn worker: one per expected concurrent connection (they form the intake batches).",
)
METRICS_ALLOWED = env_list(
    "LIANXIN_METRICS_ALLOWED",
    ["127.0.0.1", "::1"],
    doc="Client addresses or networks (10.0.0.0/8) that may read `/metrics`; anyone else gets a 404. The client "
    "address is the one the rate limits use (see LIANXIN_TRUSTED_PROXIES).",
)
for _network in METRICS_ALLOWED:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as exc:
        raise ConfigError(f"LIANXIN_METRICS_ALLOWED must list addresses or networks, got {_network!r}") from exc
METRICS_MULTIPROC_DIR = env_str(
    "PROMETHEUS_MULTIPROC_DIR",
    "",
    unit="directory",
    doc="prometheus-client's multi-process mode: each gunicorn worker writes its counters here and `/metrics` "
    "adds them up. Set (and emptied at start) by `make serve` and deploy/lianxin-web.service; unset: the "
    "counters of the answering process only.",
)
READY_QUEUE_LAG_SECONDS = env_int(
    "LIANXIN_READY_QUEUE_LAG_SECONDS",
    300,
    minimum=1,
    unit="seconds",
    doc="`/readyz` answers 503 when the oldest queued task has waited longer (no worker is taking tasks).",
)
READY_DISK_FREE_MB = env_int(
    "LIANXIN_READY_DISK_FREE_MB",
    500,
    minimum=0,
    unit="MB",
    doc="`/readyz` answers 503 when the disk of LIANXIN_VAR_DIR has less free space.",
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Control characters in messages are escaped: a newline typed into a title cannot forge a log line.
    # Follow-up tokens (?token=…) never reach a log (lianxin/logredact.py; gunicorn's access log uses its logger).
    "filters": {
        "redact_tokens": {"()": "lianxin.logredact.RedactTokensFilter"},
        "escape_controls": {"()": "lianxin.logs.EscapeControlCharacters"},
    },
    "formatters": {"json": {"()": "lianxin.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_tokens", "escape_controls"],
            **({"formatter": "json"} if LOG_JSON else {}),
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "lianxin": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

BACKUP_DIR = env_str(
    "LIANXIN_BACKUP_DIR",
    "",
    unit="directory",
    shown="blank (no scheduled backup)",
    doc="Where the nightly backup (lianxin.maintenance) writes its archive; blank: no scheduled backup. "
    "Put it on another disk or a mounted share, not under `LIANXIN_VAR_DIR`.",
)
BACKUP_KEEP = env_int(
    "LIANXIN_BACKUP_KEEP",
    14,
    minimum=1,
    maximum=3650,
    unit="archives",
    doc="How many scheduled backups are kept in `LIANXIN_BACKUP_DIR`; older ones are deleted after a good backup.",
)

# The rule is per account (5 failures lock that account for 30 minutes). Locking by IP address
# would lock a whole government intranet behind one NAT address, so axes' IP warning is silenced.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Failed logins and the account events of the audit log record the same client address as the rate limits: the
# peer, or behind a trusted proxy the address it forwards (never a header sent by anyone else).
AXES_CLIENT_IP_CALLABLE = "lianxin.throttle.limits.login_address"

# The baseline endpoint of `make bench-intake` (raw SQL insert on the same stack); off unless benchmarking.
BENCH_ENDPOINTS = env_bool(
    "LIANXIN_BENCH_ENDPOINTS", False, doc="Mount the baseline endpoint of `make bench-intake`. Never in production."
)

# --- Public map -------------------------------------------------------------------------------
section("Public maps (lianxin.cases, lianxin.duty, lianxin.finder)")
# Tile server for the report page's map (e.g. an intranet tile mirror, "https://tiles.example/{z}/{x}/{y}.png").
# Blank: no tiles, the map shows only the grid polygons (works with no outside service).
MAP_TILE_URL = env_str(
    "LIANXIN_MAP_TILE_URL",
    "",
    unit="URL template",
    doc="Tile server of the public maps, e.g. https://tiles.example/{z}/{x}/{y}.png; blank: grid polygons only.",
)

# --- Each app's limits (read through the app's conf.py) ------------------------------------------
MB = 1024 * 1024

section("Suggestions (lianxin.suggestions)")
SUGGESTION_WINDOW_MONTHDAYS = env_int_list(
    "LIANXIN_SUGGESTION_WINDOW_MONTHDAYS",
    [20],
    minimum=1,
    maximum=31,
    doc="Days of the month on which suggestions are submitted between congress sessions.",
)
SUGGESTION_SESSION_WINDOWS = env_date_ranges(
    "LIANXIN_SUGGESTION_SESSION_WINDOWS",
    shown="none",
    doc="Congress sessions (first and last day), during which suggestions are submitted at once.",
)
SUGGESTION_REVIEW_STAGES = env_json(
    "LIANXIN_SUGGESTION_REVIEW_STAGES",
    None,
    RowsOf(str, str),
    shape='[["key", "label"], …]',
    shown="office → committees → chair (suggestions/conf.py)",
    doc="The review stages a submitted suggestion passes, in order.",
)
SUGGESTION_ANSWER_CATEGORIES = env_json(
    "LIANXIN_SUGGESTION_ANSWER_CATEGORIES",
    None,
    RowsOf(str, str, bool, bool),
    shape='[["code", "label", solved, stays_open], …]',
    shown="A/B/C/D (suggestions/conf.py)",
    doc="Answer categories of the handling units: counts as solved; the item stays open for follow-up answers.",
)
SUGGESTION_INADMISSIBLE = env_json(
    "LIANXIN_SUGGESTION_INADMISSIBLE",
    None,
    RowsOf(str, [str]),
    shape='[["message", ["keyword", …]], …]',
    shown="personal / litigation / petition / promotion (suggestions/conf.py)",
    doc="Screens for inadmissible content: a keyword found in the text blocks submission with the message.",
)
SUGGESTION_PROPOSALS_MIN_CHARS = env_int(
    "LIANXIN_SUGGESTION_PROPOSALS_MIN_CHARS",
    10,
    minimum=0,
    unit="characters",
    doc="Fewer characters in 具体建议 count as no concrete content.",
)
SUGGESTION_SIGN_DAYS = env_int(
    "LIANXIN_SUGGESTION_SIGN_DAYS", 7, minimum=1, unit="days", doc="A handling unit signs for an assignment within."
)
SUGGESTION_RETURN_DAYS = env_int(
    "LIANXIN_SUGGESTION_RETURN_DAYS", 10, minimum=1, unit="days", doc="A unit returns a wrong assignment within."
)
SUGGESTION_CO_OPINION_MONTHS = env_int(
    "LIANXIN_SUGGESTION_CO_OPINION_MONTHS", 1, minimum=1, unit="months", doc="Co-units send their opinions within."
)
SUGGESTION_ANSWER_MONTHS = env_int(
    "LIANXIN_SUGGESTION_ANSWER_MONTHS", 3, minimum=1, unit="months", doc="The lead unit answers within."
)
SUGGESTION_ANSWER_MAX_MONTHS = env_int(
    "LIANXIN_SUGGESTION_ANSWER_MAX_MONTHS",
    6,
    minimum=1,
    unit="months",
    doc="Longest answer time with extensions approved by the office.",
)
SUGGESTION_SECOND_ROUND_MONTHS = env_int(
    "LIANXIN_SUGGESTION_SECOND_ROUND_MONTHS",
    1,
    minimum=1,
    unit="months",
    doc="Deadline of a second assignment (二次交办).",
)
SUGGESTION_RATING_WORKDAYS = env_int(
    "LIANXIN_SUGGESTION_RATING_WORKDAYS", 20, minimum=1, unit="working days", doc="The deputy rates an answer within."
)
SUGGESTION_RECHECK_WORKDAYS = env_int(
    "LIANXIN_SUGGESTION_RECHECK_WORKDAYS",
    10,
    minimum=1,
    unit="working days",
    doc="The office re-examines (复核) an answer the deputy rated 不满意 within (then closes it or assigns it again).",
)
SUGGESTION_YELLOW_AT = env_float(
    "LIANXIN_SUGGESTION_YELLOW_AT",
    CASE_YELLOW_AT,
    minimum=0.1,
    maximum=0.99,
    unit="share of the limit",
    shown="LIANXIN_YELLOW_AT",
    doc="A suggestion's light turns yellow when this share of a time limit has passed.",
)
SUGGESTION_NOT_ACCEPTED_AS_REFERENCE = env_bool(
    "LIANXIN_SUGGESTION_NOT_ACCEPTED_AS_REFERENCE",
    True,
    doc="A suggestion not accepted becomes a 参阅件 (for reference).",
)
SUGGESTION_KEY_REQUIRES_FACE_TO_FACE = env_bool(
    "LIANXIN_SUGGESTION_KEY_REQUIRES_FACE_TO_FACE",
    True,
    doc="Key suggestions (重点督办) need a face-to-face meeting (面商) with the deputy before the answer.",
)
SUGGESTION_RANKING_MIN_SAMPLE = env_int(
    "LIANXIN_SUGGESTION_RANKING_MIN_SAMPLE",
    3,
    minimum=1,
    unit="suggestions",
    doc="Ranking rows with fewer are marked 样本不足 and sorted last.",
)
SUGGESTION_TEXT_MAX = env_int(
    "LIANXIN_SUGGESTION_TEXT_MAX", 10_000, minimum=100, unit="characters", doc="Longest text field of a suggestion."
)
SUGGESTION_DOCUMENT_MAX_BYTES = env_int(
    "LIANXIN_SUGGESTION_DOCUMENT_MAX_BYTES",
    10 * MB,
    minimum=1024,
    unit="bytes",
    shown="10485760 (10 MB)",
    doc="Largest document attached to a suggestion or an answer.",
)
SUGGESTION_MAX_COSIGNERS = env_int(
    "LIANXIN_SUGGESTION_MAX_COSIGNERS", 30, minimum=0, unit="deputies", doc="Co-signers (附议) of one suggestion."
)
SUGGESTION_PAGE_SIZE = env_int(
    "LIANXIN_SUGGESTION_PAGE_SIZE", 25, minimum=1, maximum=200, unit="rows", doc="Suggestions per page of a list."
)

section("Duty rosters (lianxin.duty)")
DUTY_PUBLISH_DAYS = env_int(
    "LIANXIN_DUTY_PUBLISH_DAYS",
    14,
    minimum=0,
    unit="days",
    doc="How far ahead the public station page and calendar feeds show who is on duty.",
)
DUTY_DEPUTIES_PER_SHIFT = env_int(
    "LIANXIN_DUTY_DEPUTIES_PER_SHIFT",
    2,
    minimum=1,
    unit="deputies",
    doc="Deputies per shift when a roster is generated (the form's default).",
)
DUTY_MIN_SHIFTS_PER_DEPUTY = env_int(
    "LIANXIN_DUTY_MIN_SHIFTS_PER_DEPUTY",
    1,
    minimum=0,
    unit="shifts",
    doc="Least shifts per deputy when a roster is generated (the form's default).",
)
DUTY_SHIFT_START = env_time("LIANXIN_DUTY_SHIFT_START", "09:00", doc="Start of a generated shift (the form's default).")
DUTY_SHIFT_END = env_time("LIANXIN_DUTY_SHIFT_END", "11:30", doc="End of a generated shift (the form's default).")
DUTY_LATE_GRACE_MINUTES = env_int(
    "LIANXIN_DUTY_LATE_GRACE_MINUTES",
    15,
    minimum=0,
    unit="minutes",
    doc="A check-in later than the start plus this is recorded as late.",
)
DUTY_CHECK_IN_OPENS_MINUTES = env_int(
    "LIANXIN_DUTY_CHECK_IN_OPENS_MINUTES", 60, minimum=0, unit="minutes", doc="Check-in opens this long before a shift."
)
DUTY_REMINDER_DAYS = env_int(
    "LIANXIN_DUTY_REMINDER_DAYS",
    1,
    minimum=0,
    unit="days",
    doc="Deputies are reminded this many days before a shift (1: the day before).",
)
DUTY_MAX_GENERATE_DAYS = env_int(
    "LIANXIN_DUTY_MAX_GENERATE_DAYS", 366, minimum=1, unit="days", doc="A roster is generated for at most this span."
)
DUTY_LIST_MAX_DAYS = env_int(
    "LIANXIN_DUTY_LIST_MAX_DAYS",
    366,
    minimum=1,
    unit="days",
    doc="The reception register and the shift list show at most this span.",
)

section("Events (lianxin.events)")
EVENT_CAPACITY_MAX = env_int(
    "LIANXIN_EVENT_CAPACITY_MAX", 2000, minimum=1, unit="places", doc="Largest capacity of one event."
)
EVENT_WAITLIST_MAX = env_int(
    "LIANXIN_EVENT_WAITLIST_MAX", 50, minimum=0, unit="people", doc="How many may wait for a freed place, per event."
)
EVENT_PAGE_SIZE = env_int(
    "LIANXIN_EVENT_PAGE_SIZE", 20, minimum=1, maximum=200, unit="rows", doc="Events per page of a list."
)
EVENT_SIGNUP_RETENTION_DAYS = env_int(
    "LIANXIN_EVENT_SIGNUP_RETENTION_DAYS",
    30,
    minimum=1,
    unit="days",
    doc="A sign-up's name and phone are erased this long after the event ends (quoted by the sign-up notice).",
)

section("Consultations (lianxin.consultations)")
CONSULTATION_COMMENT_MAX = env_int(
    "LIANXIN_CONSULTATION_COMMENT_MAX", 2000, minimum=10, unit="characters", doc="Longest comment."
)
CONSULTATION_ARTICLES_MAX = env_int(
    "LIANXIN_CONSULTATION_ARTICLES_MAX", 300, minimum=1, unit="articles", doc="Most articles of one draft."
)
CONSULTATION_PAGE_SIZE = env_int(
    "LIANXIN_CONSULTATION_PAGE_SIZE", 20, minimum=1, maximum=200, unit="rows", doc="Consultations per page of a list."
)
CONSULTATION_CONTACT_RETENTION_DAYS = env_int(
    "LIANXIN_CONSULTATION_CONTACT_RETENTION_DAYS",
    180,
    minimum=1,
    unit="days",
    doc="A commenter's full name and phone are erased this long after the consultation closes (quoted by the "
    "comment notice).",
)

section("Voters (lianxin.voters)")
VOTERS_PAIRING_MINIMUM = env_int(
    "LIANXIN_VOTERS_PAIRING_MINIMUM",
    10,
    minimum=1,
    unit="households",
    doc="Households each deputy keeps in regular contact with (结对).",
)
VOTERS_SAMPLE_PERCENT = env_float(
    "LIANXIN_VOTERS_SAMPLE_PERCENT",
    5,
    minimum=0,
    maximum=100,
    unit="percent",
    doc="Share of a month's contact records drawn for call-back verification.",
)
VOTERS_SAMPLE_MINIMUM = env_int(
    "LIANXIN_VOTERS_SAMPLE_MINIMUM",
    3,
    minimum=0,
    unit="records",
    doc="At least this many records per draw (or all of them when fewer exist).",
)
VOTERS_RATING_CODE_MINUTES = env_int(
    "LIANXIN_VOTERS_RATING_CODE_MINUTES",
    10,
    minimum=1,
    unit="minutes",
    doc="How long an SMS code for rating a report to voters stays valid.",
)
VOTERS_RATING_CODE_ATTEMPTS = env_int(
    "LIANXIN_VOTERS_RATING_CODE_ATTEMPTS",
    5,
    minimum=1,
    unit="attempts",
    doc="Wrong code entries before a code is void.",
)
VOTERS_RATING_CODE_INTERVAL_SECONDS = env_int(
    "LIANXIN_VOTERS_RATING_CODE_INTERVAL_SECONDS",
    60,
    minimum=0,
    unit="seconds",
    doc="Least time between two codes sent to the same phone for the same report.",
)
VOTERS_RATING_DAYS = env_int(
    "LIANXIN_VOTERS_RATING_DAYS",
    14,
    minimum=1,
    unit="days",
    doc="Rating stays open this long after the report when no deadline is given.",
)
VOTERS_RATING_RETENTION_DAYS = env_int(
    "LIANXIN_VOTERS_RATING_RETENTION_DAYS",
    365,
    minimum=1,
    unit="days",
    doc="After a report's result is published, the raters' phone and name are deleted after this long.",
)
VOTERS_PAGE_SIZE = env_int(
    "LIANXIN_VOTERS_PAGE_SIZE", 20, minimum=1, maximum=200, unit="rows", doc="Contact records per page."
)

section("Finder (lianxin.finder)")
FINDER_INDEX_TTL_SECONDS = env_float(
    "LIANXIN_FINDER_INDEX_TTL_SECONDS",
    300,
    minimum=0,
    unit="seconds",
    doc="The grid index is rebuilt after this long even without a change made through the finder.",
)
FINDER_STATS_MIN_SAMPLE = env_int(
    "LIANXIN_FINDER_STATS_MIN_SAMPLE",
    5,
    minimum=1,
    unit="cases",
    doc="A deputy's satisfaction and median acknowledgement time are shown from this many cases on.",
)
FINDER_STATS_WINDOW_DAYS = env_int(
    "LIANXIN_FINDER_STATS_WINDOW_DAYS", 365, minimum=1, unit="days", doc="The deputy profile's figures cover this span."
)
FINDER_GEOJSON_MAX_BYTES = env_int(
    "LIANXIN_FINDER_GEOJSON_MAX_BYTES",
    20 * MB,
    minimum=1024,
    unit="bytes",
    shown="20971520 (20 MB)",
    doc="Largest GeoJSON file of grid boundaries.",
)
FINDER_GEOJSON_MAX_FEATURES = env_int(
    "LIANXIN_FINDER_GEOJSON_MAX_FEATURES", 20000, minimum=1, unit="features", doc="Most features in one GeoJSON import."
)
FINDER_OVERLAP_MIN_M2 = env_float(
    "LIANXIN_FINDER_OVERLAP_MIN_M2",
    1.0,
    minimum=0,
    unit="m²",
    doc="Overlaps of grids smaller than this (digitising slivers) are not reported.",
)
FINDER_GAP_MIN_M2 = env_float(
    "LIANXIN_FINDER_GAP_MIN_M2", 1.0, minimum=0, unit="m²", doc="Gaps between grids smaller than this are not reported."
)
FINDER_MAP_MAX_GRIDS = env_int(
    "LIANXIN_FINDER_MAP_MAX_GRIDS", 5000, minimum=1, unit="grids", doc="Most grid polygons sent to one map."
)
FINDER_SEARCH_MAX_RESULTS = env_int(
    "LIANXIN_FINDER_SEARCH_MAX_RESULTS", 20, minimum=1, unit="results", doc="Most results of an address search."
)
FINDER_POSTER_FONT = env_str(
    "LIANXIN_FINDER_POSTER_FONT",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    unit="file",
    doc="A TrueType CJK font reportlab can embed in the QR posters (Debian fonts-wqy-zenhei).",
)
FINDER_POSTERS_MAX = env_int(
    "LIANXIN_FINDER_POSTERS_MAX", 500, minimum=1, unit="pages", doc="Most pages of one street's poster PDF."
)

section("Cockpit (lianxin.cockpit)")
COCKPIT_RANKING_MIN_SAMPLE = env_int(
    "LIANXIN_COCKPIT_RANKING_MIN_SAMPLE",
    5,
    minimum=1,
    unit="cases",
    doc="Rankings (departments, deputies) list only those with at least this many cases in the window.",
)
COCKPIT_RANKING_SIZE = env_int("LIANXIN_COCKPIT_RANKING_SIZE", 10, minimum=1, unit="rows", doc="Rows of each ranking.")
COCKPIT_REFRESH_OVERLAP_SECONDS = env_int(
    "LIANXIN_COCKPIT_REFRESH_OVERLAP_SECONDS",
    180,
    minimum=0,
    unit="seconds",
    doc="The refresh job re-reads this much before its last watermark (transactions that committed late).",
)
COCKPIT_SWEEP_MINUTES = env_int(
    "LIANXIN_COCKPIT_SWEEP_MINUTES",
    60,
    minimum=1,
    unit="minutes",
    doc="How often the refresh job also sweeps all cases' updated_at for silent changes.",
)
COCKPIT_WALL_REFRESH_SECONDS = env_int(
    "LIANXIN_COCKPIT_WALL_REFRESH_SECONDS", 60, minimum=5, unit="seconds", doc="The wall screen reloads this often."
)
COCKPIT_EXPORT_MAX_ROWS = env_int(
    "LIANXIN_COCKPIT_EXPORT_MAX_ROWS",
    20000,
    minimum=1,
    unit="rows",
    doc="Most rows of one Excel list; more are cut and the sheet says so.",
)
COCKPIT_PAGE_SIZE = env_int(
    "LIANXIN_COCKPIT_PAGE_SIZE", 25, minimum=1, maximum=200, unit="rows", doc="Rows per page of the four lists."
)
CJK_FONT_PATH = env_str(
    "LIANXIN_CJK_FONT",
    "",
    unit="file",
    shown="the first font found of fonts-wqy-zenhei, fonts-wqy-microhei, fonts-arphic-uming …",
    doc="A TrueType CJK font for the monthly report PDF.",
)

section("Topics: duplicates, hot issues, reply quality (lianxin.topics)")
TOPICS_DUPLICATE_SIMILARITY = env_float(
    "LIANXIN_TOPICS_DUPLICATE_SIMILARITY",
    0.55,
    minimum=0.1,
    maximum=1.0,
    unit="cosine",
    doc="Two matters whose texts are at least this alike (TF-IDF cosine of their words) are likely the same.",
)
TOPICS_DUPLICATE_DAYS = env_int(
    "LIANXIN_TOPICS_DUPLICATE_DAYS",
    90,
    minimum=1,
    unit="days",
    doc='Open matters registered within this many days are offered as "the same matter" and as duplicates.',
)
TOPICS_DUPLICATE_SHOWN = env_int(
    "LIANXIN_TOPICS_DUPLICATE_SHOWN", 5, minimum=1, maximum=20, unit="matters", doc="Similar matters shown at most."
)
TOPICS_HOT_DAYS = env_int(
    "LIANXIN_TOPICS_HOT_DAYS", 30, minimum=1, unit="days", doc="Hot issues group the matters of this many days."
)
TOPICS_HOT_HALF_LIFE_DAYS = env_float(
    "LIANXIN_TOPICS_HOT_HALF_LIFE_DAYS",
    7.0,
    minimum=0.1,
    unit="days",
    doc="A hot issue's heat halves for every this many days since its latest matter.",
)
TOPICS_HOT_SIMILARITY = env_float(
    "LIANXIN_TOPICS_HOT_SIMILARITY",
    0.2,
    minimum=0.05,
    maximum=1.0,
    unit="cosine",
    doc="Matters are grouped while their average similarity to a group's matters is at least this.",
)
TOPICS_HOT_SIZE = env_int("LIANXIN_TOPICS_HOT_SIZE", 10, minimum=1, unit="groups", doc="Hot issues kept per area.")
TOPICS_HOT_MAX_MATTERS = env_int(
    "LIANXIN_TOPICS_HOT_MAX_MATTERS",
    5000,
    minimum=100,
    unit="matters",
    doc="Most matters clustered per area and run (the latest); memory grows with the square of this.",
)
TOPICS_REPLY_MIN_CHARS = env_int(
    "LIANXIN_TOPICS_REPLY_MIN_CHARS",
    35,
    minimum=0,
    unit="characters",
    doc="A reply with less than this left after greetings, thanks and dates is flagged as boilerplate.",
)
TOPICS_REPLY_DEFLECT_CHARS = env_int(
    "LIANXIN_TOPICS_REPLY_DEFLECT_CHARS",
    60,
    minimum=0,
    unit="characters",
    doc="A reply this short that only sends the citizen elsewhere (call, go to) is flagged.",
)
TOPICS_REPLY_MIN_OVERLAP = env_float(
    "LIANXIN_TOPICS_REPLY_MIN_OVERLAP",
    0.02,
    minimum=0.0,
    maximum=1.0,
    unit="share",
    doc="A reply using less than this share of the matter title's character pairs is flagged as unrelated.",
)

section("Department appraisal (lianxin.appraisal; the names kept from the performance app)")
PERFORMANCE_APPRAISAL_MIN_SAMPLE = env_int(
    "LIANXIN_PERFORMANCE_APPRAISAL_MIN_SAMPLE",
    5,
    minimum=1,
    unit="matters",
    doc="Matters handled or survey ratings given before a rate-based appraisal item is scored and ranked.",
)
PERFORMANCE_APPRAISAL_MIN_SCORERS = env_int(
    "LIANXIN_PERFORMANCE_APPRAISAL_MIN_SCORERS",
    1,
    minimum=1,
    unit="scorers",
    doc="Entered scores needed before an entered appraisal item counts.",
)

section("Deputies' points (lianxin.points; the names kept from the performance app)")
PERFORMANCE_SCAN_DAYS = env_int(
    "LIANXIN_PERFORMANCE_SCAN_DAYS",
    400,
    minimum=1,
    unit="days",
    doc="The hourly scan looks this far back for new evidence of points (recompute looks at everything).",
)
PERFORMANCE_PAGE_SIZE = env_int(
    "LIANXIN_PERFORMANCE_PAGE_SIZE", 50, minimum=1, maximum=500, unit="rows", doc="Ledger entries per page."
)
PERFORMANCE_REASON_MAX = env_int(
    "LIANXIN_PERFORMANCE_REASON_MAX",
    500,
    minimum=10,
    unit="characters",
    doc="Longest reason of a manual points entry or a contest.",
)
PERFORMANCE_MANUAL_POINTS_MAX = env_int(
    "LIANXIN_PERFORMANCE_MANUAL_POINTS_MAX",
    50,
    minimum=1,
    unit="points",
    doc="The largest number of points (up or down) of one manual entry.",
)

section("Organisation (lianxin.organisation)")
REGISTRY_IMPORT_MAX_BYTES = env_int(
    "LIANXIN_REGISTRY_IMPORT_MAX_BYTES",
    10 * MB,
    minimum=1024,
    unit="bytes",
    shown="10485760 (10 MB)",
    doc="Largest registry workbook or CSV upload.",
)
REGISTRY_IMPORT_MAX_ROWS = env_int(
    "LIANXIN_REGISTRY_IMPORT_MAX_ROWS", 20_000, minimum=1, unit="rows", doc="Most rows of one registry import."
)

section("Triage (lianxin.triage)")
TRIAGE_MODEL_PATH = Path(
    env_str(
        "LIANXIN_TRIAGE_MODEL_PATH",
        str(VAR_DIR / "triage" / "model.joblib"),
        unit="file",
        shown="`var/triage/model.joblib`",
        doc="The category classifier built from the repository's data (`manage.py triage_train`, run by "
        "`make install`). A retrained model that scored better is kept in the database and wins over it.",
    )
)
TRIAGE_AUTO_DISPATCH = env_bool(
    "LIANXIN_TRIAGE_AUTO_DISPATCH",
    False,
    doc="Dispatch a new matter without a person when the category's confidence and its routing rule's record "
    "both clear their thresholds (the timeline says so).",
)
TRIAGE_AUTO_CONFIDENCE = env_float(
    "LIANXIN_TRIAGE_AUTO_CONFIDENCE",
    0.9,
    minimum=0.5,
    maximum=1.0,
    unit="probability",
    doc="Category confidence needed to auto-dispatch; also the auto-routing threshold `triage_evaluate` reports.",
)
TRIAGE_SUBCATEGORY_CONFIDENCE = env_float(
    "LIANXIN_TRIAGE_SUBCATEGORY_CONFIDENCE",
    0.7,
    minimum=0.0,
    maximum=1.0,
    unit="probability",
    doc="A second-level category is proposed only from this confidence up (docs/triage.md: share and precision).",
)
TRIAGE_AUTO_RULE_SHARE = env_float(
    "LIANXIN_TRIAGE_AUTO_RULE_SHARE",
    0.9,
    minimum=0.5,
    maximum=1.0,
    unit="share",
    doc="Share of a routing rule's recent proposals that staff took, needed before it may auto-dispatch.",
)
TRIAGE_AUTO_RULE_MIN = env_int(
    "LIANXIN_TRIAGE_AUTO_RULE_MIN",
    20,
    minimum=0,
    unit="dispatches",
    doc="Staff dispatches a routing rule must have proposed (last 90 days) before it may auto-dispatch.",
)
TRIAGE_RETRAIN_MIN_CASES = env_int(
    "LIANXIN_TRIAGE_RETRAIN_MIN_CASES",
    1000,
    minimum=50,
    unit="cases",
    doc="Closed, categorised cases needed before the weekly retraining tries a model of the district's own.",
)

section("Demo (lianxin.demo)")
DEMO_PASSWORD = env_str(
    "LIANXIN_DEMO_PASSWORD",
    "Lianxin@2026",
    doc="Password of the demo accounts `seed_demo` creates (read again when the command runs).",
)

# --- Content-Security-Policy (django-csp): scripts only from this site, never inline --------------
_tile_origin = ""
if MAP_TILE_URL:
    _tile = urlsplit(MAP_TILE_URL.replace("{s}", "*"))  # Leaflet's {s} subdomains: a CSP wildcard
    _tile_origin = f"{_tile.scheme}://{_tile.netloc}"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Leaflet, ECharts and htmx set element styles; inline style attributes carry no script.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *([_tile_origin] if _tile_origin else [])],
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
