"""A first data version for each register, and the database cache table (the default shared cache,
settings CACHES) created with the schema, so a clean checkout needs nothing more than `migrate`."""

import uuid

from django.core.management import call_command
from django.db import migrations


def seed(apps, schema_editor):
    DataVersion = apps.get_model("metrics", "DataVersion")
    alias = schema_editor.connection.alias
    for register in ("tasks", "dossiers"):
        DataVersion.objects.using(alias).get_or_create(
            register=register, defaults={"token": uuid.uuid4().hex}
        )


def cache_table(apps, schema_editor):
    # Only creates the tables of database caches in settings.CACHES (none when CACHE_URL is Redis);
    # idempotent, so `congvu createcachetable` after a change of CACHES is safe too.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(cache_table, migrations.RunPython.noop),
    ]
