"""Settings for Xinjing Highlights, read from the environment with safe development defaults."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=env_bool("DEBUG", default=False))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DJANGO_DEBUG is off (production). "
            "Set DJANGO_DEBUG=1 for local development."
        )
    # Only ever used with DEBUG on, on a developer's own machine.
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

# The site's one address, for every absolute URL it writes (canonical links, share tags,
# hreflang, JSON-LD, feeds, the sitemap, QR codes, the PDF): never taken from a request's Host
# header, which a visitor chooses. scheme://host[:port], no path.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL must be set when DJANGO_DEBUG is off (production), e.g. "
        "https://xinjing.example.org: every absolute URL the site writes starts with it."
    )

# Mail to staff (a column about to go stale): printed to the console in development; in
# production through the SMTP server the environment names.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

INSTALLED_APPS = [
    # modeltranslation must precede django.contrib.admin to patch its forms.
    "modeltranslation",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "xinjing.apps.StaticFilesConfig",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Third party
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "dbbackup",
    # Local
    "highlights",
]

MIDDLEWARE = [
    "highlights.middleware.OversizedRequestMiddleware",
    # Before the page cache: a schedule that has fallen due is published before a page is read.
    "highlights.middleware.ScheduledPublishingMiddleware",
    # An anonymous visitor's cached page is answered here, before everything below: it was
    # stored with the headers the middleware below added (HSTS and the other security headers,
    # CSP, Permissions-Policy, X-Frame-Options, its ETag), and the cache answers conditional
    # requests itself. Static files (WhiteNoise) never reach the page cache.
    "highlights.cache.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "highlights.middleware.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns lockouts raised during login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses logins for locked-out username and IP pairs before checking the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "xinjing.urls"

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
                "highlights.context_processors.site_identity",
                "highlights.context_processors.columns",
                "highlights.context_processors.care_mode",
            ],
        },
    },
]

WSGI_APPLICATION = "xinjing.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite served by several workers: readers never wait for a writer (WAL), a commit does
    # not wait for the disk (synchronous=NORMAL: the last commits may be lost with the machine,
    # never corrupted), and a transaction that will write takes the lock when it begins,
    # waiting up to 20 s for it, rather than failing with "database is locked" when two staff
    # save (or open a form, which records them as present) at the same moment.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
# How the language switch names each language (in that language), and Open Graph's locales.
LANGUAGE_SWITCH_LABELS = {"zh-hans": "中文", "en": "English"}
OPEN_GRAPH_LOCALES = {"zh-hans": "zh_CN", "en": "en_US"}
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "zh-hans"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("zh-hans",)

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Django serves media itself in development; in production a web server in front does (see
# deploy/nginx.conf), unless SERVE_MEDIA=1 asks Django to (as `make serve` does).
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG)
# The largest document a notice may carry (highlights/attachments.py), in bytes: within the
# request size deploy/nginx.conf lets through.
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))

STORAGES = {
    "default": {"BACKEND": "highlights.media.MediaStorage"},
    # Where `manage.py dbbackup` and `mediabackup` write a site's backups (deploy/README.md).
    "dbbackup": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("BACKUP_ROOT", BASE_DIR / "backups")},
    },
    "staticfiles": {
        # Content-hashed, compressed files with far-future cache headers in production; plain
        # files in development, where nothing has been collected.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Source maps are fetched, uncompressed, only by developers' tools; compressing them twice
# (gzip and Brotli) took about 6 of collectstatic's 14 s.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# Pages name static files by their hashed names only ({% static %}), so no unhashed copy is kept:
# half as much to compress (Brotli takes 3 s for each copy of Swagger UI's bundle alone).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
# In development WhiteNoise serves straight from the app and static folders, nothing collected.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# The anonymous page cache: local memory by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Short socket timeouts: a Redis that is down or hung costs a request half a second at most,
# after which the page cache steps aside for a few seconds (highlights/cache.py).
REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5"))


def cache_at_redis(location: str, key_prefix: str, timeout_seconds: float) -> dict:
    """The cache at a Redis URL. django-redis, not Django's own backend: Django's builds a new
    client object for every operation, which was most of the time of a page served from the
    cache (two operations a hit)."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": timeout_seconds,
            "SOCKET_TIMEOUT": timeout_seconds,
        },
    }


