"""The database cache tables of settings.CACHES (the rate limits' counts), made by `migrate`, so
that no deployment step can be forgotten; `createcachetable` skips a table that exists."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("operations", "0001_workers")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
