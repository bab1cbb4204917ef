from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site search, compare pages, sitemaps and feeds."""

    name = "search"
    verbose_name = "Search"
