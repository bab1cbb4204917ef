"""The staff groups and exactly the permissions each needs.

Editors write and publish; medical reviewers read everything and sign off;
moderators handle patient reviews. Nobody but a superuser deletes a page:
pages are archived, so their history stays.
"""

PAGE_MODELS = ("drug", "condition", "indication")
REFERENCE_MODELS = ("drugclass", "activeingredient", "sideeffect")
ROWS_EDITED_INLINE = ("indicationsection", "drugsideeffect")
READ_CONTENT = [
    f"drugs.view_{model}" for model in PAGE_MODELS + REFERENCE_MODELS + ROWS_EDITED_INLINE
]
# Patient information (edited inline on the drug) and interactions (pages of their own).
PATIENT_INFORMATION_READ = [
    "leaflets.view_leafletsection",
    "interactions.view_interaction",
    "interactions.view_interactionsource",
]
PATIENT_INFORMATION_EDIT = [
    *(f"leaflets.{action}_leafletsection" for action in ("add", "change", "delete")),
    *(f"interactions.{action}_interaction" for action in ("add", "change")),
    *(f"interactions.{action}_interactionsource" for action in ("add", "change", "delete")),
]

GROUP_PERMISSIONS = {
    "Editors": sorted(
        {
            *READ_CONTENT,
            *(f"drugs.{action}_{model}" for model in PAGE_MODELS for action in ("add", "change")),
            *(
                f"drugs.{action}_{model}"
                for model in REFERENCE_MODELS
                for action in ("add", "change")
            ),
            *(
                f"drugs.{action}_{model}"
                for model in ROWS_EDITED_INLINE
                for action in ("add", "change", "delete")
            ),
            *(f"editorial.{action}_citation" for action in ("add", "change", "delete", "view")),
            *PATIENT_INFORMATION_READ,
            *PATIENT_INFORMATION_EDIT,
            "editorial.view_signoff",
            "editorial.view_reviewerprofile",
            "editorial.publish_content",
            "editorial.view_editorial_reports",
        }
    ),
    "Medical reviewers": sorted(
        {
            *READ_CONTENT,
            *PATIENT_INFORMATION_READ,
            "editorial.view_citation",
            "editorial.view_signoff",
            "editorial.view_reviewerprofile",
            "editorial.sign_off_content",
            "editorial.view_editorial_reports",
        }
    ),
    "Moderators": sorted(
        {
            # Reading the drug and article a review belongs to, never editing them.
            "drugs.view_drug",
            "drugs.view_indication",
            "reviews.view_review",
            "reviews.change_review",
            # Reports are read and dismissed (deleted), never edited.
            "reviews.view_reviewreport",
            "reviews.delete_reviewreport",
            # The stored rating figures, to check a recount after moderating.
            "reviews.view_drugrating",
            "reviews.view_indicationrating",
        }
    ),
}


def sync_groups(apps, *, spec=None, verbosity=0):
    """Create the groups and set their permissions to exactly `spec` (GROUP_PERMISSIONS).

    Takes an apps registry so migrations can pass their historical one. Makes
    missing permissions first, because Django only creates them after migrate.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Historical app configs have no models module, and create_permissions
        # skips those; the live registry's are restored as they were.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=verbosity)
        finally:
            app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in (spec or GROUP_PERMISSIONS).items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
