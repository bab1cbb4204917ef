"""Published parts of a page are rendered once per content state; review figures on every request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caching import prerender
from editorial import services
from reviews import services as review_services
from reviews.models import Review
from tests.drugs.test_views import full_indication
from tests.factories import make_drug, make_indication, make_review, make_staff

pytestmark = pytest.mark.prerender


def page_urls(indication):
    drug = indication.drug
    return [
        indication.get_absolute_url(),
        drug.get_absolute_url(),
        reverse("drugs:drug-side-effects", kwargs={"slug": drug.slug}),
        indication.condition.get_absolute_url(),
        reverse("reviews:drug-reviews", kwargs={"slug": drug.slug}),
        reverse(
            "reviews:indication-reviews",
            kwargs={"drug_slug": drug.slug, "condition_slug": indication.condition.slug},
        ),
        reverse("reviews:drug-reviews", kwargs={"slug": drug.slug}) + "?sort=newest&rating=8",
    ]


def save_draft(page, editor, **fields):
    """An editor's change to `page`, kept as its draft (the live page stays as it is)."""
    with services.page_editing(page=page, user=editor) as change:
        for name, value in fields.items():
            setattr(page, name, value)
        page.save()
        change.saved = True


def approve_reviews(indication, count, moderator):
    for _ in range(count):
        review = make_review(indication=indication, nickname="Sam")
        review_services.review_approve(review=review, moderator=moderator)


def article_with_a_similar_drug():
    indication = full_indication()
    other = make_drug(name="Acitretin", classes=list(indication.drug.drug_classes.all()))
    return indication, other


@pytest.fixture
def article(db):
    indication, _other = article_with_a_similar_drug()
    make_indication(drug=make_drug(), condition=indication.condition)
    approve_reviews(indication, 2, make_staff())
    return indication


def test_prerendered_pages_are_the_very_pages_rendered_whole(client, settings, article):
    for url in page_urls(article):
        settings.PRERENDER_ENABLED = False
        whole = client.get(url).content
        settings.PRERENDER_ENABLED = True
        first, again = client.get(url).content, client.get(url).content
        assert first == whole, url
        assert again == whole, url
    assert len(prerender.store.pages) == len(page_urls(article))


def test_prerendered_pages_run_six_queries_at_most_however_many_reviews(client, article):
    moderator = make_staff()
    for url in page_urls(article):
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        approve_reviews(article, 10, moderator)
        with CaptureQueriesContext(connection) as many:
            html = client.get(url).content.decode()
        assert len(few) <= 6, (url, [query["sql"] for query in few.captured_queries])
        assert len(many) == len(few), (url, [query["sql"] for query in many.captured_queries])
    # The figures are read on every request: the article counts every approved review.
    html = client.get(article.get_absolute_url()).content.decode()
    approved = Review.objects.filter(indication=article, status=Review.Status.APPROVED)
    assert f"Read all {approved.count()} reviews" in html


def test_staff_get_the_page_rendered_whole_with_their_banners(client, article):
    url = article.get_absolute_url()
    client.get(url)
    client.force_login(make_staff(is_superuser=True))
    editor = make_staff(is_superuser=True)
    save_draft(article, editor, what_it_is="A draft nobody has signed off.")
    html = client.get(url).content.decode()
    assert "Unpublished changes" in html
    client.logout()
    assert "Unpublished changes" not in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_publishing_renders_the_published_parts_again_and_a_draft_does_not(client):
    indication = full_indication()
    url = indication.get_absolute_url()
    reviewer, editor = make_staff(is_superuser=True), make_staff(is_superuser=True)
    client.get(url)

    save_draft(indication, editor, what_it_is="A corrected account of what it is.")
    assert "A corrected account" not in client.get(url).content.decode()

    services.page_sign_off_and_publish(page=indication, user=reviewer)
    assert "A corrected account" in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_approving_a_review_changes_the_figures_but_not_the_prerendered_parts(client):
    indication = full_indication()
    url = indication.get_absolute_url()
    client.get(url)
    (kept,) = prerender.store.pages.values()

    approve_reviews(indication, 1, make_staff(is_superuser=True))

    html = client.get(url).content.decode()
    assert "Read all 1 review<" in html
    assert list(prerender.store.pages.values()) == [kept]
    assert Review.objects.filter(status=Review.Status.APPROVED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_what_a_page_shows_of_other_pages_follows_their_publishing(client):
    indication, other = article_with_a_similar_drug()
    url = indication.get_absolute_url()
    assert "Acitretin" in client.get(url).content.decode()

    reviewer, editor = make_staff(is_superuser=True), make_staff(is_superuser=True)
    save_draft(other, editor, name="Acitretin (renamed)")
    assert "Acitretin (renamed)" not in client.get(url).content.decode()
    services.page_sign_off_and_publish(page=other, user=reviewer)
    assert "Acitretin (renamed)" in client.get(url).content.decode()


def test_the_worker_keeps_a_bounded_number_of_pages():
    store = prerender.MemoryStore(2)
    for key in ("a", "b", "c"):
        store.put(key, key)
    assert store.get("a") is None
    assert [store.get("b"), store.get("c")] == ["b", "c"]
