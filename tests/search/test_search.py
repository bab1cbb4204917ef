import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drugs.models import PublicationStatus
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_side_effect,
    make_indication,
    make_side_effect,
)

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")
AUTOCOMPLETE = reverse("search:autocomplete")


@pytest.fixture
def isotretinoin():
    return make_drug(
        name="Isotretinoin",
        generic_name="isotretinoin",
        brand_names="Absorica, Accutane, Claravis",
        summary="A retinoid taken by mouth for severe acne.",
    )


def result_titles(response, kind):
    for group in response.context["groups"]:
        if group["kind"] == kind:
            return [str(row) for row in group["rows"]]
    return []


def test_search_finds_a_drug_by_name(client, isotretinoin):
    response = client.get(SEARCH, {"q": "isotretinoin"})
    assert response.status_code == 200
    assert result_titles(response, "drugs")[0] == "Isotretinoin"


def test_search_finds_a_drug_by_brand_name(client, isotretinoin):
    response = client.get(SEARCH, {"q": "Accutane"})
    assert result_titles(response, "drugs") == ["Isotretinoin"]


def test_search_finds_conditions_by_other_names(client):
    make_condition(name="Acne", other_names="spots, pimples")
    response = client.get(SEARCH, {"q": "pimples"})
    assert result_titles(response, "conditions") == ["Acne"]


def test_search_shows_the_approval_status_of_uses(client, isotretinoin):
    make_indication(
        drug=isotretinoin,
        condition=make_condition(name="Psoriasis"),
        title="Isotretinoin for Psoriasis",
        approval_status="off_label",
    )
    response = client.get(SEARCH, {"q": "isotretinoin"})
    assert result_titles(response, "indications") == ["Isotretinoin for Psoriasis"]
    assert "Off-label use" in response.content.decode()


def test_search_finds_side_effects_with_the_drugs_that_cause_them(client, isotretinoin):
    lips = make_side_effect(name="Dry lips", other_names="chapped lips")
    make_drug_side_effect(drug=isotretinoin, side_effect=lips)
    response = client.get(SEARCH, {"q": "chapped"})
    assert result_titles(response, "side_effects") == ["Dry lips"]
    assert reverse("drugs:drug-side-effects", kwargs={"slug": isotretinoin.slug}) in (
        response.content.decode()
    )


def test_search_marks_matching_words_after_escaping(client):
    make_drug(name="Zinc <b>oxide</b>", summary="Zinc oxide <script>alert(1)</script> cream.")
    content = client.get(SEARCH, {"q": "zinc"}).content.decode()
    assert "<mark>Zinc</mark> &lt;b&gt;oxide&lt;/b&gt;" in content
    assert "<script>alert(1)</script>" not in content


def test_search_never_shows_unpublished_content(client):
    draft = make_drug(name="Draftamycin", status=PublicationStatus.DRAFT, brand_names="Draftex")
    live = make_drug(name="Livamycin")
    make_condition(name="Draftitis", status=PublicationStatus.IN_REVIEW)
    make_indication(drug=draft, title="Draftamycin for Livamycin users")
    make_indication(drug=live, title="Livamycin for Draftitis", status=PublicationStatus.DRAFT)
    make_drug_side_effect(drug=draft, side_effect=make_side_effect(name="Draftish rash"))
    for query in ("Draftamycin", "Draftex", "Draftitis", "Draftish", "Livamycin for"):
        response = client.get(SEARCH, {"q": query})
        assert "Draft" not in "".join(
            str(row) for group in response.context["groups"] for row in group["rows"]
        )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "' OR 1=1; DROP TABLE drugs_drug; --",
        "(a|b)*[",
        ".*",
        "a & | ! <-> :*",
        '"unclosed',
        "акне",
        "痤疮",
        "isotretinoin OR -acne",
    ],
)
def test_search_survives_odd_queries(client, isotretinoin, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["a" * 10_240, "iso\x00tretinoin"])
def test_search_refuses_overlong_or_nul_queries_with_400(client, isotretinoin, query):
    assert client.get(SEARCH, {"q": query}).status_code == 400
    assert client.get(AUTOCOMPLETE, {"q": query}).status_code == 400


def test_search_page_works_without_a_query(client):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert response.context["groups"] == []


def test_one_kind_is_paginated(client):
    for number in range(25):
        make_drug(name=f"Paginol {number:02}")
    response = client.get(SEARCH, {"q": "paginol", "kind": "drugs", "page": 2})
    assert response.status_code == 200
    assert len(result_titles(response, "drugs")) == 5


