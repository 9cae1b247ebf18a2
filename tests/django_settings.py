"""Settings for the test run: the production settings, with a throwaway key if none is set."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from primi.settings import *  # noqa: E402,F403

# Background tasks run at once in tests, in the test's own transaction.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
