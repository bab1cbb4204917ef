"""Editors write patient information and interactions; medical reviewers read them.

Adds to the groups made by editorial's staff-groups migration; the lists are
frozen here as they stood when this was written (editorial/roles.py holds the
current ones, and a test fails when the two disagree).
"""

from django.db import migrations

ADDED = {
    "Editors": [
        "interactions.add_interaction",
        "interactions.add_interactionsource",
        "interactions.change_interaction",
        "interactions.change_interactionsource",
        "interactions.delete_interactionsource",
        "interactions.view_interaction",
        "interactions.view_interactionsource",
        "leaflets.add_leafletsection",
        "leaflets.change_leafletsection",
        "leaflets.delete_leafletsection",
        "leaflets.view_leafletsection",
    ],
    "Medical reviewers": [
        "interactions.view_interaction",
        "interactions.view_interactionsource",
        "leaflets.view_leafletsection",
    ],
}


def _permissions(apps, codes):
    from django.contrib.auth.management import create_permissions

    for label in ("leaflets", "interactions"):
        config = apps.get_app_config(label)
        models_module = getattr(config, "models_module", None)
        config.models_module = models_module or True
        try:
            create_permissions(config, apps=apps, verbosity=0)
        finally:
            config.models_module = models_module
    Permission = apps.get_model("auth", "Permission")
    found = []
    for code in codes:
        app_label, codename = code.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def add_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codes in ADDED.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, codes))


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ADDED.items():
        for group in Group.objects.filter(name=name):
            for code in codes:
                app_label, codename = code.split(".")
                group.permissions.remove(
                    *Permission.objects.filter(
                        content_type__app_label=app_label, codename=codename
                    )
                )


class Migration(migrations.Migration):
    dependencies = [
        ("leaflets", "0001_initial"),
        ("interactions", "0001_initial"),
        ("editorial", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
