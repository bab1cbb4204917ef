"""The staff groups Editors, Medical reviewers and Moderators with their permissions."""

from django.db import migrations


def create_groups(apps, schema_editor):
    from editorial.roles import sync_groups

    sync_groups(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Editors", "Medical reviewers", "Moderators"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("drugs", "0001_initial"),
        ("reviews", "0001_initial"),
        ("editorial", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
