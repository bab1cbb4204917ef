"""Review pages and rating figures in the page cache: fresh when they change, never personal."""

import pytest
from django.conf import settings
from django.urls import reverse

from reviews import services
from reviews.models import Review
from tests.factories import make_indication, make_review

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]


def cached(client, url):
    """Loads `url` until it is served from the cache; returns that response."""
    client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit", url
    return response


def approved_review(**fields):
    review = make_review(**fields)
    return services.review_approve(review=review, moderator=None)


def test_approving_a_review_refreshes_the_article_page_that_shows_reviews(client):
    indication = make_indication()
    review = make_review(indication=indication, body="An experience worth reading in full.")
    url = indication.get_absolute_url()
    assert b"An experience worth reading" not in cached(client, url).content

    services.review_approve(review=review, moderator=None)

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert b"An experience worth reading" in response.content


def test_a_new_rating_figure_refreshes_pages_of_other_subjects_that_show_it(client):
    indication = make_indication()
    url = indication.condition.get_absolute_url()
    assert b"No reviews yet" in cached(client, url).content

    approved_review(indication=indication, rating=3)

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert b"3.0</strong> out of 10" in response.content


def test_rejecting_an_approved_review_takes_it_off_the_cached_list(client):
    review = approved_review(body="Soon to be withdrawn by a moderator, this text.")
    url = reverse("reviews:drug-reviews", kwargs={"slug": review.drug.slug})
    assert b"Soon to be withdrawn" in cached(client, url).content

    services.review_reject(review=review, moderator=None, reason="Personal data.")

    assert b"Soon to be withdrawn" not in client.get(url).content


def test_a_helpful_vote_refreshes_only_the_voted_drugs_pages(client):
    review = approved_review()
    other = approved_review()
    voted_pages = [
        reverse("reviews:drug-reviews", kwargs={"slug": review.drug.slug}),
        review.indication.get_absolute_url(),
    ]
    other_pages = [
        reverse("reviews:drug-reviews", kwargs={"slug": other.drug.slug}),
        "/drugs/",
        other.indication.condition.get_absolute_url(),
    ]
    for url in voted_pages + other_pages:
        cached(client, url)

    services.review_vote_helpful(review=review, visitor_hash="a-reader")

    first = client.get(voted_pages[0])
    assert first["X-Page-Cache"] == "miss"
    assert b"1 found this helpful" in first.content
    assert client.get(voted_pages[1])["X-Page-Cache"] == "miss"
    assert [client.get(url)["X-Page-Cache"] for url in other_pages] == ["hit"] * 3


def test_a_pending_review_leaves_every_page_cached(client):
    indication = make_indication()
    url = reverse("reviews:drug-reviews", kwargs={"slug": indication.drug.slug})
    cached(client, url)

    make_review(indication=indication, status=Review.Status.PENDING)

    assert client.get(url)["X-Page-Cache"] == "hit"


def test_review_lists_stay_cacheable_with_their_vote_buttons(client):
    review = approved_review()
    url = reverse("reviews:drug-reviews", kwargs={"slug": review.drug.slug})
    first = client.get(url)

    assert b"Helpful" in first.content
    assert settings.CSRF_COOKIE_NAME not in first.cookies
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_form_page_is_never_shared_even_with_a_csrf_cookie_already_set(client):
    indication = make_indication()
    url = reverse("reviews:review-create", kwargs={"slug": indication.drug.slug})
    client.get(url)
    assert settings.CSRF_COOKIE_NAME in client.cookies

    again = client.get(url)

    assert again.get("X-Page-Cache") != "hit"
    assert "public" not in again["Cache-Control"]


def test_a_page_with_a_form_error_is_never_cached(client):
    indication = make_indication()
    url = reverse("reviews:review-create", kwargs={"slug": indication.drug.slug})
    response = client.post(url, {"rating": "eleven"})
    assert response.get("X-Page-Cache") != "hit"
    assert "public" not in response.get("Cache-Control", "")


def test_a_visitor_with_a_message_gets_a_private_page(client):
    review = approved_review()
    url = reverse("reviews:drug-reviews", kwargs={"slug": review.drug.slug})
    cached(client, url)
    client.cookies["messages"] = "a-pending-message"

    response = client.get(url)

    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
