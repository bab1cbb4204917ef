"""The staff groups Editors, Medical reviewers and Moderators with their permissions.

The permission lists are frozen here as they stood when this migration was
written; editorial/roles.py holds the current ones, and a test fails when the
two disagree, so a change there comes with a new migration.
"""

from django.db import migrations

GROUP_PERMISSIONS = {'Editors': ['drugs.add_activeingredient',
             'drugs.add_condition',
             'drugs.add_drug',
             'drugs.add_drugclass',
             'drugs.add_drugsideeffect',
             'drugs.add_indication',
             'drugs.add_indicationsection',
             'drugs.add_sideeffect',
             'drugs.change_activeingredient',
             'drugs.change_condition',
             'drugs.change_drug',
             'drugs.change_drugclass',
             'drugs.change_drugsideeffect',
             'drugs.change_indication',
             'drugs.change_indicationsection',
             'drugs.change_sideeffect',
             'drugs.delete_drugsideeffect',
             'drugs.delete_indicationsection',
             'drugs.view_activeingredient',
             'drugs.view_condition',
             'drugs.view_drug',
             'drugs.view_drugclass',
             'drugs.view_drugsideeffect',
             'drugs.view_indication',
             'drugs.view_indicationsection',
             'drugs.view_sideeffect',
             'editorial.add_citation',
             'editorial.change_citation',
             'editorial.delete_citation',
             'editorial.publish_content',
             'editorial.view_citation',
             'editorial.view_editorial_reports',
             'editorial.view_reviewerprofile',
             'editorial.view_signoff'],
 'Medical reviewers': ['drugs.view_activeingredient',
                       'drugs.view_condition',
                       'drugs.view_drug',
                       'drugs.view_drugclass',
                       'drugs.view_drugsideeffect',
                       'drugs.view_indication',
                       'drugs.view_indicationsection',
                       'drugs.view_sideeffect',
                       'editorial.sign_off_content',
                       'editorial.view_citation',
                       'editorial.view_editorial_reports',
                       'editorial.view_reviewerprofile',
                       'editorial.view_signoff'],
 'Moderators': ['drugs.view_drug',
                'drugs.view_indication',
                'reviews.change_review',
                'reviews.delete_reviewreport',
                'reviews.view_drugrating',
                'reviews.view_indicationrating',
                'reviews.view_review',
                'reviews.view_reviewreport']}


def create_groups(apps, schema_editor):
    from editorial.roles import sync_groups

    sync_groups(apps, spec=GROUP_PERMISSIONS)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(GROUP_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("drugs", "0001_initial"),
        ("reviews", "0001_initial"),
        ("editorial", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
