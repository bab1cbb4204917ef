from django.apps import AppConfig


class DictionaryConfig(AppConfig):
    """Drug and condition names as readers and exports write them, resolved to one record."""

    name = "dictionary"
    verbose_name = "Drug dictionary"
