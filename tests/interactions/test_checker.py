"""The public checker: any name in, interactions out by severity, bad input explained."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dictionary.resolution import forget_indexes
from interactions.models import Interaction
from tests.factories import make_drug
from tests.interactions.factories import make_interaction

pytestmark = pytest.mark.django_db

URL = reverse("interactions:interaction-check")


@pytest.fixture
def drugs():
    forget_indexes()
    isotretinoin = make_drug(name="Isotretinoin", slug="isotretinoin", brand_names="Absorica")
    doxycycline = make_drug(name="Doxycycline", slug="doxycycline", brand_names="Vibramycin")
    minocycline = make_drug(name="Minocycline", slug="minocycline", brand_names="Minocin")
    ibuprofen = make_drug(name="Ibuprofen", slug="ibuprofen", brand_names="Nurofen")
    make_interaction(
        drug=isotretinoin,
        other_drug=doxycycline,
        severity=Interaction.Severity.MAJOR,
        summary="Raised pressure around the brain.",
    )
    make_interaction(
        drug=doxycycline,
        kind=Interaction.Kind.ALCOHOL,
        other_name="Alcohol",
        severity=Interaction.Severity.MINOR,
        summary="Heavy drinking lowers its level.",
    )
    make_interaction(
        drug=minocycline,
        other_drug=isotretinoin,
        severity=Interaction.Severity.MAJOR,
        summary="Also raised pressure.",
    )
    yield {"isotretinoin": isotretinoin, "doxycycline": doxycycline, "ibuprofen": ibuprofen}
    forget_indexes()


def check(client, *names):
    return client.get(URL, {"drug": list(names)})


def test_brand_names_and_a_misspelling_find_their_interactions_most_severe_first(client, drugs):
    response = check(client, "absorica", "doxycyclin")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Raised pressure around the brain." in html
    assert "Heavy drinking lowers its level." in html
    assert html.index("Raised pressure around the brain.") < html.index("Heavy drinking")
    assert "“absorica” is Isotretinoin." in html
    assert "Also raised pressure." not in html


def test_results_always_say_that_no_interaction_recorded_is_not_safety(client, drugs):
    html = check(client, "ibuprofen", "isotretinoin").content.decode()
    assert "No interactions recorded between these medicines." in html
    assert "No interaction recorded does not mean safe." in html


def test_the_form_works_without_javascript_and_keeps_the_names(client, drugs):
    html = check(client, "Absorica", "Vibramycin").content.decode()
    assert '<form class="checker__form" method="get"' in html
    assert 'name="drug" value="Absorica"' in html
    assert 'name="drug" value="Vibramycin"' in html


def test_an_empty_checker_shows_the_form_without_errors(client, drugs):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Please check the medicines" not in response.content.decode()


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["isotretinoin"], "Enter at least two medicines"),
        (["isotretinoin"] + ["doxycycline"] * 10, "at most 10 medicines"),
        (["isotretinoin", "qwertyuiop"], "could not find a medicine called “qwertyuiop”"),
        (["isotretinoin", "Isotretinoin"], "is in the list twice"),
        (["Absorica", "isotretinoin"], "“Absorica” and “isotretinoin” are the same medicine"),
        (["isotretinoin", "x" * 101], "at most 100 characters"),
    ],
)
def test_bad_lists_get_a_clear_message_and_no_results(client, drugs, names, message):
    response = check(client, *names)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Results for" not in html


def test_a_misspelling_close_to_a_real_name_is_suggested(client, drugs):
    html = check(client, "isotretinoin", "ibuprofan").content.decode()
    assert "ibuprofan" in html


def test_unpublished_interactions_are_not_shown_to_the_public(client, drugs):
    make_interaction(
        drug=drugs["doxycycline"],
        other_drug=drugs["ibuprofen"],
        status="draft",
        summary="Draft interaction.",
    )
    assert "Draft interaction." not in check(client, "doxycycline", "ibuprofen").content.decode()


def test_checker_queries_do_not_grow_with_the_interactions_found(client, drugs):
    check(client, "isotretinoin", "doxycycline")  # builds the name index once
    with CaptureQueriesContext(connection) as few:
        check(client, "isotretinoin", "doxycycline", "ibuprofen")
    for number in range(8):
        make_interaction(
            drug=drugs["ibuprofen"],
            kind=Interaction.Kind.FOOD,
            other_name=f"Food {number}",
        )
    with CaptureQueriesContext(connection) as many:
        response = check(client, "isotretinoin", "doxycycline", "ibuprofen")
    assert response.content.decode().count("interaction-card ") == 10
    assert len(many) == len(few)


def test_interaction_page_shows_what_happens_what_to_do_and_numbered_sources(client, drugs):
    interaction = Interaction.objects.get(summary="Raised pressure around the brain.")
    response = client.get(interaction.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "What to do" in html
    assert '<a href="#ref-1"' in html
    assert 'id="ref-1"' in html


def test_dictionary_brand_names_and_their_misspellings_resolve_as_in_search(client, drugs):
    from tests.dictionary.helpers import make_drug_name

    make_drug_name(drugs["isotretinoin"], "Accutane", regions="US")
    forget_indexes()
    for names in (("accutane", "doxycycline"), ("acutane", "doxycyline")):
        response = check(client, *names)
        assert response.status_code == 200, names
        assert "Raised pressure around the brain." in response.content.decode()
    same = check(client, "isotretinoin", "Accutane")
    assert same.status_code == 400
    assert "are the same medicine (Isotretinoin)" in same.content.decode()
