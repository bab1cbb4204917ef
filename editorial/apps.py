from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """Editorial workflow: sign-off, revisions, citations and reports."""

    name = "editorial"
    verbose_name = "Editorial"

    def ready(self):
        import reversion

        from drugs.models import Condition, Drug, DrugSideEffect, Indication, IndicationSection
        from editorial.models import Citation

        # A page's version holds its rows on other tables too, so history shows
        # (and restore brings back) side effects, sections and sources with it.
        for model, follow in (
            (Drug, ("side_effects", "citations")),
            (Condition, ()),
            (Indication, ("sections", "citations")),
            (DrugSideEffect, ()),
            (IndicationSection, ()),
            (Citation, ()),
        ):
            if not reversion.is_registered(model):
                reversion.register(model, follow=follow)
