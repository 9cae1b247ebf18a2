"""Settings for a production server behind HTTPS (DJANGO_SETTINGS_MODULE=primi.production_settings).

Everything of `primi.settings` (read from the environment), plus what `manage.py check --deploy`
asks of a site served over HTTPS: secure cookies, HSTS, redirection to HTTPS. A reverse proxy
that terminates TLS must set X-Forwarded-Proto and PRIMI_TRUSTED_PROXY=1. Logs are JSON lines at
level INFO unless PRIMI_LOG_FORMAT / PRIMI_LOG_LEVEL say otherwise. Static files carry a hash of
their content in their names, so browsers may keep them for a year: run `collectstatic` after
every upgrade (a page naming a file missing from the manifest cannot be drawn).
"""

import os

from primi.operations.logging_config import logging_config
from primi.settings import *  # noqa: F403
from primi.settings import PRIMI_TRUSTED_PROXY, STORAGES

DEBUG = False
SECURE_SSL_REDIRECT = os.environ.get("PRIMI_SSL_REDIRECT", "1") == "1"
if PRIMI_TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("PRIMI_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = logging_config({"PRIMI_LOG_FORMAT": "json", "PRIMI_LOG_LEVEL": "INFO", **os.environ})
