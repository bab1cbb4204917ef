"""Cached drug pages and checker results refresh when patient information or interactions change."""

import pytest
from django.urls import reverse

from interactions.models import Interaction
from leaflets.models import LeafletSection
from leaflets.services import leaflet_section_save
from tests.factories import make_drug
from tests.interactions.factories import make_interaction

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]


def cached(client, url):
    client.get(url)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit", url
    return response


def test_a_new_section_refreshes_the_cached_drug_page_and_handout(client):
    drug = make_drug()
    handout = reverse("leaflets:drug-handout", kwargs={"slug": drug.slug})
    for url in (drug.get_absolute_url(), handout):
        cached(client, url)
    leaflet_section_save(drug=drug, kind=LeafletSection.Kind.KEY_FACTS, body="Take it at night.")
    for url in (drug.get_absolute_url(), handout):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Take it at night." in response.content.decode()


def test_a_new_interaction_refreshes_the_drug_page_and_the_checker(client):
    first, second = make_drug(name="Firstdrug"), make_drug(name="Seconddrug")
    checker = f"{reverse('interactions:interaction-check')}?drug={first.slug}&drug={second.slug}"
    for url in (first.get_absolute_url(), checker):
        cached(client, url)
    make_interaction(drug=first, other_drug=second, summary="A fresh warning.")
    for url in (first.get_absolute_url(), checker):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "A fresh warning." in response.content.decode()
    Interaction.objects.get().delete()
    assert "A fresh warning." not in client.get(checker).content.decode()
