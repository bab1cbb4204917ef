from django.apps import AppConfig, apps
from django.conf import settings
from django.db.models import Min
from django.utils import timezone


def _scheduled_fields():
    """(model, field) pairs named in PAGE_CACHE_SCHEDULED_FIELDS as "app.Model.field"."""
    for name in getattr(settings, "PAGE_CACHE_SCHEDULED_FIELDS", ()):
        label, field = name.rsplit(".", 1)
        yield apps.get_model(label), field


def next_scheduled_moment():
    """The next moment a field listed in PAGE_CACHE_SCHEDULED_FIELDS comes due, or None."""
    now = timezone.now()
    moments = []
    for model, field in _scheduled_fields():
        # One MIN per column, so each is a walk down that column's index.
        moment = model._default_manager.filter(**{f"{field}__gt": now}).aggregate(m=Min(field))
        if moment["m"]:
            moments.append(moment["m"])
    return min(moments) if moments else None


class CachingConfig(AppConfig):
    """Whole-page caching for anonymous readers, invalidated by what each page shows."""

    name = "caching"
    verbose_name = "Page cache"

    def ready(self):
        from . import generation, signals  # noqa: F401  (connects the receivers)

        # The project names the scheduled columns in its settings; the content
        # apps are never imported from here.
        generation.register_schedule_source(next_scheduled_moment)
