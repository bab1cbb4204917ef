from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Side-effect mentions in reviews and screening for moderators."""

    name = "insights"
    verbose_name = "Insights"