# Whole pages are also kept in each process's own memory, in front of Redis where there is one
# (highlights.cache.LocalPages).
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "xinjing")
CACHES = {
    "default": (
        cache_at_redis(REDIS_URL, CACHE_KEY_PREFIX, REDIS_TIMEOUT_SECONDS)
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "xinjing"}
    )
}
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

LOGIN_URL = "admin:login"
# Where a login lands when its ?next= is missing or refused (not Django's /accounts/profile/).
LOGIN_REDIRECT_URL = "admin:index"
# Moving the admin away from the well-known /admin/ path cuts down automated password guessing.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/")
PAGE_CACHE_SKIP_PREFIXES = (
    f"/{ADMIN_URL}",
    f"/en/{ADMIN_URL}",
    "/api/",
    "/i18n/",
    "/media/",
    f"/{STATIC_URL}",
)

# modeltranslation's tabbed admin loads jQuery UI from a CDN by default; residents and staff may
# have no internet access beyond this server, so the admin serves a vendored copy instead.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Widths, in pixels, of the responsive renditions made for every image (never upscaled).
# After changing them, run `manage.py renditions` to rebuild the files.
IMAGE_RENDITION_WIDTHS = (480, 960, 1600)

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["highlights.renderers.SafeJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "highlights.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Xinjing Highlights open data API",
    "DESCRIPTION": (
        "Read-only access to what Xinjing Town publishes: its yearly reviews (reviews, keywords, "
        "initiatives, figures and awards) and its columns (news, notices, places and service "
        "guides). Choose the language with ?lang=zh-hans or ?lang=en, or the Accept-Language "
        "header."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API's reference page is served from our own static files: nothing loads from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# HTTPS hardening, on by default in production. `make serve` turns it off to run over plain
# HTTP on 127.0.0.1; a real deployment terminates TLS in front (see deploy/).
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
TRUST_X_FORWARDED_PROTO = env_bool("TRUST_X_FORWARDED_PROTO", default=False)
if TRUST_X_FORWARDED_PROTO:
    # Only behind a proxy that always sets this header itself (deploy/nginx.conf does).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app append the address they were reached from to
# X-Forwarded-For: one behind the documented nginx (which also sets X-Forwarded-Proto), none
# when the app is reached directly. Login lockouts count against that address.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "1" if TRUST_X_FORWARDED_PROTO else "0"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy for the public site: our own scripts, styles and images only, no
# inline code (pages have none: JSON-LD is a data block, not a script). The admin, whose
# templates and widgets use inline styles, is left to its own defaults.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [f"/{ADMIN_URL}", f"/en/{ADMIN_URL}"],
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
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)

# Admin logins: five wrong passwords for a username from one address lock that pair out for
# fifteen minutes, and twenty from one address (whatever usernames it tries) lock that address;
# the same user from elsewhere still logs in. The address is the client's behind
# the proxy (highlights/logins.py). Publishers see and lift lockouts in the admin.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_LOCKOUT_PARAMETERS = "highlights.logins.lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "highlights.logins.client_address"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Staff sessions end after eight hours, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Errors and warnings go to stderr, one line each, in a form an operator can grep:
# "2026-11-25 10:00:00,000 ERROR django.request Internal Server Error: /path/".
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's own default sends request errors to mail_admins only; these propagate to root.
        "django": {"level": os.environ.get("LOG_LEVEL", "WARNING")},
        # Anyone can send any Host header, and each is answered with a 400: logging each at
        # ERROR (with a traceback) would let a client flood the log. nginx's log keeps them.
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}
