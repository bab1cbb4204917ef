from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """Editorial workflow: sign-off, revisions, citations and reports."""

    name = "editorial"
    verbose_name = "Editorial"

    def ready(self):
        from editorial.content import register_pages

        register_pages()
