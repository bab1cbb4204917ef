import pytest
import reversion
from django.contrib.auth.models import Group

from drugs.models import PublicationStatus
from tests.factories import make_drug, make_staff


def make_member(*group_names, **fields):
    """A staff user in the named groups (created by the editorial data migration)."""
    user = make_staff(**fields)
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


def edit(page, user, **fields):
    """Change a page the way the admin does: inside a revision authored by `user`."""
    with reversion.create_revision():
        for name, value in fields.items():
            setattr(page, name, value)
        page.save()
        reversion.set_user(user)
    return page


@pytest.fixture
def editor():
    return make_member("Editors", first_name="Eddie", last_name="Editor")


@pytest.fixture
def reviewer():
    return make_member("Medical reviewers", first_name="Rhea", last_name="Reviewer")


@pytest.fixture
def second_reviewer():
    return make_member("Medical reviewers")


@pytest.fixture
def moderator():
    return make_member("Moderators")


@pytest.fixture
def draft_drug(editor):
    """A drug an editor wrote and sent for review: ready for a medical reviewer."""
    drug = make_drug(status=PublicationStatus.DRAFT, owner=editor)
    edit(drug, editor, status=PublicationStatus.IN_REVIEW)
    return drug


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Staff fixtures hash passwords; the production hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
