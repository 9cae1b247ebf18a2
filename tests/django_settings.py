"""Settings for the test run: the production settings, with a throwaway key if none is set."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from primi.settings import *  # noqa: E402,F403

# Background tasks run at once in tests, in the test's own transaction.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Django's advice for test runs: a fast hasher. Each of the workflow's people otherwise costs
# about half a second of PBKDF2; the production settings keep Django's default hashers.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Rate limits off: a suite's thousands of requests from one test address are not a client to
# limit. tests/hostile/test_rate_limits.py sets its own limits and clock.
PRIMI_RATE_LIMIT_MACHINE = PRIMI_RATE_LIMIT_LOGIN = "0"
