from django.apps import AppConfig


class LeafletsConfig(AppConfig):
    """Patient information: how to take a drug, missed doses, storage and the rest."""

    name = "leaflets"
    verbose_name = "Patient information"

    def ready(self):
        from drugs.views import drug_page_context_hooks
        from leaflets.views import drug_page_context

        # The drug's pages show its patient information; drugs knows nothing of this app.
        if drug_page_context not in drug_page_context_hooks:
            drug_page_context_hooks.append(drug_page_context)

        from drugs.models import Drug
        from leaflets.models import LeafletSection
        from versions.spec import Child, add_child

        # The sections are part of the drug page: covered by its versions and sign-off.
        add_child(
            Drug,
            Child(
                "leaflet_sections",
                LeafletSection,
                "drug_id",
                ("kind", "body", "position"),
                "Patient information",
                ("kind",),
            ),
        )
