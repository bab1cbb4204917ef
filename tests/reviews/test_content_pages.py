"""Ratings and reviews on the drug, indication and condition pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews import services
from reviews.models import Review
from tests.factories import make_condition, make_drug, make_indication, make_review

pytestmark = pytest.mark.django_db


def approve_all():
    services.reviews_approve(queryset=Review.objects.pending(), moderator=None)


def test_drug_page_shows_average_count_and_review_links(client):
    indication = make_indication()
    for rating in (9, 6):
        make_review(indication=indication, rating=rating, body=f"Rated {rating} " * 10)
    approve_all()
    content = client.get(indication.drug.get_absolute_url()).content.decode()
    assert "7.5</strong> out of 10" in content
    assert "2 reviews" in content
    assert f"/drugs/{indication.drug.slug}/reviews/" in content
    assert f"/drugs/{indication.drug.slug}/reviews/new/" in content


def test_drug_page_without_reviews_says_so_and_links_to_the_form(client):
    drug = make_drug()
    content = client.get(drug.get_absolute_url()).content.decode()
    assert "No reviews yet" in content
    assert f"/drugs/{drug.slug}/reviews/new/" in content


def test_indication_page_shows_summary_and_most_helpful_reviews_escaped(client):
    indication = make_indication()
    for n in range(5):
        make_review(
            indication=indication, rating=5 + n, body=f"<em>Review</em> {n}\nsecond line " * 3
        )
    approve_all()
    Review.objects.filter(rating=9).update(helpful_count=10)
    response = client.get(indication.get_absolute_url())
    content = response.content.decode()
    assert "Patient ratings" in content
    assert "Small sample" in content
    assert len(response.context["top_reviews"]) == 3
    assert response.context["top_reviews"][0].rating == 9
    assert "&lt;em&gt;Review&lt;/em&gt;" in content
    assert f"/drugs/{indication.drug.slug}/for/{indication.condition.slug}/reviews/" in content
    assert f"reviews/new/?condition={indication.condition.slug}" in content


def test_indication_page_never_shows_pending_reviews(client):
    indication = make_indication()
    make_review(indication=indication, body="Still waiting for a moderator to read this.")
    content = client.get(indication.get_absolute_url()).content.decode()
    assert "Still waiting for a moderator" not in content


def test_condition_page_sorts_by_rating_on_request(client):
    condition = make_condition()
    low = make_indication(condition=condition, drug=make_drug(name="Aaa low"))
    high = make_indication(condition=condition, drug=make_drug(name="Zzz high"))
    unrated = make_indication(condition=condition, drug=make_drug(name="Mmm none"))
    make_review(indication=low, rating=3)
    make_review(indication=high, rating=9)
    approve_all()
    default = client.get(condition.get_absolute_url())
    by_rating = client.get(condition.get_absolute_url() + "?sort=rating")
    assert [i.pk for i in by_rating.context["indications"]] == [high.pk, low.pk, unrated.pk]
    assert "9.0</strong> out of 10" in by_rating.content.decode()
    assert len(default.context["indications"]) == 3
    assert client.get(condition.get_absolute_url() + "?sort=-title").status_code == 400


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_content_page_queries_do_not_grow_with_reviews(client):
    condition = make_condition()
    indication = make_indication(condition=condition)
    make_review(indication=indication)
    approve_all()
    urls = [
        indication.drug.get_absolute_url(),
        indication.get_absolute_url(),
        condition.get_absolute_url(),
        condition.get_absolute_url() + "?sort=rating",
    ]
    few = [_queries(client, url) for url in urls]
    for n in range(10):
        if n % 2:
            other = make_indication(drug=indication.drug)
        else:
            other = make_indication(condition=condition)
        make_review(indication=other, rating=1 + n)
        make_review(indication=indication, rating=1 + n, effectiveness=2)
    approve_all()
    assert [_queries(client, url) for url in urls] == few
