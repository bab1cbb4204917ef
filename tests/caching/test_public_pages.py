"""Every public page type: a bounded number of queries uncached, none at all from the cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    make_drug_class,
    make_drug_side_effect,
    make_indication,
    make_review,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]

MAX_QUERIES = 15


@pytest.fixture
def site():
    """A small site with something on every page type."""
    from reviews import services
    from reviews.models import Review

    drug_class = make_drug_class()
    indication = make_indication(tags=["retinoid"])
    other = make_indication(tags=["retinoid"]).drug
    make_indication(tags=["retinoid"], drug=indication.drug)
    indication.drug.drug_classes.add(drug_class)
    make_drug_side_effect(drug=indication.drug)
    review = make_review(indication=indication, status=Review.Status.PENDING)
    services.review_approve(review=review, moderator=None)
    drug, condition = indication.drug, indication.condition
    return [
        "/",
        reverse("drugs:drug-list"),
        f"{reverse('drugs:drug-list')}?letter={drug.name[0].lower()}",
        drug.get_absolute_url(),
        reverse("drugs:drug-side-effects", kwargs={"slug": drug.slug}),
        indication.get_absolute_url(),
        reverse("drugs:condition-list"),
        condition.get_absolute_url(),
        drug_class.get_absolute_url(),
        reverse("drugs:tag-detail", kwargs={"slug": "retinoid"}),
        reverse("reviews:drug-reviews", kwargs={"slug": drug.slug}),
        reverse("reviews:drug-reviews", kwargs={"slug": drug.slug}) + "?sort=lowest",
        reverse(
            "reviews:indication-reviews",
            kwargs={"drug_slug": drug.slug, "condition_slug": condition.slug},
        ),
        f"{reverse('search:search')}?q={drug.name}",
        f"{reverse('search:autocomplete')}?q={drug.name[:4]}",
        reverse("search:compare", kwargs={"a": drug.slug, "b": other.slug}),
        reverse("search:sitemap"),
        reverse("search:article-feed"),
    ]


def test_every_public_page_runs_few_queries_then_none_from_the_cache(client, site):
    for url in site:
        with CaptureQueriesContext(connection) as uncached:
            first = client.get(url)
        with CaptureQueriesContext(connection) as from_cache:
            second = client.get(url)

        assert first.status_code == 200, url
        assert first["X-Page-Cache"] == "miss", url
        # The miss also reads the schedule once per generation; the page itself stays small.
        assert len(uncached) <= MAX_QUERIES, (url, len(uncached))
        assert second["X-Page-Cache"] == "hit", url
        assert len(from_cache) == 0, url
