import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drugs.models import PublicationStatus
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_class,
    make_drug_side_effect,
    make_indication,
    make_side_effect,
)

pytestmark = pytest.mark.django_db


def compare(a, b):
    return reverse("search:compare", kwargs={"a": a, "b": b})


@pytest.fixture
def pair():
    retinoids = make_drug_class(name="Retinoids")
    acitretin = make_drug(name="Acitretin", slug="acitretin", classes=[retinoids])
    isotretinoin = make_drug(
        name="Isotretinoin",
        slug="isotretinoin",
        classes=[retinoids],
        boxed_warning="Causes serious birth defects.",
    )
    make_indication(drug=isotretinoin, condition=make_condition(name="Severe acne"))
    make_indication(
        drug=isotretinoin,
        condition=make_condition(name="Psoriasis"),
        approval_status="off_label",
    )
    make_indication(drug=acitretin, condition=make_condition(name="Plaque psoriasis"))
    make_drug_side_effect(
        drug=isotretinoin, side_effect=make_side_effect(name="Dry lips"), frequency=1
    )
    make_drug_side_effect(
        drug=acitretin, side_effect=make_side_effect(name="Hair thinning"), frequency=2
    )
    return acitretin, isotretinoin


def test_compare_shows_both_drugs_side_by_side(client, pair):
    response = client.get(compare("acitretin", "isotretinoin"))
    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Acitretin vs Isotretinoin",
        "Retinoids",
        "Severe acne",
        "Approved uses",
        "Off-label uses",
        "Dry lips",
        "Hair thinning",
        "Causes serious birth defects.",
    ):
        assert text in content
    assert content.count("<h1") == 1


def test_compare_in_the_other_order_redirects_to_the_canonical_url(client, pair):
    response = client.get(compare("isotretinoin", "acitretin"))
    assert response.status_code == 301
    assert response["Location"] == compare("acitretin", "isotretinoin")


@pytest.mark.parametrize(
    ("a", "b"),
    [("isotretinoin", "isotretinoin"), ("acitretin", "nosuchdrug"), ("nosuch", "nothing")],
)
def test_unknown_pairs_and_a_drug_against_itself_are_404(client, pair, a, b):
    assert client.get(compare(a, b)).status_code == 404


def test_compare_refuses_unpublished_drugs(client, pair):
    make_drug(name="Zeta draft", slug="zeta-draft", status=PublicationStatus.DRAFT)
    assert client.get(compare("acitretin", "zeta-draft")).status_code == 404


def test_compare_leaves_out_unpublished_uses(client, pair):
    acitretin, isotretinoin = pair
    make_indication(drug=isotretinoin, condition=make_condition(name="Secret use"), status="draft")
    hidden_condition = make_condition(name="Hidden condition", status="draft")
    make_indication(drug=acitretin, condition=hidden_condition)
    content = client.get(compare("acitretin", "isotretinoin")).content.decode()
    assert "Secret use" not in content
    assert "Hidden condition" not in content


def test_compare_works_with_slugs_containing_vs(client):
    make_drug(name="A vs B", slug="a-vs-b")
    make_drug(name="Zed", slug="zed")
    assert client.get("/compare/a-vs-b-vs-zed/").status_code == 200


def test_compare_queries_do_not_grow_with_uses_and_side_effects(client, pair):
    acitretin, isotretinoin = pair
    url = compare("acitretin", "isotretinoin")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        make_indication(drug=acitretin)
        make_drug_side_effect(drug=isotretinoin)
        acitretin.drug_classes.add(make_drug_class())
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)


def test_compare_links_for_a_drug_use_the_canonical_order(pair):
    from django.template.loader import render_to_string

    acitretin, isotretinoin = pair
    html = render_to_string(
        "search/_compare_links.html", {"drug": isotretinoin, "compare_with": [acitretin]}
    )
    assert 'href="/compare/acitretin-vs-isotretinoin/"' in html
    assert "Compare with similar drugs" in html


def test_compare_links_for_a_condition_pair_its_published_drugs(pair):
    from django.template.loader import render_to_string

    acitretin, isotretinoin = pair
    condition = make_condition(name="Acne")
    draft = make_drug(name="Draftol", slug="draftol", status=PublicationStatus.DRAFT)
    indications = [
        make_indication(drug=drug, condition=condition) for drug in (isotretinoin, acitretin, draft)
    ]
    html = render_to_string(
        "search/_compare_links.html", {"drugs": indications, "condition": condition}
    )
    assert 'href="/compare/acitretin-vs-isotretinoin/"' in html
    assert "draftol" not in html
