from django.apps import AppConfig


class CachingConfig(AppConfig):
    """Whole-page caching for anonymous readers, invalidated whenever content changes."""

    name = "caching"
    verbose_name = "Page cache"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
