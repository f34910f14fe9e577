"""One settings module, driven by environment variables (STYLE §14).

Every variable is read once here; a bad value stops start-up with a message that names it.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CONGVU_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected true/false (1/0, yes/no, on/off).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into var/ (never committed)."""
    key = os.environ.get("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY: must be at least 32 characters long.")
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
# Demo mode: demo accounts and the demo province; never on in production.
DEMO_MODE = env_bool("CONGVU_DEMO", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "congvu.core",
    "congvu.accounts",
    "congvu.org",
    "congvu.workdays",
    "congvu.registers",
    "congvu.metrics",
    "congvu.inspections",
    "congvu.sampling",
    "congvu.evaluation",
    "congvu.planning",
    "congvu.documents",
    "congvu.proposals",
    "congvu.web",
    "congvu.demo",
    "ninja",  # after the apps: its vendored Swagger UI files are served by whitenoise (no CDN)
    "congvu.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy, Permissions-Policy and Cache-Control: no-store on every response Django
    # renders (static files are answered above and stay cacheable).
    "congvu.web.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congvu.web.middleware.CookieLocaleMiddleware",
    "congvu.web.middleware.QueryStringGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out after CONGVU_SESSION_IDLE_MINUTES without a request; then sends administrators, leads
    # and leadership without a verified second factor to enrolment or verification.
    "congvu.accounts.middleware.SessionIdleTimeoutMiddleware",
    "congvu.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lock-out into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congvu.urls"
WSGI_APPLICATION = "congvu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "congvu.web.context_processors.shell",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'congvu.sqlite3'}"
_db_url = os.environ.get("DATABASE_URL") or _default_db
try:
    # Persistent connections (each server thread keeps its own for CONN_MAX_AGE seconds, checked
    # before reuse): a new SQLite connection re-reads the schema (about 2.4 ms of CPU per request on
    # the large demo), a new PostgreSQL one starts a server process.
    _db = dj_database_url.parse(_db_url, conn_max_age=env_int("CONN_MAX_AGE", 600), conn_health_checks=True)
except Exception as exc:  # dj-database-url raises several types for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL={_db_url!r}: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while pages read; IMMEDIATE avoids upgrade deadlocks.
    _db.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
    _db.setdefault("TEST", {})["NAME"] = None  # in-memory test database
elif _db["ENGINE"] not in {"django.db.backends.postgresql"}:
    raise ImproperlyConfigured(f"DATABASE_URL: only sqlite and postgres are supported, got {_db['ENGINE']}.")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The dossier metrics index carries INCLUDE columns for PostgreSQL's index-only scans; SQLite keeps
# the key columns and ignores the rest, which is what it did before: the warning says nothing new.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock a username+IP pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Second factor (TOTP, django-otp) for administrators, inspection leads and leadership; the issuer
# name shown in the authenticator app. A signed-in session ends after this many idle minutes.
OTP_TOTP_ISSUER = "Công vụ"
SESSION_IDLE_MINUTES = env_int("CONGVU_SESSION_IDLE_MINUTES", 30)
if SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured("CONGVU_SESSION_IDLE_MINUTES: expected at least 1 minute.")

# --- Security (all on whenever DEBUG is off, so `check --deploy` is clean) -----------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The Content-Security-Policy is enforced; true sends it as Report-Only (to try a change to it).
CSP_REPORT_ONLY = env_bool("CONGVU_CSP_REPORT_ONLY", False)
if not DEBUG:
    _https = env_bool("CONGVU_HTTPS", not DEMO_MODE)
    SESSION_COOKIE_SECURE = _https
    CSRF_COOKIE_SECURE = _https
    SECURE_SSL_REDIRECT = _https
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _https else 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
    SECURE_HSTS_PRELOAD = _https
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Internationalisation: Vietnamese first, English second --------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "congvu" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["congvu.formats"]

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("CONGVU_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names once `collectstatic` has run (production); plain names before it.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("CONGVU_STATIC_MANIFEST", (STATIC_ROOT / "staticfiles.json").exists())
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Register imports: the largest file accepted (upload page and `congvu import`), and the most cells
# an Excel sheet may span (the reader holds the whole rectangle in memory, ~32-64 bytes a cell).
IMPORT_MAX_UPLOAD_MB = env_int("CONGVU_IMPORT_MAX_UPLOAD_MB", 50)
IMPORT_MAX_CELLS = env_int("CONGVU_IMPORT_MAX_CELLS", 5_000_000)
# Excel exports of a list (registers, drill-down records): refused beyond this many rows, with a
# message asking to filter first (about half a minute of writing at 50,000 rows).
EXPORT_MAX_ROWS = env_int("CONGVU_EXPORT_MAX_ROWS", 50_000)
# The province ranking ranks only units with at least this many judged records (done on time, done
# late, open overdue); the others are listed apart as "chưa đủ hồ sơ để xếp hạng". The page can change it.
RANKING_MIN_RECORDS = env_int("CONGVU_RANKING_MIN_RECORDS", 20)
if RANKING_MIN_RECORDS < 0:
    raise ImproperlyConfigured("CONGVU_RANKING_MIN_RECORDS: expected 0 or more records.")
# A background import writes a heartbeat every IMPORT_HEARTBEAT_SECONDS; one silent for longer than
# IMPORT_STALE_SECONDS is taken for a dead worker and marked failed by `congvu recover_imports`.
IMPORT_HEARTBEAT_SECONDS = env_int("CONGVU_IMPORT_HEARTBEAT_SECONDS", 10)
IMPORT_STALE_SECONDS = env_int("CONGVU_IMPORT_STALE_SECONDS", 300)
# The import pages say no background worker is taking work when a queued job has waited this long and
# no worker has started any job in that time (congvu/core/workers.py).
WORKER_STALE_SECONDS = env_int("CONGVU_WORKER_STALE_SECONDS", 60)

# --- REST API (/api/v1/): requests per personal token per fixed window, and the largest page ---
API_RATE_LIMIT_REQUESTS = env_int("CONGVU_API_RATE_LIMIT_REQUESTS", 600)
API_RATE_LIMIT_WINDOW = env_int("CONGVU_API_RATE_LIMIT_WINDOW", 60)
API_PAGE_MAX_LIMIT = env_int("CONGVU_API_PAGE_MAX_LIMIT", 500)


# --- Sampling: the seed is kept encrypted (Fernet) until the draw, with a key outside the database ----
# CONGVU_SAMPLING_KEY (32 url-safe base64 bytes, `Fernet.generate_key()`), else a key generated once into
# var/sampling_key (mode 600, never committed). Losing it makes undrawn samples undrawable (re-create them).
def _sampling_key() -> str:
    import base64
    import binascii

    key = os.environ.get("CONGVU_SAMPLING_KEY", "").strip()
    if not key:
        path = VAR_DIR / "sampling_key"
        try:  # created with mode 600 from the start; a second process racing here reads the first's
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii"))
        key = path.read_text().strip()
    try:
        if len(base64.urlsafe_b64decode(key.encode("ascii"))) != 32:
            raise ValueError
    except (ValueError, binascii.Error):
        raise ImproperlyConfigured(
            "CONGVU_SAMPLING_KEY (or var/sampling_key): expected 32 url-safe base64-encoded bytes "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
        ) from None
    return key


SAMPLING_KEY = _sampling_key()
# A draw over more records than this runs in the background worker, with progress.
SAMPLING_BACKGROUND_RECORDS = env_int("CONGVU_SAMPLING_BACKGROUND_RECORDS", 50_000)

# --- Background work: the django.tasks API with a database backend, no broker -------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CONGVU_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Cache: the scorecards' figures, computed once and shared by every worker process ------
# The database cache by default (its table is created by a migration: nothing to install); Redis when
# CACHE_URL is set (redis://host:6379/0). Entries are keyed by the data versions, so none is ever
# stale; the timeout only bounds how long unused ones stay.
_cache_url = os.environ.get("CACHE_URL", "").strip()
if _cache_url:
    if not _cache_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL={_cache_url!r}: expected redis://, rediss:// or unix://.")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": "congvu",
            "TIMEOUT": 24 * 3600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "congvu_cache",
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)},
        }
    }

# --- E-mail (reminders) -------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or DEMO_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "congvu@localhost")


def _site_url() -> str:
    """The address users open, for the links in e-mails (which have no request to build them from).
    CONGVU_SITE_URL when set (scheme and host, optionally a port and a path prefix); otherwise the
    first named host of ALLOWED_HOSTS over HTTPS in production, http://127.0.0.1:8000 for the demo and
    development."""
    raw = os.environ.get("CONGVU_SITE_URL", "").strip()
    if not raw:
        named = [h.lstrip(".") for h in ALLOWED_HOSTS if h not in {"*", "127.0.0.1", "localhost", "::1"}]
        if DEBUG or DEMO_MODE or not named:
            return "http://127.0.0.1:8000"
        return f"{'https' if env_bool('CONGVU_HTTPS', True) else 'http'}://{named[0]}"
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"CONGVU_SITE_URL={raw!r}: expected the address users open, e.g. https://congvu.example.gov.vn"
        )
    return raw.rstrip("/")


SITE_URL = _site_url()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
