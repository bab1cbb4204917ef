import pytest
from django.contrib.auth.models import Group

from drugs.models import PublicationStatus
from editorial import services
from editorial.services import WORKFLOW_FIELDS
from tests.factories import make_drug, make_staff


def make_member(*group_names, **fields):
    """A staff user in the named groups (created by the editorial data migration)."""
    user = make_staff(**fields)
    user.groups.add(*Group.objects.filter(name__in=group_names))
    return user


def edit(page, user, **fields):
    """Change a page as the admin does, as `user`: content goes into a new draft version.

    Workflow fields (status, schedule, owner) are set on the row directly, the
    way tests put a page into a state.
    """
    workflow = {name: fields.pop(name) for name in list(fields) if name in WORKFLOW_FIELDS}
    if workflow:
        type(page)._default_manager.filter(pk=page.pk).update(**workflow)
        for name, value in workflow.items():
            setattr(page, name, value)
    if not fields:
        services.page_adopt(page)
    else:
        with services.page_editing(page=page, user=user) as change:
            many = {n: v for n, v in fields.items() if page._meta.get_field(n).many_to_many}
            for name, value in fields.items():
                if name not in many:
                    setattr(page, name, value)
            page.save()
            for name, value in many.items():
                getattr(page, name).set(value)
            change.saved = True
    page.refresh_from_db()
    return page


def publish(page, editor, reviewer):
    """Sign off the page's working version and publish it, the way staff do."""
    services.page_sign_off(page=page, reviewer=reviewer)
    services.page_publish(page=page, user=editor)
    page.refresh_from_db()
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
