from django.apps import AppConfig


class DrugsConfig(AppConfig):
    """Drugs, conditions, drug-for-condition articles and side effects."""

    name = "drugs"
    verbose_name = "Drugs"
