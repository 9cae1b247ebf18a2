"""Settings for PRIMI, read from the environment.

PRIMI_HOME holds the embedded database and uploaded files; DATABASE_URL selects PostgreSQL;
SECRET_KEY must come from the environment; debug only with PRIMI_DEBUG=1.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from primi.operations.logging_config import logging_config

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
PRIMI_HOME = Path(os.environ.get("PRIMI_HOME", "var")).resolve()

DEBUG = os.environ.get("PRIMI_DEBUG") == "1"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment (`make demo` creates one in PRIMI_HOME)."
    )

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("PRIMI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "primi.standard",
    "primi.store",
    "primi.ingest",
    "primi.checks",
    "primi.quality",
    "primi.workflow",
    "primi.audit",
    "primi.tokens",
    "primi.findings",
    "primi.deadlines",
    "primi.sandbox",
    "primi.sdmx",
    "primi.api",
    "primi.portal",
    "primi.operations",
]

MIDDLEWARE = [
    # Outermost: one structured line per request, its time including every other layer.
    "primi.operations.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outermost after security: CORS, Vary and gzip for /rest and /api, OPTIONS answered here.
    "primi.sdmx.http.MachineHttpMiddleware",
    # Before sessions and views: a refused request costs no database work.
    "primi.operations.rate_limits.RateLimitMiddleware",
    # Before sessions and CSRF (which read form bodies): a body larger than any upload is refused
    # from its Content-Length, before Django writes it to a temporary file.
    "primi.operations.body_limit.BodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, but a 404 under /rest or /api is not redirected to /es/...
    "primi.sdmx.http.MachinePathLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "primi.portal.embedding.EmbeddableChartsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: refuses sign-in after repeated failures (AXES_* below).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "primi.urls"
WSGI_APPLICATION = "primi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project templates first: they replace those of django.contrib.admin (logged_out.html).
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "primi.portal.context_processors.synthetic_data",
                "primi.portal.context_processors.language_links",
                "primi.portal.context_processors.navigation",
                "primi.portal.context_processors.chart_locale",
            ],
        },
    },
]

# Each worker keeps its connection for PRIMI_CONN_MAX_AGE seconds (0: one per request): a new
# connection per request cost a small SDMX answer about as much time as its query. With
# PRIMI_CONN_HEALTH_CHECKS=1 (default) a kept connection is checked by a query before each
# request's first one, so a restarted database costs no request an error.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{PRIMI_HOME / 'primi.sqlite3'}",
        conn_max_age=int(os.environ.get("PRIMI_CONN_MAX_AGE", "600")),
        conn_health_checks=os.environ.get("PRIMI_CONN_HEALTH_CHECKS", "1") == "1",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español"), ("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PRIMI_HOME / "static"
NODE_MODULES = Path(os.environ.get("PRIMI_NODE_MODULES", REPO_DIR / "node_modules"))
# The npm files the pages load, served under /static/vendor/<name>/ (operations.vendor_finder),
# with the source maps those files name on their last line.
VENDOR_FILES = {
    "vega": ("vega/build", ["vega.min.js"]),
    "vega-lite": ("vega-lite/build", ["vega-lite.min.js", "vega-lite.min.js.map"]),
    "vega-embed": ("vega-embed/build", ["vega-embed.min.js", "vega-embed.min.js.map"]),
    "world-atlas": ("world-atlas", ["countries-50m.json"]),
    "htmx": ("htmx.org/dist", ["htmx.min.js"]),
    "swagger-ui": (
        "swagger-ui-dist",
        ["swagger-ui.css", "swagger-ui.css.map", "swagger-ui-bundle.js"],
    ),
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "primi.operations.vendor_finder.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = PRIMI_HOME / "uploads"
FILE_UPLOAD_PERMISSIONS = 0o600
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling: after 5 failures for one user name from one address, an hour's wait.
AXES_FAILURE_LIMIT = int(os.environ.get("PRIMI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
# Behind a reverse proxy that sets X-Forwarded-For (production), trust its first address.
PRIMI_TRUSTED_PROXY = os.environ.get("PRIMI_TRUSTED_PROXY") == "1"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if PRIMI_TRUSTED_PROXY else ["REMOTE_ADDR"]
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workflow:inbox"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# `primi worker` (primi.operations.workers): a heartbeat every few seconds; a worker on another
# machine silent for longer than the stale time is taken for dead and its task queued again, up to
# the attempts (claims) below, then failed and reported. On its own machine a dead worker is seen
# at once (its process is gone).
PRIMI_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("PRIMI_WORKER_HEARTBEAT_SECONDS", "5"))
PRIMI_WORKER_STALE_SECONDS = float(os.environ.get("PRIMI_WORKER_STALE_SECONDS", "60"))
PRIMI_TASK_MAX_ATTEMPTS = int(os.environ.get("PRIMI_TASK_MAX_ATTEMPTS", "3"))

# Reminders and other mail: SMTP when PRIMI_EMAIL_HOST is set, else printed on the console.
EMAIL_HOST = os.environ.get("PRIMI_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("PRIMI_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("PRIMI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PRIMI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = bool(EMAIL_HOST)
DEFAULT_FROM_EMAIL = os.environ.get("PRIMI_FROM_EMAIL", "PRIMI <primi@localhost>")
PRIMI_SITE_URL = os.environ.get("PRIMI_SITE_URL", "")

PRIMI_UPLOAD_MAX_BYTES = int(os.environ.get("PRIMI_UPLOAD_MAX_BYTES", str(200 * 1024 * 1024)))
PRIMI_UPLOAD_MAX_ROWS = int(os.environ.get("PRIMI_UPLOAD_MAX_ROWS", "5000000"))
# Observations one SDMX data answer may hold; above it the answer is 413 with the count.
PRIMI_SDMX_MAX_OBSERVATIONS = int(os.environ.get("PRIMI_SDMX_MAX_OBSERVATIONS", "5000000"))
# Observations one portal download (CSV, xlsx) may hold; above it a page says how many.
PRIMI_PORTAL_MAX_OBSERVATIONS = int(os.environ.get("PRIMI_PORTAL_MAX_OBSERVATIONS", "1000000"))

LOGGING = logging_config(os.environ)

# Rate limits (primi.operations.rate_limits)
# "N/SECONDS" per client: under /rest/ and /api/ per API token (else per address), and sign-in
# POSTs per address; empty or 0 turns a limit off. Counts are kept in the cache
# PRIMI_RATE_LIMIT_CACHE: on PostgreSQL a database table (`migrate` makes it) shared by every
# process on every machine. On SQLite, the one-machine demo, each process's memory: a table there
# would make every API request a write, waiting behind a load's transaction for SQLite's one
# writer (up to its 20 s timeout), and Django's file cache lists its whole folder on every write
# (0.5 ms a request after 100 requests, 1.4 ms after 2,000, measured). With several gunicorn
# processes on SQLite the limit holds per process.
PRIMI_RATE_LIMIT_MACHINE = os.environ.get("PRIMI_RATE_LIMIT_MACHINE", "1200/60")
PRIMI_RATE_LIMIT_LOGIN = os.environ.get("PRIMI_RATE_LIMIT_LOGIN", "60/300")
PRIMI_RATE_LIMIT_CACHE = "rate_limits"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    PRIMI_RATE_LIMIT_CACHE: {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
        if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        else "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "primi_rate_limits",  # the table's name, on PostgreSQL
        "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 4},
    },
}
# Sign-in lockouts (django-axes) see the same client address as the limits: behind the trusted
# proxy, the address the proxy saw, not one the client wrote into X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "primi.operations.rate_limits.client_address"
