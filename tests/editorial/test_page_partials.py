"""What readers (and staff) see of the editorial workflow on the drug pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from drugs.models import Indication, PublicationStatus
from editorial import services
from editorial.models import Citation, ReviewerProfile
from tests.editorial.conftest import edit, make_member
from tests.factories import make_drug, make_drug_side_effect, make_indication

pytestmark = pytest.mark.django_db


def cite(page, n, **fields):
    field = "drug" if page._meta.model_name == "drug" else "indication"
    fields.setdefault("title", f"Source {n}")
    fields.setdefault("publisher", "A regulator")
    fields.setdefault("url", f"https://example.org/{n}")
    return Citation.objects.create(**{field: page}, position=n, **fields)


@pytest.fixture
def signed_article(editor, reviewer):
    ReviewerProfile.objects.create(
        user=reviewer, display_name="Dr Rhea Reviewer", credentials="MBBS, MRCP"
    )
    drug = make_drug(
        name="Warnazole",
        boxed_warning="Causes severe birth defects.",
        pregnancy_warning="Never take it when pregnant.",
    )
    indication = make_indication(
        drug=drug,
        status=PublicationStatus.DRAFT,
        approval_status=Indication.ApprovalStatus.OFF_LABEL,
    )
    cite(indication, 1, doi="10.1016/j.jaad.2020.02.044", url="")
    edit(indication, editor, status=PublicationStatus.IN_REVIEW)
    services.page_sign_off(page=indication, reviewer=reviewer)
    services.page_publish(page=indication, user=editor)
    return indication


def test_article_shows_reviewer_dates_policy_link_and_references(client, signed_article):
    content = client.get(signed_article.get_absolute_url()).content.decode()

    assert "Medically reviewed by <strong>Dr Rhea Reviewer, MBBS, MRCP</strong>" in content
    assert "Last updated" in content and "Last reviewed" in content
    assert "Next review due" in content
    assert reverse("pages:editorial-policy") in content
    assert "References" in content
    assert "https://doi.org/10.1016/j.jaad.2020.02.044" in content
    assert "What changed" in content and "First medical review of this page." in content


def test_what_changed_shows_the_approval_change_to_readers(
    client, signed_article, editor, second_reviewer
):
    edit(signed_article, editor, approval_status=Indication.ApprovalStatus.APPROVED)
    services.page_sign_off(page=signed_article, reviewer=second_reviewer)
    services.page_publish(page=signed_article, user=editor)

    content = client.get(signed_article.get_absolute_url()).content.decode()

    assert "Approval status changed from Off-label use to Approved use." in content


def test_unsigned_page_says_so_and_has_no_reviewer(client, editor):
    drug = make_drug()
    client.force_login(editor)

    content = client.get(drug.get_absolute_url()).content.decode()

    assert "Not yet medically reviewed." in content
    assert "Not medically signed off" in content


def test_public_never_sees_staff_banners(client, signed_article):
    signed_article.next_review_due = timezone.localdate() - datetime.timedelta(days=1)
    signed_article.save()

    content = client.get(signed_article.get_absolute_url()).content.decode()

    assert "Overdue for review" not in content
    assert "Edit this page in the admin" not in content


def test_staff_see_overdue_banner_and_admin_link(client, signed_article, editor):
    signed_article.next_review_due = timezone.localdate() - datetime.timedelta(days=1)
    signed_article.save()
    client.force_login(editor)

    content = client.get(signed_article.get_absolute_url()).content.decode()

    assert "Overdue for review" in content
    assert reverse("admin:drugs_indication_change", args=[signed_article.pk]) in content


def page_urls(indication):
    drug = indication.drug
    urls = [
        drug.get_absolute_url(),
        reverse("drugs:drug-side-effects", kwargs={"slug": drug.slug}),
        indication.get_absolute_url(),
    ]
    for name, kwargs in (
        ("reviews:drug-reviews", {"slug": drug.slug}),
        (
            "reviews:indication-reviews",
            {"drug_slug": drug.slug, "condition_slug": indication.condition.slug},
        ),
    ):
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            pass  # the reviews pages are not installed in this build
    return urls


def test_drug_warnings_appear_on_every_page_of_the_drug(client, signed_article):
    for url in page_urls(signed_article):
        content = client.get(url).content.decode()
        assert "Causes severe birth defects." in content, url
        assert "Never take it when pregnant." in content, url


def test_approval_label_appears_wherever_the_use_appears(client, signed_article):
    urls = [
        signed_article.get_absolute_url(),
        signed_article.drug.get_absolute_url(),
        signed_article.condition.get_absolute_url(),
    ]
    for url in urls:
        assert "Off-label use" in client.get(url).content.decode(), url


@pytest.mark.parametrize("as_staff", [False, True])
def test_page_queries_do_not_grow_with_sources_and_sign_offs(
    client, signed_article, editor, as_staff
):
    if as_staff:
        client.force_login(editor)
    reviewers = [make_member("Medical reviewers") for _ in range(10)]
    # Both measurements see a drug with a reviewer: only the number of rows grows.
    drug = signed_article.drug
    drug.status = PublicationStatus.IN_REVIEW
    drug.save()
    services.page_sign_off(page=drug, reviewer=reviewers.pop())
    services.page_publish(page=drug, user=editor)
    urls = page_urls(signed_article)
    for url in urls:
        client.get(url)
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        few[url] = len(queries)
    for n, reviewer in enumerate(reviewers, start=2):  # nine more of each
        cite(signed_article, n)
        cite(signed_article.drug, n)
        make_drug_side_effect(drug=signed_article.drug)
        services.page_sign_off(page=signed_article, reviewer=reviewer)
        services.page_sign_off(page=signed_article.drug, reviewer=reviewer)

    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert len(queries) == few[url], url


def test_approval_label_appears_on_related_article_links(client):
    shown = make_indication(tags=["retinoid"])
    make_indication(
        tags=["retinoid"],
        title="Related Off Label Use",
        approval_status=Indication.ApprovalStatus.NOT_RECOMMENDED,
    )

    content = client.get(shown.get_absolute_url()).content.decode()

    related = content[content.index("Related Off Label Use") :]
    assert "Not recommended" in related[:400]
