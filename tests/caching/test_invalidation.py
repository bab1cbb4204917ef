"""Cached pages are refreshed exactly when something they show changes, on real pages."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from drugs.models import DrugSideEffect, PublicationStatus
from tests.factories import (
    make_drug,
    make_drug_side_effect,
    make_indication,
    make_side_effect,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]
# Seconds until a scheduled moment: room for a busy machine to cache the page first.
SCHEDULE_MARGIN = 4


def cached(client, url):
    """Loads `url` until it is served from the cache; returns that response."""
    client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit", url
    return response


def test_editing_a_drug_refreshes_its_page_and_the_drug_index(client):
    drug = make_drug(name="Oldname")
    cached(client, drug.get_absolute_url())
    cached(client, "/drugs/")

    drug.name = "Newname"
    drug.save()

    for url in (drug.get_absolute_url(), "/drugs/"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert b"Newname" in response.content


def test_editing_an_article_refreshes_the_article_page(client):
    indication = make_indication(title="First wording of the article")
    url = indication.get_absolute_url()
    cached(client, url)

    indication.title = "Second wording of the article"
    indication.save()

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert b"Second wording of the article" in response.content


def test_a_new_side_effect_refreshes_the_side_effects_page(client):
    drug = make_drug()
    url = f"{drug.get_absolute_url()}side-effects/"
    cached(client, url)

    make_drug_side_effect(drug=drug, side_effect=make_side_effect(name="Sudden hiccups"))

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert b"Sudden hiccups" in response.content


def test_a_removed_side_effect_disappears_from_the_cached_page(client):
    link = make_drug_side_effect(side_effect=make_side_effect(name="Blue fingernails"))
    url = f"{link.drug.get_absolute_url()}side-effects/"
    assert b"Blue fingernails" in cached(client, url).content

    DrugSideEffect.objects.get(pk=link.pk).delete()

    assert b"Blue fingernails" not in client.get(url).content


def test_renaming_a_related_article_refreshes_the_pages_that_link_to_it(client):
    page = make_indication(tags=["retinoid"])
    related = make_indication(tags=["retinoid"], title="Related before")
    url = page.get_absolute_url()
    assert b"Related before" in cached(client, url).content

    related.title = "Related after"
    related.save()

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert b"Related after" in response.content
    assert b"Related before" not in response.content


def test_unpublishing_a_related_article_removes_it_from_cached_pages(client):
    page = make_indication(tags=["retinoid"])
    related = make_indication(tags=["retinoid"], title="Soon withdrawn")
    url = page.get_absolute_url()
    assert b"Soon withdrawn" in cached(client, url).content

    related.status = PublicationStatus.DRAFT
    related.save()

    assert b"Soon withdrawn" not in client.get(url).content


def test_tagging_an_article_refreshes_its_page(client):
    indication = make_indication()
    url = indication.get_absolute_url()
    cached(client, url)

    indication.tags.add("newly-tagged")

    assert client.get(url)["X-Page-Cache"] == "miss"


def test_scheduled_publication_appears_once_its_time_comes(client):
    # Real time, no fakes: the page is cached before the moment and fresh after it.
    publish_at = timezone.now() + timedelta(seconds=SCHEDULE_MARGIN)
    make_drug(name="Scheduledname", publish_at=publish_at)
    assert b"Scheduledname" not in cached(client, "/drugs/").content

    time.sleep(max(0.0, (publish_at - timezone.now()).total_seconds()) + 0.05)

    response = client.get("/drugs/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Scheduledname" in response.content


def test_scheduled_unpublication_takes_the_page_down_when_due(client):
    unpublish_at = timezone.now() + timedelta(seconds=SCHEDULE_MARGIN)
    drug = make_drug(name="Expiringname", unpublish_at=unpublish_at)
    url = drug.get_absolute_url()
    assert cached(client, url).status_code == 200

    time.sleep(max(0.0, (drug.unpublish_at - timezone.now()).total_seconds()) + 0.05)

    assert client.get(url).status_code == 404


def test_changes_inside_a_rolled_back_transaction_keep_the_cache(client):
    from django.db import transaction

    drug = make_drug()
    url = drug.get_absolute_url()
    cached(client, url)

    with pytest.raises(RuntimeError), transaction.atomic():
        drug.name = "Never saved for good"
        drug.save()
        raise RuntimeError

    assert client.get(url)["X-Page-Cache"] == "hit"


def test_loading_the_demo_content_refreshes_cached_pages(client):
    from django.core.management import call_command

    cached(client, "/drugs/")

    call_command("load_demo", verbosity=0)

    response = client.get("/drugs/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Isotretinoin" in response.content
