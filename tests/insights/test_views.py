import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drugs.models import DrugSideEffect, PublicationStatus
from insights.services import mentions_recompute_all
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_side_effect,
    make_indication,
    make_review,
    make_side_effect,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """These tests measure the views themselves; a cached page would hide their SQL."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture
def isotretinoin():
    drug = make_drug(
        name="Isotretinoin", slug="isotretinoin", boxed_warning="Causes birth defects."
    )
    acne = make_indication(drug=drug, condition=make_condition(name="Acne", slug="acne"))
    psoriasis = make_indication(
        drug=drug,
        condition=make_condition(name="Psoriasis", slug="psoriasis"),
        approval_status="off_label",
    )
    link = make_drug_side_effect(
        drug=drug,
        side_effect=make_side_effect(name="Dry lips", slug="dry-lips", other_names="chapped lips"),
        frequency=DrugSideEffect.Frequency.VERY_COMMON,
    )
    return drug, acne, psoriasis, link


def mention_url(drug, slug="dry-lips", **query):
    url = reverse("insights:mention-list", kwargs={"slug": drug.slug, "side_effect_slug": slug})
    return url + (f"?condition={query['condition']}" if "condition" in query else "")


def add(indication, body, status="approved", **fields):
    return make_review(indication=indication, body=body, status=status, **fields)


def test_mention_page_lists_approved_reviews_that_mention_the_side_effect(client, isotretinoin):
    drug, acne, psoriasis, _ = isotretinoin
    add(acne, "Chapped lips <b>all</b> winter", nickname="Sam")
    add(psoriasis, "dry lips from week one")
    add(acne, "No dry lips at all")
    add(acne, "dry lips but still pending", status="pending")
    add(acne, "dry lips, rejected", status="rejected")
    mentions_recompute_all()

    response = client.get(mention_url(drug))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Chapped lips &lt;b&gt;all&lt;/b&gt; winter" in html
    assert "dry lips from week one" in html
    assert "No dry lips at all" not in html and "pending" not in html and "rejected" not in html
    assert "Self-reported, not a measure of how often it happens." in html
    assert "2 of 3 approved reviews mention Dry lips" in html
    assert "Causes birth defects." in html
    assert "Off-label" in html
    assert html.count("<h1") == 1


def test_mention_page_for_one_condition(client, isotretinoin):
    drug, acne, psoriasis, _ = isotretinoin
    add(acne, "Chapped lips in acne treatment")
    add(psoriasis, "dry lips for psoriasis")
    mentions_recompute_all()

    response = client.get(mention_url(drug, condition="psoriasis"))

    html = response.content.decode()
    assert "dry lips for psoriasis" in html and "acne treatment" not in html
    assert "Off-label" in html
    assert "1 of 1 approved review mention" in html


@pytest.mark.parametrize(
    "url",
    [
        "/drugs/isotretinoin/side-effects/no-such-thing/reviews/",
        "/drugs/no-such-drug/side-effects/dry-lips/reviews/",
        "/drugs/isotretinoin/side-effects/dry-lips/reviews/?condition=nope",
        "/drugs/isotretinoin/side-effects/dry-lips/reviews/?condition=" + "a" * 500,
        "/drugs/isotretinoin/side-effects/dry-lips/reviews/?page=99",
        "/drugs/isotretinoin/side-effects/dry-lips/reviews/?page=x",
    ],
)
def test_bad_addresses_are_not_found(client, isotretinoin, url):
    assert client.get(url).status_code == 404


def test_nul_in_the_condition_filter_is_a_bad_request(client, isotretinoin):
    # Refused before the view runs (pages.middleware): no request may carry NUL.
    url = "/drugs/isotretinoin/side-effects/dry-lips/reviews/?condition=%00"
    assert client.get(url).status_code == 400


def test_a_side_effect_not_on_the_drugs_label_is_not_found(client, isotretinoin):
    drug, *_ = isotretinoin
    make_side_effect(name="Hiccups", slug="hiccups")
    assert client.get(mention_url(drug, "hiccups")).status_code == 404


def test_an_unpublished_drug_is_hidden_from_the_public(client, isotretinoin):
    drug, *_ = isotretinoin
    drug.status = PublicationStatus.DRAFT
    drug.save()
    assert client.get(mention_url(drug)).status_code == 404


def test_mention_page_queries_do_not_grow_with_reviews(client, isotretinoin):
    drug, acne, psoriasis, _ = isotretinoin
    add(acne, "dry lips")
    mentions_recompute_all()
    with CaptureQueriesContext(connection) as few:
        assert client.get(mention_url(drug)).status_code == 200
    for index in range(15):
        add(acne if index % 2 else psoriasis, f"dry lips, day {index}")
    mentions_recompute_all()

    with CaptureQueriesContext(connection) as many:
        response = client.get(mention_url(drug))

    assert response.status_code == 200
    assert response.content.decode().count('class="review"') == 16
    assert len(many) == len(few)


def test_reporting_page_names_the_regulators(client):
    response = client.get(reverse("insights:side-effect-reporting"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Yellow Card" in html and "MedWatch" in html


def drug_pages(drug, indication):
    return [
        drug.get_absolute_url(),
        reverse("drugs:drug-side-effects", kwargs={"slug": drug.slug}),
        indication.get_absolute_url(),
    ]


def test_drug_pages_show_patients_mention_beside_the_label(client, isotretinoin):
    drug, acne, psoriasis, _ = isotretinoin
    for index in range(25):
        add(acne if index % 5 else psoriasis, "Chapped lips" if index % 2 else "Clear skin")
    mentions_recompute_all()

    for url in drug_pages(drug, acne):
        html = client.get(url).content.decode()
        assert "Patients mention" in html, url
        assert "Self-reported, not a measure of how often side effects happen." in html
        assert "Label: Very common (more than 1 in 10 people)" in html
        assert 'href="/side-effects/how-to-report/"' in html
    drug_html = client.get(drug.get_absolute_url()).content.decode()
    assert "48% of 25 reviews" in drug_html
    acne_html = client.get(acne.get_absolute_url()).content.decode()
    assert "50% of 20 reviews" in acne_html and "?condition=acne" in acne_html


def test_drug_pages_show_support_information_when_the_label_warns_of_depression(
    client, isotretinoin
):
    drug, acne, _, _ = isotretinoin
    assert "If your mood changes" not in client.get(drug.get_absolute_url()).content.decode()
    make_drug_side_effect(
        drug=drug,
        side_effect=make_side_effect(name="Depression", other_names="low mood"),
        frequency=DrugSideEffect.Frequency.UNCOMMON,
    )
    for url in drug_pages(drug, acne):
        html = client.get(url).content.decode()
        assert "If your mood changes" in html and "116 123" in html, url


def test_drug_pages_queries_do_not_grow_with_mentions(client, isotretinoin):
    drug, acne, psoriasis, _ = isotretinoin
    add(acne, "dry lips")
    mentions_recompute_all()
    few = {}
    for url in drug_pages(drug, acne):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        few[url] = len(queries)

    for index in range(10):
        side_effect = make_side_effect(name=f"Symptom {index}")
        make_drug_side_effect(drug=drug, side_effect=side_effect)
        add(acne, f"{side_effect.name} and dry lips")
        add(psoriasis, f"{side_effect.name}, nothing else")
    mentions_recompute_all()

    for url in drug_pages(drug, acne):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.content.decode().count("patient-mentions__item") == 11, url
        assert len(queries) == few[url], url


def test_methods_page_says_how_side_effects_are_counted_and_how_often_it_is_right(client):
    from insights.evaluation import measured_quality

    quality = measured_quality()
    response = client.get(reverse("insights:mention-methods"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "How we count side effects in reviews" in html
    assert f"right {quality.right_in_ten} times in 10 ({quality.right_percent}%)" in html
    assert f"found {quality.found_in_ten} in 10 ({quality.found_percent}%)" in html
    assert reverse("insights:side-effect-reporting") in html


def test_each_figure_says_it_was_counted_by_software_and_how_good_that_is(client, isotretinoin):
    from insights.evaluation import measured_quality

    drug, acne, _, _ = isotretinoin
    add(acne, "Chapped lips all winter")
    mentions_recompute_all()
    quality = measured_quality()

    html = client.get(mention_url(drug)).content.decode()

    assert "Counted by software from 1 approved review;" in html
    assert f"it was right {quality.right_in_ten} times in 10" in html
    assert reverse("insights:mention-methods") in html


def test_without_a_measurement_no_accuracy_is_claimed(client, isotretinoin, monkeypatch, tmp_path):
    from insights import evaluation

    monkeypatch.setattr(evaluation, "QUALITY_FILE", tmp_path / "missing.json")
    evaluation.measured_quality.cache_clear()
    drug, acne, _, _ = isotretinoin
    add(acne, "Chapped lips all winter")
    mentions_recompute_all()
    try:
        html = client.get(mention_url(drug)).content.decode()
        methods = client.get(reverse("insights:mention-methods")).content.decode()
    finally:
        evaluation.measured_quality.cache_clear()

    assert "Counted by software from 1 approved review." in html
    assert "times in 10" not in html
    assert "has not been measured" in methods
