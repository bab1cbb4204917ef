import pytest
from django.contrib.auth.models import Group

from editorial.roles import GROUP_PERMISSIONS
from tests.editorial.conftest import make_member

pytestmark = pytest.mark.django_db


def test_migration_creates_groups_with_exactly_the_listed_permissions():
    for name, codes in GROUP_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        stored = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert stored == set(codes), name


def test_editor_edits_and_publishes_but_cannot_sign_off(editor):
    assert editor.has_perm("drugs.change_drug")
    assert editor.has_perm("editorial.publish_content")
    assert not editor.has_perm("editorial.sign_off_content")


def test_nobody_but_a_superuser_deletes_a_page(editor, reviewer, moderator):
    for user in (editor, reviewer, moderator):
        assert not user.has_perm("drugs.delete_drug")
        assert not user.has_perm("drugs.delete_indication")


def test_medical_reviewer_signs_off_but_does_not_edit_or_publish(reviewer):
    assert reviewer.has_perm("editorial.sign_off_content")
    assert reviewer.has_perm("drugs.view_drug")
    assert not reviewer.has_perm("drugs.change_drug")
    assert not reviewer.has_perm("editorial.publish_content")


def test_moderator_cannot_edit_drugs(moderator):
    assert moderator.has_perm("reviews.change_review")
    assert not moderator.has_perm("drugs.change_drug")
    assert not moderator.has_perm("drugs.change_indication")
    assert not moderator.has_perm("editorial.sign_off_content")


def test_medical_reviewer_cannot_approve_reviews_unless_also_a_moderator(reviewer):
    assert not reviewer.has_perm("reviews.change_review")

    both = make_member("Medical reviewers", "Moderators")

    assert both.has_perm("reviews.change_review")
    assert both.has_perm("editorial.sign_off_content")


def test_groups_can_be_restored_from_the_live_registry():
    from django.apps import apps

    from editorial.roles import sync_groups

    Group.objects.all().delete()

    sync_groups(apps)

    assert Group.objects.get(name="Editors").permissions.filter(codename="publish_content")
    assert all(config.models_module is not True for config in apps.get_app_configs())
