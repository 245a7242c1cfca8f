"""Settings for Ethical Tech Map.

One module for every deployment: whatever differs between a laptop, CI and production comes from the
environment (see README, "Configuration"). DEBUG is off unless asked for, and with DEBUG off the
project refuses to start without a SECRET_KEY.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from ethicalmap.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: python -c "
            '"import secrets; print(secrets.token_urlsafe(50))"'
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# How many reverse proxies in front of the app add to X-Forwarded-For: the client is the address
# that many places from the right. Throttling, the form rate limit and the admin lockout use it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# The public address of the site, used for canonical links in the API and the JSON-LD. Unset, it is
# the address `make run` and `make serve` listen on, so links on a local server lead back to it.
SITE_URL = (env_str("SITE_URL") or f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "taggit",
    "simple_history",
    "csp",
    "axes",
    "django_guid",
    "taxonomy",
    "principles",
    # Before orgs: migrate creates its permissions before orgs keeps the Moderators group in step.
    "resources",
    "orgs",
    "ethicalmap",
]

MIDDLEWARE = [
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "ethicalmap.middleware.RejectNullCharactersMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that can answer (CommonMiddleware's redirects), so API answers carry CORS.
    "corsheaders.middleware.CorsMiddleware",
    # Anonymous answers from the cache, before sessions, authentication and the views run; after
    # CORS, which depends on each request's Origin.
    "ethicalmap.middleware.AnonymousCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ethicalmap.middleware.DatabaseUnavailableMiddleware",
    # Last, so it sees the result of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ethicalmap.urls"
WSGI_APPLICATION = "ethicalmap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ethicalmap.context_processors.site",
            ],
        },
    },
]

# Database: PostgreSQL in production and CI through DATABASE_URL; a SQLite file in the project
# otherwise, so `make run` needs nothing installed.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A connection per request is cheap on SQLite, and WAL lets readers work during a write.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache keeps rendered answers and counts, so a process's own memory is enough for it (a miss
# costs work, never correctness). What must hold across processes and machines (rate limits,
# single-use form stamps, API throttles, the admin lockout) is counted in Redis when it is set,
# else in the database, never in local memory: ethicalmap/limits.py and AXES_HANDLER below.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ethicalmap",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ethicalmap",
        }
    }

# How long an anonymous answer is kept at most (ethicalmap/middleware.py); 0 turns that off.
# A write to the data replaces every kept answer at once, whatever this says.
FAST_CACHE_SECONDS = env_int("FAST_CACHE_SECONDS", 600)
# Names the running code in the keys of kept answers and in ETags, so a deploy never serves the
# last release's pages from a shared cache; a digest of the code when unset (ethicalmap/release.py).
RELEASE_ID = env_str("RELEASE_ID")
# How long each process may reuse the data version it read for anonymous answers, in
# milliseconds: how late at most an anonymous visitor sees an edit. 0 reads it every request.
DATA_VERSION_MAX_AGE_MS = env_int("DATA_VERSION_MAX_AGE_MS", 1000)
# Where the open-data export is built, once per data version, and streamed from (orgs/export/).
# Each app server keeps its own; only the current version stays.
# A folder of the app's own (made private on first use), not a shared temporary one.
EXPORT_ROOT = Path(env_str("EXPORT_ROOT") or BASE_DIR / "var" / "export")
# The export of new data is built in a thread while requests get the one built before
# (orgs/export/files.py): at 100,000 organisations a build outlasts a worker's timeout.
EXPORT_BUILD_IN_BACKGROUND = env_bool("EXPORT_BUILD_IN_BACKGROUND", default=True)
# The values derived from the whole published data (the unfiltered maps, counts and insights) are
# built again when a write commits, by the writing process (ethicalmap/kept.py): in a thread of
# its own, so that a moderator's save does not wait for them.
KEPT_BUILD_ON_WRITE = env_bool("KEPT_BUILD_ON_WRITE", default=True)
KEPT_BUILD_IN_BACKGROUND = env_bool("KEPT_BUILD_IN_BACKGROUND", default=True)
# While those of the current data are built, visitors get the values last built (never kept by a
# cache), not a build of their own: no request waits seconds for one at 100,000 organisations.
KEPT_STALE_WHILE_BUILDING = env_bool("KEPT_STALE_WHILE_BUILDING", default=True)

# Sessions in the database keep app processes stateless.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Staff sessions expire: an idle moderator is logged out after this many seconds.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

AUTHENTICATION_BACKENDS = [
    # Admin sign-in is rate limited: django-axes refuses a username and client pair after
    # AXES_FAILURE_LIMIT failures for AXES_COOLOFF_TIME.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed attempts live in the shared cache when there is one (Redis, counted with atomic
# increments), else in the database (a locked row per client), never in local memory: every app
# process, on every machine, counts the same attempts. Successful sign-ins are not logged.
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler"
    if REDIS_URL
    else "axes.handlers.database.AxesDatabaseHandler"
)
AXES_DISABLE_ACCESS_LOG = True
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0

# Security. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER through the environment.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Features no page of the map uses are switched off for every page.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# Content-Security-Policy: every asset is ours, no inline script, no third-party origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The console backend prints whole messages (addresses included) to standard output, so it is only
# the default in development; production sends through SMTP unless told otherwise.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Ethical Tech Map <noreply@localhost>")

REST_FRAMEWORK = {
    # Deny by default; public read-only views opt in.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "ethicalmap.api.negotiation.ContentNegotiation",
    "EXCEPTION_HANDLER": "ethicalmap.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "ethicalmap.api.schema.AutoSchema",
    # Throttling counts in the store every process shares (ethicalmap/limits.py): Redis when
    # REDIS_URL is set, the database otherwise; never one process's memory.
    "DEFAULT_THROTTLE_CLASSES": [
        "ethicalmap.api.throttling.AnonThrottle",
        "ethicalmap.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "120/minute"),
        "user": env_str("API_USER_RATE", "600/minute"),
        "export": env_str("API_EXPORT_RATE", "30/hour"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "URL_FORMAT_OVERRIDE": "format",
}
# The API is public and read-only: any site may read it from a browser.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After", "X-Request-ID"]
CORS_PREFLIGHT_MAX_AGE = 60 * 60 * 24
SPECTACULAR_SETTINGS = {
    "TITLE": "Ethical Tech Map API",
    "DESCRIPTION": (
        "Read-only, anonymous access to the published data of the Ethical Tech Map: "
        "organisations, the shared definitions (vocabularies and terms), the product principles, "
        "the shared resources, the links between organisations, statistics and a full "
        "open-data export. "
        "The data is open under CC BY 4.0: credit the Ethical Tech Map."
    ),
    "VERSION": "1",
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SERVE_INCLUDE_SCHEMA": False,
    # Where an organisation is based and where it works take the same regions: one enum. Links
    # between organisations and resources each have their own kinds: an enum each, named so.
    "ENUM_NAME_OVERRIDES": {
        "RegionEnum": "orgs.models.Region",
        "RelationshipKindEnum": "orgs.models.Relationship.Kind",
        "ResourceKindEnum": "resources.models.Resource.Kind",
    },
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No request to a validator service: the docs make no third-party request.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    # Anonymous: no sign-in to describe.
    "AUTHENTICATION_WHITELIST": [],
    "TAGS": [
        {"name": "organisations", "description": "Organisations on the map."},
        {"name": "relationships", "description": "Links between organisations."},
        {"name": "vocabularies", "description": "The controlled lists of terms."},
        {"name": "terms", "description": "The shared definitions."},
        {"name": "principles", "description": "The product principles and maturity model."},
        {"name": "resources", "description": "Shared resources, case studies and other maps."},
        {"name": "stats", "description": "Counts, and the gaps in the map."},
        {"name": "export", "description": "Everything, as one open-data package."},
    ],
}

# Logs: one JSON object a line in production (LOG_FORMAT=json, the default with DEBUG off), plain
# text in development. Every line carries the request id (X-Request-ID, from the proxy or made
# here), and a filter masks anything shaped like an email address as a last line of defence.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "django_guid.log_filters.CorrelationId"},
        "no_personal_data": {"()": "ethicalmap.logging.RedactPersonalData"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(correlation_id)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "correlation_id": "request_id",
            },
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "no_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django_guid": {"level": "WARNING"},
    },
}
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    # CORS_EXPOSE_HEADERS exposes it to other sites, with the API's own headers.
    "EXPOSE_HEADER": False,
}

TAGGIT_CASE_INSENSITIVE = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Community submissions and moderation (orgs.services, orgs.antiabuse) ---
# Who hears about new submissions; when empty, the active members of the Moderators group.
MODERATOR_EMAILS = env_list("MODERATOR_EMAILS")
# Public form posts a client may make per hour (counted by a salted hash, never the address).
SUBMISSION_RATE_LIMIT = env_int("SUBMISSION_RATE_LIMIT", 20)
# Seconds a person needs at the least to fill in a form; quicker posts are asked to send again.
SUBMISSION_MIN_FILL_SECONDS = env_int("SUBMISSION_MIN_FILL_SECONDS", 3)
# Days after a decision before a submitter's name, email and connection are removed.
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 180)
