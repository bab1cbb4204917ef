"""Search through the drug dictionary: the same answers on PostgreSQL and SQLite."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dictionary.helpers import make_combination_pill, make_drug_name, make_isotretinoin
from tests.factories import make_drug

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")
AUTOCOMPLETE = reverse("search:autocomplete")


def drug_results(client, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    for group in response.context["groups"]:
        if group["kind"] == "drugs":
            return [row.name for row in group["rows"]]
    return []


@pytest.fixture
def drugs():
    isotretinoin = make_isotretinoin()
    combination, norethindrone = make_combination_pill()
    # Decoys: names that share words or letters with the queries.
    make_drug(name="Tretinoin", slug="tretinoin", summary="A retinoid cream; not isotretinoin.")
    make_drug(name="Estradiol", slug="estradiol")
    return {"isotretinoin": isotretinoin, "pill": combination, "norethindrone": norethindrone}


@pytest.mark.parametrize(
    "query", ["Accutane", "roaccutane", "ROACCUTANE", "isotretinion", "Absorica", "isotrétinoïne"]
)
def test_brand_names_other_spellings_and_misspellings_put_the_generic_first(client, drugs, query):
    assert drug_results(client, query)[0] == "Isotretinoin"


def test_an_ingredient_written_as_one_word_finds_the_drug_containing_it(client, drugs):
    assert drug_results(client, "ethinylestradiol")[0] == "Ethinyl estradiol and norethindrone"


def test_a_combination_written_as_the_export_does_finds_the_combination(client, drugs):
    results = drug_results(client, "Ethinyl estradiol / norethindrone")

    assert results[0] == "Ethinyl estradiol and norethindrone"


def test_the_generic_itself_still_comes_first(client, drugs):
    assert drug_results(client, "isotretinoin")[0] == "Isotretinoin"


def test_unpublished_drugs_are_not_found_through_their_brand_names(client):
    drug = make_drug(name="Spironolactone", status="draft")
    make_drug_name(drug, "Aldactone", regions="US, GB")

    assert drug_results(client, "Aldactone") == []


def test_search_queries_do_not_grow_with_the_dictionary(client, drugs):
    drug_results(client, "Accutane")
    with CaptureQueriesContext(connection) as few:
        drug_results(client, "Accutane")
    for number in range(20):
        drug = make_drug(name=f"Filler {number}")
        make_drug_name(drug, f"Fillerbrand {number}")
    drug_results(client, "Accutane")

    with CaptureQueriesContext(connection) as many:
        drug_results(client, "Accutane")

    assert len(many) == len(few)


def test_autocomplete_offers_brand_names_with_their_generic(client, drugs):
    response = client.get(AUTOCOMPLETE, {"q": "Accu"})

    results = response.json()["results"]
    assert results[0]["label"] == "Accutane"
    assert results[0]["detail"] == "brand name \u2192 Isotretinoin"
    assert results[0]["url"] == drugs["isotretinoin"].get_absolute_url()


def test_a_brand_url_redirects_permanently_to_the_drug_page(client, drugs):
    response = client.get("/drugs/accutane/")

    assert response.status_code == 301
    assert response["Location"] == drugs["isotretinoin"].get_absolute_url()
    assert client.get("/drugs/roaccutane/side-effects/")["Location"] == (
        f"/drugs/{drugs['isotretinoin'].slug}/side-effects/"
    )


def test_an_unknown_drug_url_is_still_a_404(client, drugs):
    assert client.get("/drugs/acutane-not-a-brand/").status_code == 404


def test_the_drug_page_lists_brand_names_by_region(client, drugs):
    response = client.get(drugs["isotretinoin"].get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "<dt>United States</dt><dd>Absorica, Accutane</dd>" in content
    assert "<dt>United Kingdom</dt><dd>Roaccutane</dd>" in content
    assert (
        "Isotrétinoïne" not in content.split('id="brand-names-heading"')[1].split("</section>")[0]
    )


def test_the_drug_page_runs_the_same_queries_with_one_brand_or_many(client):
    drug = make_drug(name="Isotretinoin", slug="isotretinoin")
    make_drug_name(drug, "Accutane", regions="US")
    client.get(drug.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(drug.get_absolute_url())
    for number in range(10):
        make_drug_name(drug, f"Brand {number}", regions="GB, FR" if number % 2 else "")

    with CaptureQueriesContext(connection) as many:
        response = client.get(drug.get_absolute_url())

    assert "Brand 9" in response.content.decode()
    assert len(many) == len(few)


def test_a_misspelt_drug_offers_did_you_mean_on_every_database(client, drugs):
    response = client.get(SEARCH, {"q": "isotretinion"})

    assert response.context["suggestion"] == "Isotretinoin"
    assert "Did you mean" in response.content.decode()
