from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Site pages, health checks and error pages."""

    name = "pages"
    verbose_name = "Pages"
