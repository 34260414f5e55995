"""The cache table of the embedded default (settings.CACHES: the database, so that every process
shares rate limits and page generations). Where the cache is Redis, createcachetable does
nothing."""

from django.core.management import call_command
from django.db import migrations


def cache_table_create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("kecamatan", "0020_recompute_run_data_date")]

    operations = [migrations.RunPython(cache_table_create, migrations.RunPython.noop)]
