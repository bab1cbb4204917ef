import io

import pytest
from django.contrib.auth import get_user_model

from drugs.models import PublicationStatus
from editorial import demo, services
from editorial.models import Citation, SignOff
from tests.factories import make_condition, make_drug, make_indication

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_pages():
    isotretinoin = make_drug(name="Isotretinoin", slug="isotretinoin")
    make_drug(name="Minocycline", slug="minocycline")
    make_drug(name="Azelaic acid", slug="azelaic-acid", status=PublicationStatus.DRAFT)
    acne = make_condition(name="Acne", slug="acne")
    return make_indication(drug=isotretinoin, condition=acne)


def test_demo_creates_staff_per_role_sources_and_sign_offs(demo_pages, settings):
    settings.DEBUG = True
    out = io.StringIO()

    demo.load(stdout=out)

    users = get_user_model().objects.filter(username__startswith="demo-")
    assert {u.username for u in users} == {"demo-editor", "demo-reviewer", "demo-moderator"}
    reviewer = users.get(username="demo-reviewer")
    assert reviewer.has_perm("editorial.sign_off_content")
    assert reviewer.check_password("demo-reviewer-password")
    assert "demo-reviewer / demo-reviewer-password" in out.getvalue()
    assert Citation.objects.filter(indication=demo_pages).count() == 2
    demo_pages.refresh_from_db()
    demo_pages.drug.refresh_from_db()
    assert services.is_signed_off(demo_pages)
    assert services.is_signed_off(demo_pages.drug)
    assert demo_pages.live_version is not None and demo_pages.draft_version is None
    assert not SignOff.objects.filter(signed_by__isnull=True).exists()


def test_demo_leaves_drafts_unsigned_and_one_page_overdue(demo_pages, settings):
    settings.DEBUG = True

    demo.load(stdout=io.StringIO())

    from drugs.models import Drug

    assert not services.latest_sign_off(Drug.objects.get(slug="azelaic-acid"))
    minocycline = Drug.objects.get(slug="minocycline")
    assert services.latest_sign_off(minocycline).next_review_due < minocycline.created_at.date()


def test_demo_is_idempotent(demo_pages, settings):
    settings.DEBUG = True
    demo.load(stdout=io.StringIO())
    counts = (Citation.objects.count(), SignOff.objects.count(), get_user_model().objects.count())

    demo.load(stdout=io.StringIO())

    assert (
        Citation.objects.count(),
        SignOff.objects.count(),
        get_user_model().objects.count(),
    ) == counts


def test_demo_refuses_staff_accounts_when_debug_is_off(demo_pages, settings):
    settings.DEBUG = False
    out = io.StringIO()

    demo.load(stdout=out)

    assert not get_user_model().objects.filter(username__startswith="demo-").exists()
    assert not SignOff.objects.exists()
    assert "skipped" in out.getvalue()


def test_demo_staff_accounts_can_be_forced_with_debug_off(demo_pages, settings):
    settings.DEBUG = False

    demo.load(stdout=io.StringIO(), allow_demo_users=True)

    assert get_user_model().objects.filter(username="demo-editor").exists()


def test_load_demo_prints_the_demo_passwords_and_signs_off_the_demo_pages(settings):
    from django.core.management import call_command

    from drugs.models import Indication

    settings.DEBUG = True
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert "demo-reviewer / demo-reviewer-password" in out.getvalue()
    article = Indication.objects.get(drug__slug="isotretinoin", condition__slug="psoriasis")
    assert services.is_signed_off(article)
    assert article.citations.exists()


def test_load_demo_needs_the_flag_for_demo_users_when_debug_is_off(settings):
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("load_demo", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="demo-editor").exists()

    call_command("load_demo", "--demo-users", stdout=io.StringIO())

    assert get_user_model().objects.filter(username="demo-editor").exists()
