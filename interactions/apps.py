from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    """Curated interactions between drugs, and with alcohol, food or supplements."""

    name = "interactions"
    verbose_name = "Interactions"

    def ready(self):
        from drugs.views import drug_page_context_hooks
        from interactions.views import drug_page_context

        # The drug's pages show its interactions; drugs knows nothing of this app.
        if drug_page_context not in drug_page_context_hooks:
            drug_page_context_hooks.append(drug_page_context)

        from interactions.models import Interaction, InteractionSource
        from versions.spec import Child, PageSpec, register

        register(
            PageSpec(
                Interaction,
                fields=(
                    "drug",
                    "kind",
                    "other_drug",
                    "other_name",
                    "severity",
                    "summary",
                    "what_happens",
                    "what_to_do",
                ),
                children=[
                    Child(
                        "sources",
                        InteractionSource,
                        "interaction_id",
                        ("title", "publisher", "year", "url", "position"),
                        "Sources",
                        ("title",),
                    )
                ],
            )
        )
