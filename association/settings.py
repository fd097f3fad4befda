"""Settings, read from the environment in this one place.

DEBUG, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and REDIS_URL come from the
environment. Without DATABASE_URL the embedded PostgreSQL is used (see
``association.embedded_db``); production (DEBUG off) refuses to start without a real
secret key, a database URL and a shared cache (or SINGLE_PROCESS_CACHE=true).
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105 — refused when DEBUG is off
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of 50+ characters when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}
elif DEBUG or env_bool("EMBEDDED_DB"):
    from association.embedded_db import embedded_database_url

    DATABASES = {"default": dj_database_url.parse(embedded_database_url(), conn_max_age=60, conn_health_checks=True)}
else:
    raise ImproperlyConfigured("DATABASE_URL must be set when DEBUG is off.")

# Read replicas (core/replicas.py): DATABASE_REPLICA_URLS, comma-separated streaming standbys
# of DATABASE_URL. Anonymous page views read from them; staff, the admin, forms, imports and
# a client for REPLICA_PIN_SECONDS after its own write read the primary. A replica that does
# not answer (within REPLICA_CONNECT_TIMEOUT s) or replays more than REPLICA_MAX_LAG_SECONDS
# behind (checked at most every REPLICA_CHECK_SECONDS) is left out until it recovers.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _replica = dj_database_url.parse(_url, conn_max_age=60, conn_health_checks=True)
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", int(os.environ.get("REPLICA_CONNECT_TIMEOUT", 2)))
    _replica["TEST"] = {"MIRROR": "default"}  # tests see the primary's test database through it
    DATABASES[f"replica{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["core.replicas.ReplicaRouter"] if DATABASE_REPLICAS else []
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", 5))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", 2))
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", 10))

INSTALLED_APPS = [
    "modeltranslation",  # before admin, so that the admin gets the translation tabs
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "csp",
    "simple_history",
    "association.axes_app.SignInProtectionConfig",  # django-axes
    # The order of registration in the content registry: search results list partners first.
    "core",
    "partners",
    "events",
    "societies",
    "subscriptions",
    "association",
]

# The benchmark tools (synthetic demo data, the ceiling view) are installed only when asked for.
BENCH = env_bool("BENCH")
if BENCH:
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "association.middleware.HeadWithoutBodyMiddleware",
    "association.middleware.RequestLogMiddleware",
    "association.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "association.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # Serves collected static files, compressed, from the app process (no separate web server needed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Which database the request reads: a replica for anonymous page views (core/replicas.py).
    "core.replicas.ReplicaMiddleware",
    # Anonymous public pages from the cache, before sessions or the database are touched.
    "core.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "association.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into a clear refusal.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "association.urls"
WSGI_APPLICATION = "association.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "association.context_processors.site",
            ],
        },
    },
]

# Sign-in protection (django-axes; association/signin.py): after AXES_FAILURE_LIMIT failed
# admin sign-ins for one user name from one address, that pair — and only that pair — is
# locked out for AXES_COOLOFF_TIME, so a stranger cannot lock a staff member out. The
# address is the client's: behind TRUSTED_PROXY_COUNT reverse proxies (1 behind the nginx
# of docs/OPERATIONS.md) it is read from X-Forwarded-For, which is ignored otherwise.
# Editors lift a lockout in the admin (Access attempts → Unlock), or
# `manage.py axes_reset_username <name>`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "association.signin.client_address"
AXES_LOCKOUT_CALLABLE = "association.signin.lockout_response"
# The wait shown on the lockout page holds: attempts during a lockout do not restart it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Russian is the language of record and must come first (modeltranslation
# takes the first language as its default).
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English")), ("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "ru"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ru",), "vi": ("en", "ru"), "en": ("ru",)}
# modeltranslation's admin tabs need jQuery UI: self-hosted, never from a CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = os.environ.get("MEDIA_URL", "media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))


def media_storage(url: str) -> dict:
    """The storage of uploads named by ``MEDIA_STORAGE_URL`` (Django's storage API is all the code uses).

    - unset or ``file:///srv/media``: a folder (``MEDIA_ROOT`` by default), served at ``MEDIA_URL``;
    - ``s3://bucket/prefix?region_name=…&endpoint_url=…&custom_domain=cdn.example.org``: an
      S3-compatible bucket through django-storages (install ``django-storages[s3]``; the
      credentials come from ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``); every query
      parameter is an option of its ``S3Storage`` (``true``/``false`` become booleans);
    - ``memory://``: in memory, gone with the process (tests, demonstrations).
    """
    parts = urlsplit(url)
    options = {key: {"true": True, "false": False}.get(value, value) for key, value in parse_qsl(parts.query)}
    if parts.scheme in {"", "file"}:
        folder = {"location": parts.path} if parts.path else {}  # MEDIA_ROOT by default
        return {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": folder}
    if parts.scheme == "memory":
        return {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    if parts.scheme == "s3":
        if importlib.util.find_spec("storages") is None:
            raise ImproperlyConfigured("MEDIA_STORAGE_URL=s3://… needs django-storages[s3] installed.")
        location = parts.path.strip("/")
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": parts.netloc, "location": location, **options},
        }
    raise ImproperlyConfigured(f"MEDIA_STORAGE_URL: unknown scheme {parts.scheme!r} (file, s3 or memory).")


MEDIA_STORAGE_URL = os.environ.get("MEDIA_STORAGE_URL", "")
# Hashed, pre-compressed static names in production; DEBUG keeps plain names without collectstatic.
STORAGES = {
    "default": media_storage(MEDIA_STORAGE_URL),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if urlsplit(MEDIA_STORAGE_URL).scheme == "file":
    MEDIA_ROOT = Path(STORAGES["default"]["OPTIONS"]["location"])

# The cache (public pages, their tags' versions, derived values, rate limits) is shared
# by every process through Redis (REDIS_URL). The per-process local-memory cache is for
# development and for a single process only: with DEBUG off the site refuses to start on
# it unless SINGLE_PROCESS_CACHE=true says there is one process (`make serve` without
# REDIS_URL runs one gunicorn worker and says so). CACHE_KEY_PREFIX separates sites or
# runs sharing one Redis. docs/OPERATIONS.md, "Deploy" and "Scale out".
SINGLE_PROCESS_CACHE = env_bool("SINGLE_PROCESS_CACHE")
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's Redis cache, read as empty while Redis is unreachable (core/cache_backends.py).
            "BACKEND": "core.cache_backends.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
            # Each process keeps a copy of the pages and versions it read, told of changes by
            # Redis (core/near_cache.py): a page-cache hit then asks Redis nothing. 0 turns it off.
            "OPTIONS": {
                "NEAR_CACHE_BYTES": int(os.environ.get("NEAR_CACHE_MB", 64)) * 2**20,
                "NEAR_CACHE_SECONDS": int(os.environ.get("NEAR_CACHE_SECONDS", 60)),
            },
        }
    }
elif DEBUG or SINGLE_PROCESS_CACHE:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Pages, and a version per record they show: more than the default 300 entries.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("LOCAL_CACHE_ENTRIES", 20000))},
        }
    }
else:
    raise ImproperlyConfigured(
        "REDIS_URL must be set when DEBUG is off: every process must share the page cache and its "
        "invalidation. For a single process only, set SINGLE_PROCESS_CACHE=true."
    )
# Sessions (staff only: visitors get none) live in the database, shared by every process.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Lifetime of a cached public page; content changes invalidate it earlier (core.cache).
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", 0 if DEBUG else 600))
# Lifetime of values derived from the content (menu, home figures, filter choices); content
# changes invalidate them earlier too. 0 turns them off (core.cache.derived).
DERIVED_CACHE_SECONDS = int(os.environ.get("DERIVED_CACHE_SECONDS", 600))

# The organisation's name, in the language of the page: titles, feeds, open data, schema.org.
SITE_NAME = _("St. Petersburg Association for International Cooperation")

# Mail (the e-mail subscriptions): EMAIL_URL names the SMTP server, e.g.
# smtp://user:password@host:587/?tls=True or smtps://user:password@host:465 (dj-email-url);
# without it, development writes every mail to the console and production hands it to
# the local mail server on port 25.
EMAIL_TIMEOUT = 30  # seconds; a ?timeout= in EMAIL_URL overrides it
if os.environ.get("EMAIL_URL"):
    _email = dj_email_url.parse(os.environ["EMAIL_URL"])
    globals().update({key: value for key, value in _email.items() if value is not None})
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The address of the site in links of e-mails (no request to take it from when digests are sent).
SITE_URL = os.environ.get("SITE_URL") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{(ALLOWED_HOSTS or ['localhost'])[0].lstrip('.')}"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or f"noreply@{urlsplit(SITE_URL).hostname}"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Subscription requests allowed per address and per client (as django-axes identifies it) in one window.
SUBSCRIBE_RATE_PER_ADDRESS = int(os.environ.get("SUBSCRIBE_RATE_PER_ADDRESS", 3))
SUBSCRIBE_RATE_PER_CLIENT = int(os.environ.get("SUBSCRIBE_RATE_PER_CLIENT", 10))
SUBSCRIBE_RATE_WINDOW = 60 * 60

# Production hardening; `manage.py check --deploy` is clean with DEBUG off
# (tests/association/test_security.py runs it).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
# Load balancers probe over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Security headers on every response (the rest come from SecurityMiddleware's defaults:
# X-Content-Type-Options nosniff, Cross-Origin-Opener-Policy same-origin).
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp): everything from this origin, no inline script
# or style anywhere, the admin included (Django 5.2's admin and modeltranslation's
# tabs need none; tests/association/test_security.py checks their pages).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Hostile or oversized input: bodies above REQUEST_MAX_BODY_SIZE are refused with 413
# before Django reads them (association.middleware); form data above
# DATA_UPLOAD_MAX_MEMORY_SIZE or with too many fields is refused with 400. Report
# uploads (at most 5 MB) fit under the body limit.
REQUEST_MAX_BODY_SIZE = int(os.environ.get("REQUEST_MAX_BODY_SIZE", 10 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# While the database is down, public pages answer 503 with this Retry-After (seconds).
DATABASE_RETRY_AFTER = 30

# `make backup` / `manage.py backup`: where the archives go (a private folder) and how many
# of the newest are kept there (0 keeps all). docs/OPERATIONS.md, "Back up and restore".
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or BASE_DIR / "var" / "backups")
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", 14))

# JSON lines (association.structured_logging) unless LOG_FORMAT=text; DEBUG defaults to text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "association.structured_logging.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "filters": {"without_traceback": {"()": "association.structured_logging.WithoutTraceback"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "text" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # pgserver reports each process's exit at INFO; only its problems matter.
    # A Host header not in ALLOWED_HOSTS is answered 400 and logged in one line, without a traceback.
    "loggers": {
        "pgserver": {"level": "WARNING"},
        "django.security.DisallowedHost": {"filters": ["without_traceback"]},
    },
}
