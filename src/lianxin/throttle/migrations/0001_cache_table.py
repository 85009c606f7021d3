"""The shared cache's table (rate-limit counters, duplicate intakes, used challenges, cached pages).

Created by `migrate`, so `make demo`, `make test` and a deployment need no `createcachetable`. The table
exists whatever CACHES says: switching from Redis back to the database cache needs no extra step.
"""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    # schema_editor is None when tests re-run the data migrations' code: the table is there already.
    alias = schema_editor.connection.alias if schema_editor is not None else "default"
    command.create_table(alias, settings.CACHE_TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(settings.CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create, drop, elidable=False)]