def test_search_queries_do_not_grow_with_results(client):
    def add_rows(count):
        for _ in range(count):
            drug = make_drug(name=f"Qcount {make_drug().pk}")
            make_indication(drug=drug, title=f"{drug.name} for something")
            make_drug_side_effect(
                drug=drug, side_effect=make_side_effect(name=f"Qcount {drug.pk} ache")
            )
            make_condition(name=f"Qcount {drug.pk} syndrome")

    add_rows(1)
    with CaptureQueriesContext(connection) as few:
        client.get(SEARCH, {"q": "qcount"})
    add_rows(10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(SEARCH, {"q": "qcount"})
    assert response.status_code == 200
    assert len(many) == len(few)


def test_autocomplete_returns_names_as_json(client, isotretinoin):
    make_condition(name="Isolated acne")
    data = client.get(AUTOCOMPLETE, {"q": "iso"}).json()
    labels = [item["label"] for item in data["results"]]
    assert "Isotretinoin" in labels
    assert data["results"][0]["url"] == isotretinoin.get_absolute_url()


def test_autocomplete_needs_two_letters(client, isotretinoin):
    assert client.get(AUTOCOMPLETE, {"q": "i"}).json() == {"results": []}


def test_autocomplete_hides_unpublished_drugs(client):
    make_drug(name="Hiddenol", status=PublicationStatus.DRAFT)
    assert client.get(AUTOCOMPLETE, {"q": "hiddenol"}).json() == {"results": []}


# PostgreSQL: ranking and typo tolerance.


def test_exact_name_beats_brand_name_beats_body_text(client, on_postgres):
    make_drug(name="Body", summary="Sometimes given together with Roaccutane.")
    make_drug(name="Branded", brand_names="Roaccutane")
    make_drug(name="Roaccutane")
    response = client.get(SEARCH, {"q": "roaccutane"})
    assert result_titles(response, "drugs") == ["Roaccutane", "Branded", "Body"]


def test_article_title_beats_article_body(client, on_postgres):
    make_indication(title="Tretinoin for wrinkles")
    make_indication(
        title="Something else", what_to_expect="Unlike tretinoin, this is taken by mouth."
    )
    response = client.get(SEARCH, {"q": "tretinoin"})
    assert result_titles(response, "indications") == ["Tretinoin for wrinkles", "Something else"]


def test_typo_still_finds_the_drug(client, isotretinoin, on_postgres):
    response = client.get(SEARCH, {"q": "isotretinon"})
    assert result_titles(response, "drugs") == ["Isotretinoin"]


def test_typo_in_a_brand_name_finds_the_drug(client, isotretinoin, on_postgres):
    response = client.get(SEARCH, {"q": "Acutane"})
    assert result_titles(response, "drugs") == ["Isotretinoin"]


def test_near_miss_offers_did_you_mean(client, isotretinoin, on_postgres):
    response = client.get(SEARCH, {"q": "isotretinon"})
    assert response.context["suggestion"] == "Isotretinoin"
    assert "Did you mean" in response.content.decode()


def test_exact_match_offers_no_suggestion(client, isotretinoin, on_postgres):
    assert client.get(SEARCH, {"q": "isotretinoin"}).context["suggestion"] is None


def test_brand_name_search_finds_the_drug_through_the_stored_vector(
    client, isotretinoin, on_postgres
):
    isotretinoin.brand_names = "Absorica"
    isotretinoin.save()
    assert result_titles(client.get(SEARCH, {"q": "absorica"}), "drugs") == ["Isotretinoin"]
    assert result_titles(client.get(SEARCH, {"q": "claravis"}), "drugs") == []


def test_article_sections_are_searched(client, on_postgres):
    from drugs.models import IndicationSection

    indication = make_indication(title="Plain title")
    IndicationSection.objects.create(
        indication=indication, heading="Storage", body="Keep away from zanzibarite."
    )
    response = client.get(SEARCH, {"q": "zanzibarite"})
    assert result_titles(response, "indications") == ["Plain title"]


def test_titles_are_found_even_past_the_body_text_cap(client, monkeypatch, on_postgres):
    from search import backends

    monkeypatch.setattr(backends, "TEXT_CANDIDATES", 2)
    for _ in range(5):
        make_indication(what_to_expect="Watch for signs of pancreatitis.")
    make_indication(title="Octreotide for Pancreatitis")
    response = client.get(SEARCH, {"q": "pancreatitis", "kind": "indications"})
    assert result_titles(response, "indications")[0] == "Octreotide for Pancreatitis"


def test_a_word_in_every_title_ranks_a_bounded_set_of_articles(client, monkeypatch, on_postgres):
    from search import backends

    monkeypatch.setattr(backends, "TEXT_CANDIDATES", 2)
    monkeypatch.setattr(backends, "NAME_CANDIDATES", 2)
    for number in range(6):
        make_indication(title=f"Drug {number} for Pancreatitis")
    response = client.get(SEARCH, {"q": "pancreatitis", "kind": "indications"})
    # At most the two word matches and the two near-miss titles, not all six.
    assert 1 <= response.context["page_obj"].paginator.count <= 4


def test_an_exact_name_is_found_however_common_its_word(client, monkeypatch, on_postgres):
    from search import backends

    monkeypatch.setattr(backends, "TEXT_CANDIDATES", 2)
    monkeypatch.setattr(backends, "NAME_CANDIDATES", 2)
    for kind in ("aspart", "degludec", "detemir", "glargine", "lispro"):
        make_drug(name=f"Insulin {kind}", summary="An insulin.")
    make_drug(name="Insulin", summary="Human insulin.")
    response = client.get(SEARCH, {"q": "INSULIN", "kind": "drugs"})
    assert result_titles(response, "drugs")[0] == "Insulin"
