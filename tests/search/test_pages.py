"""Search partials wired into the drug, condition and article pages."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_condition, make_drug, make_drug_class, make_indication, make_staff

pytestmark = pytest.mark.django_db


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return [json.loads(block) for block in blocks]


def test_drug_page_has_structured_data_meta_tags_and_compare_links(client):
    retinoids = make_drug_class(name="Retinoids")
    drug = make_drug(name="Isotretinoin", slug="isotretinoin", classes=[retinoids])
    make_drug(name="Acitretin", slug="acitretin", classes=[retinoids])
    response = client.get(drug.get_absolute_url())
    content = response.content.decode()
    (data,) = json_ld(response)
    assert data["@type"] == "MedicalWebPage"
    assert data["about"]["@type"] == "Drug"
    assert '<link rel="canonical" href="http://testserver/drugs/isotretinoin/">' in content
    assert '<meta property="og:title" content="Isotretinoin">' in content
    assert 'href="/compare/acitretin-vs-isotretinoin/"' in content
    assert "/feeds/drugs/isotretinoin/reviews/atom/" in content


def test_condition_page_links_compare_pages_of_its_drugs(client):
    condition = make_condition(name="Psoriasis")
    for slug in ("acitretin", "isotretinoin"):
        make_indication(drug=make_drug(name=slug.title(), slug=slug), condition=condition)
    response = client.get(condition.get_absolute_url())
    (data,) = json_ld(response)
    assert data["about"]["@type"] == "MedicalCondition"
    assert 'href="/compare/acitretin-vs-isotretinoin/"' in response.content.decode()


def test_article_page_names_its_medical_reviewer(client):
    reviewer = make_staff(first_name="Grace", last_name="Hopper")
    indication = make_indication(
        medically_reviewed_by=reviewer, medically_reviewed_at=timezone.now()
    )
    (data,) = json_ld(client.get(indication.get_absolute_url()))
    assert data["reviewedBy"]["name"] == "Grace Hopper"
    assert [item["@type"] for item in data["about"]] == ["Drug", "MedicalCondition"]


def test_renamed_drug_page_redirects_through_the_real_view(client):
    drug = make_drug(slug="old-slug")
    drug.slug = "new-slug"
    drug.save()
    response = client.get("/drugs/old-slug/")
    assert response.status_code == 301
    assert response["Location"] == "/drugs/new-slug/"


def test_drug_page_queries_do_not_grow_with_similar_drugs(client):
    retinoids = make_drug_class()
    drug = make_drug(classes=[retinoids])
    make_drug(classes=[retinoids])
    with CaptureQueriesContext(connection) as few:
        client.get(drug.get_absolute_url())
    for _ in range(10):
        make_drug(classes=[retinoids])
    with CaptureQueriesContext(connection) as many:
        response = client.get(drug.get_absolute_url())
    assert response.status_code == 200
    assert len(many) == len(few)


def test_condition_page_queries_do_not_grow_with_compare_links(client):
    condition = make_condition()
    make_indication(condition=condition)
    make_indication(condition=condition)
    with CaptureQueriesContext(connection) as few:
        client.get(condition.get_absolute_url())
    for _ in range(10):
        make_indication(condition=condition)
    with CaptureQueriesContext(connection) as many:
        response = client.get(condition.get_absolute_url())
    assert response.status_code == 200
    assert len(many) == len(few)


def test_review_page_has_reviews_and_aggregate_rating_in_structured_data(client):
    from reviews.models import Review
    from reviews.services import review_approve
    from tests.factories import make_review

    moderator = make_staff()
    indication = make_indication()
    for rating in (6, 9):
        review = make_review(indication=indication, rating=rating, nickname="Sam")
        review_approve(review=review, moderator=moderator)
    make_review(indication=indication, body="Still waiting for a moderator.")
    url = reverse("reviews:drug-reviews", kwargs={"slug": indication.drug.slug})
    response = client.get(url)
    (data,) = json_ld(response)
    drug = data["about"]
    assert data["url"] == f"http://testserver{url}"
    assert drug["aggregateRating"]["ratingCount"] == 2
    assert sorted(item["reviewRating"]["ratingValue"] for item in drug["review"]) == [6, 9]
    assert "Still waiting" not in json.dumps(data)
    assert Review.objects.approved().count() == 2
    assert 'property="og:title"' in response.content.decode()


def test_drug_review_feed_lists_reviews_approved_through_the_service(client):
    from reviews.services import review_approve
    from tests.factories import make_review

    indication = make_indication()
    review = make_review(indication=indication, body="Clear skin after four months.")
    review_approve(review=review, moderator=make_staff())
    response = client.get(reverse("search:drug-review-feed", kwargs={"slug": indication.drug.slug}))
    assert "Clear skin after four months." in response.content.decode()
    assert reverse("reviews:drug-reviews", kwargs={"slug": indication.drug.slug}) in (
        response.content.decode()
    )
