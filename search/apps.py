from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _reinstall_sqlite_triggers(sender, using, **kwargs):
    """SQLite loses a table's triggers when a migration rebuilds it: put ours back."""
    from django.db import connections

    from . import triggers

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    needed = {"search_slugredirect", *triggers.SLUG_TABLES.values()}
    if connection.vendor == "sqlite" and needed <= tables:
        triggers.install(connection)


class SearchConfig(AppConfig):
    """Site search, compare pages, sitemaps and feeds."""

    name = "search"
    verbose_name = "Search"

    def ready(self):
        post_migrate.connect(_reinstall_sqlite_triggers, sender=self)
