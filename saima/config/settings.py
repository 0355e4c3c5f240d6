"""Saima settings. Everything that varies between installations comes from the environment.

Two modes:
- embedded (the default, ``make demo``): SQLite under ``var/``, in-memory channel layer,
  immediate task backend, a secret key generated once into ``var/secret_key``.
- production (``SAIMA_MODE=production``): ``SECRET_KEY`` (or ``SECRET_KEY_FILE``),
  ``DATABASE_URL``, ``ALLOWED_HOSTS`` are required; HTTPS-only cookies and HSTS; Redis channel
  layer when ``REDIS_URL`` is set; database task queue.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from saima.config.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("SAIMA_HOME", str(PACKAGE_DIR.parent))).resolve()
VAR_DIR = Path(env_str("SAIMA_VAR_DIR", str(BASE_DIR / "var"))).resolve()

MODE = env_str("SAIMA_MODE", "embedded").strip().lower()
if MODE not in {"embedded", "production"}:
    raise ImproperlyConfigured(f"SAIMA_MODE: expected 'embedded' or 'production', got {MODE!r}")
PRODUCTION = MODE == "production"

DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "DEBUG: must be off in production (it shows settings and tracebacks to anyone)"
    )


def _secret_key() -> str:
    key = env_secret("SECRET_KEY")
    if key:
        if PRODUCTION and len(key) < 50:
            raise ImproperlyConfigured("SECRET_KEY: must be at least 50 characters in production")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY: required in production (or SECRET_KEY_FILE)")
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS: required in production (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

_default_db = "" if PRODUCTION else f"sqlite:///{VAR_DIR / 'saima.sqlite3'}"
_database_url = env_str("DATABASE_URL", _default_db)
if PRODUCTION and not _database_url:
    raise ImproperlyConfigured("DATABASE_URL: required in production")
# PostgreSQL connections kept in a pool per process in production (DATABASE_POOL_SIZE=0: none).
_pool_size = env_int("DATABASE_POOL_SIZE", 4 if PRODUCTION else 0)
DATABASES = {"default": database_from_url(_database_url, base_dir=BASE_DIR, pool_size=_pool_size)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "saima.core",
    "saima.org",
    "saima.races",
    "saima.arena",
    "saima.arena.live",
    "saima.projects",
    "saima.conduct",
    "saima.safeguards",
    "saima.portal",
    "ninja",
    "saima.api",
    "saima.bulletins",
]

MIDDLEWARE = [
    "saima.core.anonymity.AnonymousPagesMiddleware",  # first: the clue intake sees no client
    "saima.portal.kept.KeptPageStore",  # next: keeps public pages with every header
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "saima.core.middleware.NulRefusingMiddleware",  # a NUL names nothing (PostgreSQL: 500)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "saima.core.middleware.ContentSecurityPolicyMiddleware",
    "saima.core.middleware.PrivateCacheMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "saima.config.urls"
ASGI_APPLICATION = "saima.config.asgi.application"
WSGI_APPLICATION = "saima.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "saima.core.context_processors.shell",
            ],
        },
    },
]

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in before the rest
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Failed sign-ins allowed per key within the cool-off window (saima.core.security explains).
LOGIN_FAILURE_LIMITS = {
    ("username", "ip_address"): env_int("LOGIN_FAILURES_PER_ACCOUNT", 5),
    ("ip_address",): env_int("LOGIN_FAILURES_PER_CLIENT", 20),
    ("username",): env_int("LOGIN_FAILURES_PER_ACCOUNT_ALL_CLIENTS", 50),
}
AXES_LOCKOUT_PARAMETERS = [list(key) for key in LOGIN_FAILURE_LIMITS]
AXES_FAILURE_LIMIT = min(LOGIN_FAILURE_LIMITS.values())
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_HANDLER = "saima.core.security.LoginThrottle"
AXES_LOCKOUT_CALLABLE = "saima.core.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "saima.core.security.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# The HTTP API (saima.api): requests a minute per token, and per client address without one.
API_RATE_PER_TOKEN = env_int("API_RATE_PER_TOKEN", 1200)
API_RATE_ANONYMOUS = env_int("API_RATE_ANONYMOUS", 30000)

# The clue intake's limits (saima.conduct, docs/conduct.md): clues per client per hour and
# about one unit or person per day; failed receipt codes per receipt (15 minutes) and per
# client (one hour).
CONDUCT_CLUES_PER_CLIENT = env_int("CONDUCT_CLUES_PER_CLIENT", 5)
CONDUCT_CLUES_PER_TARGET = env_int("CONDUCT_CLUES_PER_TARGET", 20)
CONDUCT_RECEIPT_FAILURES_PER_RECEIPT = env_int("CONDUCT_RECEIPT_FAILURES_PER_RECEIPT", 5)
CONDUCT_RECEIPT_FAILURES_PER_CLIENT = env_int("CONDUCT_RECEIPT_FAILURES_PER_CLIENT", 20)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["saima.core.formats"]  # dates in each language's conventions
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Files of the front-end packages the pages use, one by one (saima.core.staticfiles says why).
VENDOR_STATIC_FILES = {
    "vendor/htmx/htmx.min.js": NODE_MODULES / "htmx.org" / "dist" / "htmx.min.js",
    "vendor/echarts/echarts.min.js": NODE_MODULES / "echarts" / "dist" / "echarts.min.js",
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "saima.core.staticfiles.VendorFileFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Production serves what ``collectstatic`` gathered: hashed names, gzip and brotli copies, and a
# far-future cache (WhiteNoise marks hashed files immutable); the embedded mode serves the sources.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

REDIS_URL = env_str("REDIS_URL", "")
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # room for the anonymous intake's per-client counters (saima.core.anonymity):
            # the default 300 entries would cull the day's secret under a burst of clients
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

TASK_BACKEND = env_str("TASK_BACKEND", "database" if PRODUCTION else "immediate").strip().lower()
_task_backends = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.backend.DatabaseBackend",
}
if TASK_BACKEND not in _task_backends:
    raise ImproperlyConfigured(
        f"TASK_BACKEND: expected 'immediate' or 'database', got {TASK_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": _task_backends[TASK_BACKEND]}}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "saima@localhost")
EMAIL_ENABLED = bool(env_str("EMAIL_HOST"))

# Signs the audit checkpoints outsiders keep (saima.core.checkpoints): a base64 32-byte
# Ed25519 seed; when empty, one is derived from SECRET_KEY.
AUDIT_SIGNING_KEY = env_secret("SAIMA_AUDIT_SIGNING_KEY")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_in_one_line": {"()": "saima.config.logfilters.ForbiddenInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["forbidden_in_one_line"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
