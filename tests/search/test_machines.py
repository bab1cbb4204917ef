"""Sitemaps, robots.txt, feeds, structured data and head meta: what machines read."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drugs.models import PublicationStatus
from reviews.models import DrugRating, Review
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_side_effect,
    make_indication,
    make_review,
    make_staff,
)

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_urls(client):
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    urls = []
    for location in index.findall("sm:sitemap/sm:loc", SITEMAP_NS):
        section = client.get(location.text.replace("http://testserver", ""))
        assert section.status_code == 200
        tree = ElementTree.fromstring(section.content)
        urls += [loc.text for loc in tree.findall("sm:url/sm:loc", SITEMAP_NS)]
    return urls


def test_sitemap_index_lists_sections_that_parse_as_xml(client):
    make_indication()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    assert tree.findall("sm:sitemap/sm:lastmod", SITEMAP_NS)
    urls = sitemap_urls(client)
    assert "http://testserver/" in urls


def test_sitemap_lists_live_pages_with_lastmod(client):
    indication = make_indication()
    make_drug_side_effect(drug=indication.drug)
    urls = sitemap_urls(client)
    for url in (
        indication.get_absolute_url(),
        indication.drug.get_absolute_url(),
        indication.condition.get_absolute_url(),
        reverse("drugs:drug-side-effects", kwargs={"slug": indication.drug.slug}),
    ):
        assert f"http://testserver{url}" in urls
    section = client.get("/sitemap-articles.xml")
    assert b"<lastmod>" in section.content


def test_sitemap_leaves_out_unpublished_pages(client):
    draft_drug = make_drug(slug="draft-drug", status=PublicationStatus.DRAFT)
    make_indication(drug=draft_drug)
    make_condition(slug="archived-condition", status=PublicationStatus.ARCHIVED)
    make_drug(slug="scheduled", publish_at=timezone.now() + timezone.timedelta(days=1))
    make_review(status=Review.Status.APPROVED, drug=draft_drug)
    urls = " ".join(sitemap_urls(client))
    for slug in ("draft-drug", "archived-condition", "scheduled"):
        assert slug not in urls


def test_sitemap_is_paginated_past_its_limit(client, monkeypatch):
    from search.sitemaps import DrugSitemap

    monkeypatch.setattr(DrugSitemap, "limit", 2)
    for _ in range(5):
        make_drug()
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-drugs.xml?p=3" in index
    assert client.get("/sitemap-drugs.xml?p=3").status_code == 200


def test_sitemap_queries_do_not_grow_with_pages(client):
    make_indication()
    with CaptureQueriesContext(connection) as few:
        client.get("/sitemap-articles.xml")
        client.get("/sitemap.xml")
    for _ in range(10):
        make_indication()
    with CaptureQueriesContext(connection) as many:
        client.get("/sitemap-articles.xml")
        client.get("/sitemap.xml")
    assert len(many) == len(few)


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin_and_search(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text
    assert "Disallow: /search/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


@pytest.mark.parametrize("url", ["/feeds/articles/", "/feeds/articles/atom/"])
def test_article_feeds_list_live_articles_only(client, url):
    live = make_indication(title="Live article")
    make_indication(title="Draft article", status=PublicationStatus.DRAFT)
    make_indication(title="Article of a draft drug", drug=make_drug(status=PublicationStatus.DRAFT))
    response = client.get(url)
    assert response.status_code == 200
    ElementTree.fromstring(response.content)
    content = response.content.decode()
    assert "Live article (Approved use)" in content
    assert live.get_absolute_url() in content
    assert "Draft article" not in content
    assert "draft drug" not in content


@pytest.mark.parametrize("suffix", ["", "atom/"])
def test_drug_review_feed_lists_approved_reviews_escaped(client, suffix):
    indication = make_indication()
    drug = indication.drug
    make_review(indication=indication, status=Review.Status.APPROVED, body="Worked <b>well</b>")
    make_review(indication=indication, status=Review.Status.PENDING, body="Pending one")
    make_review(indication=indication, status=Review.Status.REJECTED, body="Rejected one")
    response = client.get(f"/feeds/drugs/{drug.slug}/reviews/{suffix}")
    assert response.status_code == 200
    tree = ElementTree.fromstring(response.content)
    text = " ".join(tree.itertext())
    assert "Worked &lt;b&gt;well&lt;/b&gt;" in text
    assert "Pending one" not in text
    assert "Rejected one" not in text


def test_review_feed_of_unknown_or_unpublished_drug_is_404(client):
    make_drug(slug="draft-one", status=PublicationStatus.DRAFT)
    assert client.get("/feeds/drugs/draft-one/reviews/").status_code == 404
    assert client.get("/feeds/drugs/nothing/reviews/").status_code == 404


def render(template, **context):
    request = RequestFactory().get("/somewhere/?page=2")
    return Template("{% load seo %}" + template).render(Context({"request": request, **context}))


def json_ld_blocks(html):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in found]


def test_drug_json_ld_parses_with_rating_and_reviews():
    drug = make_drug(name="Isotretinoin", brand_names="Absorica, Accutane")
    DrugRating.objects.create(drug=drug, review_count=3, rating_sum=24, average_rating="8.00")
    review = make_review(drug=drug, status=Review.Status.APPROVED, nickname="Sam", rating=9)
    html = render("{% structured_data drug reviews=reviews %}", drug=drug, reviews=[review])
    (data,) = json_ld_blocks(html)
    assert data["@type"] == "MedicalWebPage"
    assert data["about"]["@type"] == "Drug"
    assert data["about"]["alternateName"] == ["Absorica", "Accutane"]
    assert data["about"]["aggregateRating"]["ratingCount"] == 3
    assert data["about"]["review"][0]["@type"] == "Review"
    assert data["about"]["review"][0]["reviewRating"]["ratingValue"] == 9


def test_drug_json_ld_without_rating_has_no_aggregate_rating():
    (data,) = json_ld_blocks(render("{% structured_data drug %}", drug=make_drug()))
    assert "aggregateRating" not in data["about"]


def test_json_ld_cannot_close_its_script_element():
    drug = make_drug(name="</script><script>alert(1)</script>")
    html = render("{% structured_data drug %}", drug=drug)
    assert "<script>alert(1)" not in html
    (data,) = json_ld_blocks(html)
    assert data["about"]["name"] == "</script><script>alert(1)</script>"


def test_article_json_ld_names_reviewer_and_review_date():
    reviewer = make_staff(first_name="Ada", last_name="Lovelace")
    indication = make_indication(
        medically_reviewed_by=reviewer, medically_reviewed_at=timezone.now()
    )
    (data,) = json_ld_blocks(render("{% structured_data page %}", page=indication))
    assert data["@type"] == "MedicalWebPage"
    assert [item["@type"] for item in data["about"]] == ["Drug", "MedicalCondition"]
    assert data["reviewedBy"] == {"@type": "Person", "name": "Ada Lovelace"}
    assert data["lastReviewed"] == indication.medically_reviewed_at.date().isoformat()


def test_condition_json_ld_is_a_medical_condition():
    condition = make_condition(other_names="spots")
    (data,) = json_ld_blocks(render("{% structured_data condition %}", condition=condition))
    assert data["about"]["@type"] == "MedicalCondition"
    assert "lastReviewed" not in data


def test_head_meta_uses_the_page_object():
    drug = make_drug(name="Isotretinoin", summary="A **retinoid** for severe acne.")
    html = render('{% include "search/_head_meta.html" %}', object=drug)
    assert '<link rel="canonical" href="http://testserver/somewhere/?page=2">' in html
    assert '<meta property="og:title" content="Isotretinoin">' in html
    assert '<meta property="og:description" content="A retinoid for severe acne.">' in html
    assert '<meta property="og:type" content="article">' in html


def test_every_page_has_open_graph_and_canonical_tags(client):
    content = client.get("/").content.decode()
    assert 'rel="canonical"' in content
    assert 'property="og:title"' in content
    assert 'property="og:description"' in content


def test_sitemap_lists_tags_of_live_content_only(client):
    make_indication(tags=["retinoid"])
    make_indication(tags=["secret-tag"], status=PublicationStatus.DRAFT)
    urls = " ".join(sitemap_urls(client))
    assert "/tags/retinoid/" in urls
    assert "secret-tag" not in urls


def test_sitemap_lists_review_pages_of_drugs_with_approved_reviews_only(client):
    reviewed = make_indication()
    make_review(indication=reviewed, status=Review.Status.APPROVED)
    waiting = make_indication()
    make_review(indication=waiting, status=Review.Status.PENDING)
    urls = " ".join(sitemap_urls(client))
    assert reverse("reviews:drug-reviews", kwargs={"slug": reviewed.drug.slug}) in urls
    assert reverse("reviews:drug-reviews", kwargs={"slug": waiting.drug.slug}) not in urls
