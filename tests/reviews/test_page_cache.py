"""Review pages in the whole-page cache: never stale, never shared when personal."""

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import Review
from tests.factories import make_indication, make_review

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]


def test_approving_a_review_refreshes_the_cached_reviews_page(client):
    indication = make_indication()
    url = reverse("reviews:drug-reviews", kwargs={"slug": indication.drug.slug})
    review = make_review(indication=indication, body="A freshly approved experience, in words.")
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    services.review_approve(review=review, moderator=None)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert b"A freshly approved experience" in response.content


def test_a_helpful_vote_refreshes_the_cached_count(client):
    review = make_review()
    services.review_approve(review=review, moderator=None)
    url = reverse("reviews:drug-reviews", kwargs={"slug": review.drug.slug})
    client.get(url)
    services.review_vote_helpful(review=review, visitor_hash="someone")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert b"1 found this helpful" in response.content


def test_the_review_form_is_never_cached_or_shared(client):
    indication = make_indication()
    url = reverse("reviews:review-create", kwargs={"slug": indication.drug.slug})
    first = client.get(url)
    second = client.get(url)
    assert "no-store" in first["Cache-Control"]
    assert second.get("X-Page-Cache") != "hit"
    assert first.context["form"]["token"].value() != second.context["form"]["token"].value()
    assert Review.objects.count() == 0
