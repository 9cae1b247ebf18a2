"""Django for a benchmark: a throwaway PRIMI_HOME, settings, and the migrated schema.

SQLite in PRIMI_HOME by default; PostgreSQL when DATABASE_URL is set (`scripts/with-postgres`).
"""

import os
import tempfile


def setup_django() -> None:
    """A throwaway PRIMI_HOME, settings, and the migrated schema."""
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
    os.environ["PRIMI_HOME"] = tempfile.mkdtemp(prefix="primi-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "primi.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
