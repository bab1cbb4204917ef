"""pg_trgm, stored search vectors kept current by triggers, GIN indexes, slug redirects.

On PostgreSQL: the extension, triggers and indexes; on SQLite: the slug-redirect
triggers only. Other databases: nothing.
"""

from django.db import migrations

from search import triggers


def forwards(apps, schema_editor):
    triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_slug_redirects"),
        ("drugs", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
