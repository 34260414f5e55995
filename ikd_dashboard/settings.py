"""Settings for IKD Progress, read from the environment with strict helpers.

Nothing set means the embedded default: SQLite in the project folder and Celery in eager mode.
`DATABASE_URL` and `CELERY_BROKER_URL` switch to PostgreSQL and Redis. Secrets may also come from
`NAME_FILE` (a path), as Docker secrets do.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """The value of NAME, or the contents of the file named by NAME_FILE, or the default.

    An empty NAME counts as unset (`DATABASE_URL= make run` means the embedded default)."""
    if os.environ.get(name):
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return default


def envbool(name: str, default: str) -> bool:
    value = env(name, default)
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")
    return value == "True"


def envint(name: str, default: str) -> int:
    value = env(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


# On by default for the embedded default (make run); docker-compose and production turn it off.
DEBUG = envbool("DEBUG", "True")

# The development keys below are only accepted with DEBUG on; production must set its own.
_DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"  # noqa: S105
_DEV_NIK_HASH_KEY = "dev-only-nik-hash-key-not-for-production"
SECRET_KEY = env("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else None)
NIK_HASH_KEY = env("NIK_HASH_KEY", _DEV_NIK_HASH_KEY if DEBUG else None)
if not SECRET_KEY or not NIK_HASH_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY and NIK_HASH_KEY (or DEBUG=True for development).")

ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    # Django's admin, for unlimited superusers only (kecamatan/accounts/adminsite.py).
    "kecamatan.accounts.adminsite.OfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "axes",
    "kecamatan",
    "reports",
]

MIDDLEWARE = [
    "ikd_dashboard.requestlog.RequestLogMiddleware",
    # The container's health probe: plain http on 127.0.0.1, answered before the https redirect.
    "ikd_dashboard.health.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ikd_dashboard.security.SecurityHeadersMiddleware",
    # Pages (and static files without a compressed copy) go compressed: a dashboard is 39 KB of
    # HTML, 7 KB gzipped, on a 400 kbit/s link. BREACH: Django pads each gzipped response with
    # random bytes (4.2+) and masks the CSRF token per request, and no page reflects a secret
    # beside text an attacker chooses.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ikd_dashboard.middleware.LanguageChoiceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Nothing a signed-in person sees stays in a shared office PC's browser cache.
    "ikd_dashboard.security.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear refusal.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ikd_dashboard.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kecamatan.accounts.context_processors.roles",
                "kecamatan.progress.context_processors.freshness",
            ],
        },
    },
]

WSGI_APPLICATION = "ikd_dashboard.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "0"),
        # A kept connection is checked before each request's first query: after a database
        # restart, a worker reconnects instead of failing one request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default under several requests at once (gunicorn workers, threads): each
    # write transaction takes the lock when it begins and waits up to 20 s for it, instead of
    # failing "database is locked" when a read turns into a write; readers never wait for a
    # writer (write-ahead log).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out user before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's, loading the region a user is limited to along with the user.
    "kecamatan.accounts.backends.ScopedModelBackend",
]
# Lockout: after AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair
# is refused for AXES_COOLOFF_MINUTES (an admin can lift it: `manage.py axes_reset_username`).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = dt.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "30"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ikd_dashboard.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Reverse proxies in front of the app (nginx, a load balancer): their X-Forwarded-For entries and
# X-Forwarded-Proto are trusted, nobody else's.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sessions end with the browser or after SESSION_HOURS, whichever comes first. Read from the
# cache (written through to the database): a page served from the page cache then needs no
# query for its session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = envint("SESSION_HOURS", "8") * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# HTTPS only in production (DEBUG off); SECURE_COOKIES / SECURE_SSL_REDIRECT switch it for a test
# server on plain http.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", str(not DEBUG))
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere (chart data travels in json_script blocks). Plotly sets inline styles.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["ikd_dashboard.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploaded files wait between preview and import, then go, in the storage named "uploads"
# (kecamatan/uploads/storage.py): the folder UPLOAD_DIR (never under a served folder), which the
# web app and the worker must both see; or, with UPLOAD_STORAGE=s3, a bucket of an S3-compatible
# store that workers on other machines reach (docs/operations.md, "Uploads on another machine").
UPLOAD_DIR = Path(env("UPLOAD_DIR", str(BASE_DIR / "var" / "uploads")))
UPLOAD_STORAGE = env("UPLOAD_STORAGE", "local")
if UPLOAD_STORAGE == "s3":
    if not env("UPLOAD_S3_BUCKET"):
        raise ImproperlyConfigured("UPLOAD_STORAGE=s3 needs UPLOAD_S3_BUCKET")
    STORAGES["uploads"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("UPLOAD_S3_BUCKET"),
            "endpoint_url": env("UPLOAD_S3_ENDPOINT_URL") or None,  # unset: AWS itself
            "region_name": env("UPLOAD_S3_REGION") or None,
            # Unset: boto3's own chain (AWS_ACCESS_KEY_ID…, an instance role).
            "access_key": env("UPLOAD_S3_ACCESS_KEY_ID") or None,
            "secret_key": env("UPLOAD_S3_SECRET_ACCESS_KEY") or None,
            "location": env("UPLOAD_S3_PREFIX", "uploads"),
            "addressing_style": env("UPLOAD_S3_ADDRESSING_STYLE") or None,  # "path" for MinIO
            "file_overwrite": False,
            "default_acl": None,  # the bucket's own: private
            "querystring_auth": True,  # never a public URL (none is ever handed out anyway)
            # A worker reads a file into memory up to this size, then into an unnamed temporary
            # file (gone when closed): a 64 MB upload never sits whole in a worker's memory.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }
elif UPLOAD_STORAGE == "local":
    STORAGES["uploads"] = {"BACKEND": "kecamatan.uploads.storage.UploadFolderStorage"}
else:
    raise ImproperlyConfigured(f"UPLOAD_STORAGE is 'local' or 's3', not {UPLOAD_STORAGE!r}")
# What a real file needs, with room, and no more: a check must end within 10 s (the preview
# waits for it). An activation file names each person once: Sukoharjo's at the 30% target is
# ~204.000 rows, ~11 MB as exported; a larger list goes in parts (per kecamatan). XLSX has its
# own, lower row limit (kecamatan/uploads/readers.py). Why these, in docs/data-formats.md.
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_MB", "64") * 1024 * 1024
UPLOAD_MAX_ROWS = envint("UPLOAD_MAX_ROWS", "500000")
# A check or a queued import not done after this long is stuck: failed, its file deleted.
UPLOAD_STUCK_MINUTES = envint("UPLOAD_STUCK_MINUTES", "60")
# Check my list (cek daftar): a list read and answered in memory only, never on disk; bounded
# in size, and in checks and rows per account, so it cannot serve as a lookup of NIKs.
ROSTER_CHECK_MAX_BYTES = envint("ROSTER_CHECK_MAX_MB", "10") * 1024 * 1024
ROSTER_CHECK_PER_HOUR = envint("ROSTER_CHECK_PER_HOUR", "10")
ROSTER_CHECK_ROWS_PER_DAY = envint("ROSTER_CHECK_ROWS_PER_DAY", "50000")
# The open page /publik/ without sign-in (README): off unless asked for; desa only on request.
PUBLIC_PAGE = envbool("PUBLIC_PAGE", "False")
PUBLIC_PAGE_DESA = envbool("PUBLIC_PAGE_DESA", "False")
PUBLIC_REQUESTS_PER_HOUR = envint("PUBLIC_REQUESTS_PER_HOUR", "5")  # per client address
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; the file itself streams to disk
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# The cache holds what every process must agree on: rate limits, the page generation (and so
# which small segments a restricted role sees combined), the PDF printer's slot, an import's
# progress. Redis next to the broker; on the embedded default the database (table ikd_cache,
# made by migration 0021), never one process's memory: two gunicorn workers each kept their
# own counts and groupings.
_cache_url = env("CACHE_URL") or (env("CELERY_BROKER_URL") or "")
CACHES = {
    "default": {"BACKEND": "ikd_dashboard.cache.SharedClientRedisCache", "LOCATION": _cache_url}
    if _cache_url.startswith("redis")
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ikd_cache",
        "OPTIONS": {"MAX_ENTRIES": 5000},  # rendered pages, a few hundred per data generation
    }
}

# An API token lasts this many days (and ends at once with a password change or deactivation).
API_TOKEN_DAYS = envint("API_TOKEN_DAYS", "90")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "kecamatan.accounts.tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies bounded in size and nesting (a 400, never a 500); files for check-my-list.
    "DEFAULT_PARSER_CLASSES": [
        "ikd_dashboard.jsonbody.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "COERCE_DECIMAL_TO_STRING": False,
    # DRF's errors in the request's language, with an `error` key like the API's own.
    "EXCEPTION_HANDLER": "kecamatan.dashboard.api.api_exception_handler",
}

# Celery: eager (in-process) when no broker is configured, so the embedded default needs no server.
CELERY_TASK_ALWAYS_EAGER = not env("CELERY_BROKER_URL")
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Redis redelivers an unacknowledged task after this long: longer than any run (acks_late).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3 * 3600}
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Data whose data date is more than this many days before today are stale: a banner on every
# page, "data": "stale" in /health/, and one email a day to the Admins (progress/freshness.py).
DATA_STALE_DAYS = envint("DATA_STALE_DAYS", "7")
CELERY_BEAT_SCHEDULE = {
    # Nightly, after the office's day is over (01:00 WIB).
    "recompute-progress-nightly": {
        "task": "kecamatan.tasks.recompute_progress_task",
        "schedule": crontab(hour=1, minute=0),
    },
    # The previous month's report for leadership, on the 1st at 06:00 WIB.
    "issue-monthly-report": {
        "task": "reports.tasks.issue_monthly_report_task",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
    # Stale data (older than DATA_STALE_DAYS): the Admins hear of it at the start of the day.
    "data-stale-alert-daily": {
        "task": "kecamatan.tasks.data_stale_alert_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Previews nobody confirmed hold raw NIKs on disk: gone within a day.
    "expire-unconfirmed-uploads-hourly": {
        "task": "kecamatan.tasks.uploads_expire_task",
        "schedule": crontab(minute=15),
    },
    # Officers hear of tomorrow's visits in the afternoon, before they leave the office.
    "outreach-reminders-daily": {
        "task": "kecamatan.tasks.visit_reminders_task",
        "schedule": crontab(hour=15, minute=0),
    },
    # Each dashboard's forecast with the team's plan, made after the night's recompute.
    "outreach-plans-warm-daily": {
        "task": "kecamatan.tasks.plans_warm_task",
        "schedule": crontab(hour=6, minute=30),
    },
    # Visit requests decided (or asked) more than a year ago: their contacts deleted.
    "outreach-requests-forget-daily": {
        "task": "kecamatan.tasks.visit_requests_forget_task",
        "schedule": crontab(hour=2, minute=45),
    },
    # Yesterday's recap to the office's WhatsApp group (only with OUTREACH_GROUP_RECIPIENT).
    "outreach-recap-daily": {
        "task": "kecamatan.tasks.outreach_recap_task",
        "schedule": crontab(hour=7, minute=30),
    },
}

# Reminders and the daily recap (kecamatan/outreach/reminders.py) go out through this sender
# (ikd_dashboard/messaging.py): ConsoleSender (printed, the default), EmailSender or
# WhatsAppSender, which posts to the office's WhatsApp gateway with its token.
MESSAGE_SENDER = env("MESSAGE_SENDER", "ikd_dashboard.messaging.ConsoleSender")
WHATSAPP_GATEWAY_URL = env("WHATSAPP_GATEWAY_URL", "")
WHATSAPP_GATEWAY_TOKEN = env("WHATSAPP_GATEWAY_TOKEN", "")
if MESSAGE_SENDER.endswith(".WhatsAppSender") and not WHATSAPP_GATEWAY_URL:
    raise ImproperlyConfigured("MESSAGE_SENDER=…WhatsAppSender needs WHATSAPP_GATEWAY_URL")
# The office's group (a WhatsApp group id or number, or an email address with EmailSender) for
# the daily recap; unset, no recap is sent.
OUTREACH_GROUP_RECIPIENT = env("OUTREACH_GROUP_RECIPIENT", "")

# Email (the monthly report to Pimpinan): printed to the console unless EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", "587")
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "IKD Progress <ikd@localhost>")

# The report's letterhead, and the Chromium that prints it to PDF (the system package).
OFFICE_NAME = env("OFFICE_NAME", "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sukoharjo")
# The monthly report as the office signs it (reports/letter.py): letterhead, number, signature.
OFFICE_ADDRESS = env("OFFICE_ADDRESS", "")  # e.g. "Jl. … Sukoharjo 57511 · telp. …"
REPORT_LOGO_PATH = env("REPORT_LOGO_PATH", "")  # a PNG, JPEG or SVG on the server, ≤ 512 KB
REPORT_PLACE = env("REPORT_PLACE", "Sukoharjo")  # "Sukoharjo, 1 Mei 2025" above the signature
REPORT_SIGNER_TITLE = env("REPORT_SIGNER_TITLE", "Kepala Dinas")
REPORT_SIGNER_NAME = env("REPORT_SIGNER_NAME", "")
REPORT_SIGNER_NIP = env("REPORT_SIGNER_NIP", "")
# {year}, {month} (01–12), {roman} (I–XII), {revision}: the number given when a report is issued.
REPORT_NUMBER_PATTERN = env("REPORT_NUMBER_PATTERN", "470/{month}/IKD/{roman}/{year}")
CHROMIUM_PATH = env("CHROMIUM_PATH", "/usr/bin/chromium")
# One PDF is printed at a time; a download waits this long for the printer before a 503.
REPORT_PDF_WAIT_SECONDS = envint("REPORT_PDF_WAIT_SECONDS", "60")
# Each process that prints keeps its Chromium this long after its last PDF (starting one costs
# 1.5–2 s of a print; an idle one holds memory: docs/performance.md, "report PDF").
REPORT_PDF_BROWSER_IDLE_SECONDS = envint("REPORT_PDF_BROWSER_IDLE_SECONDS", "300")

# The debug page (DEBUG=True) and error emails mask anything that may be a NIK, as logs do
# (ikd_dashboard.requestlog.nik_masking_log_records, installed when the app starts).
DEFAULT_EXCEPTION_REPORTER = "ikd_dashboard.errors.NikMaskingExceptionReporter"

# One JSON object per line with the request id (ikd_dashboard/requestlog.py) in production;
# plain lines for reading by eye with DEBUG (LOG_FORMAT sets either).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "ikd_dashboard.requestlog.RequestIdFilter"},
        "quiet_refusals": {"()": "ikd_dashboard.requestlog.QuietRefusals"},
    },
    "formatters": {
        "json": {"()": "ikd_dashboard.requestlog.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env("LOG_FORMAT", "plain" if DEBUG else "json"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Django's own line per request duplicates ours (ikd.request), without the request id.
    "loggers": {
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # a line per login otherwise; the audit trail has them
        "django.request": {"filters": ["quiet_refusals"]},
    },
}
