import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from drugs.models import DrugSideEffect
from insights.context import label_warns_of_mood_changes, mention_context, support_context
from insights.services import mentions_recompute_all
from tests.factories import (
    make_drug,
    make_drug_side_effect,
    make_indication,
    make_review,
    make_side_effect,
)

pytestmark = pytest.mark.django_db


def render_partials(**kwargs):
    with CaptureQueriesContext(connection) as queries:
        context = {**mention_context(**kwargs), **support_context(drug=kwargs["drug"])}
        context["drug"] = kwargs["drug"]
        html = render_to_string("insights/_patients_mention.html", context)
        html += render_to_string("insights/_support_information.html", context)
    return html, len(queries)


def add_reviews(indication, body, count):
    for _ in range(count):
        make_review(indication=indication, body=body, status="approved")


@pytest.fixture
def isotretinoin():
    drug = make_drug(name="Isotretinoin", slug="isotretinoin")
    indication = make_indication(drug=drug)
    dry_lips = make_side_effect(name="dry lips", slug="dry-lips", other_names="chapped lips")
    make_drug_side_effect(
        drug=drug, side_effect=dry_lips, frequency=DrugSideEffect.Frequency.VERY_COMMON
    )
    return drug, indication


def test_patients_mention_shows_share_of_reviews_beside_label_frequency(isotretinoin):
    drug, indication = isotretinoin
    add_reviews(indication, "Chapped lips from week two", 87)
    add_reviews(indication, "No dry lips at all", 60)
    add_reviews(indication, "Skin is clear", 65)
    mentions_recompute_all()

    html, _ = render_partials(drug=drug)

    assert "Patients mention" in html
    assert "dry lips</span>:" in html
    assert "41% of 212 reviews" in html
    assert "Very common (more than 1 in 10 people)" in html
    assert "Self-reported, not a measure of how often side effects happen." in html
    assert 'href="/drugs/isotretinoin/side-effects/dry-lips/reviews/"' in html
    assert 'href="/side-effects/how-to-report/"' in html


def test_small_samples_show_counts_not_percentages(isotretinoin):
    drug, indication = isotretinoin
    add_reviews(indication, "dry lips", 2)
    add_reviews(indication, "fine", 5)
    mentions_recompute_all()

    html, _ = render_partials(drug=drug, indication=indication)

    assert (
        "2 of 7 reviews" in html and "%" not in html.split("Patients mention")[1].split("</ul>")[0]
    )
    assert f"?condition={indication.condition.slug}" in html
    assert indication.title in html


def test_nothing_is_shown_when_no_review_mentions_a_side_effect(isotretinoin):
    drug, indication = isotretinoin
    add_reviews(indication, "no dry lips", 3)
    mentions_recompute_all()
    html, _ = render_partials(drug=drug)
    assert "Patients mention" not in html


def test_partials_run_a_fixed_number_of_queries(isotretinoin):
    drug, indication = isotretinoin
    add_reviews(indication, "dry lips", 1)
    mentions_recompute_all()
    _, few = render_partials(drug=drug)
    _, few_indication = render_partials(drug=drug, indication=indication)

    for index in range(10):
        side_effect = make_side_effect(name=f"Symptom {index}")
        make_drug_side_effect(drug=drug, side_effect=side_effect)
        add_reviews(make_indication(drug=drug), f"{side_effect.name} and dry lips", 3)
    add_reviews(indication, "Symptom 3, Symptom 4", 5)
    mentions_recompute_all()

    html, many = render_partials(drug=drug)
    html_indication, many_indication = render_partials(drug=drug, indication=indication)
    assert html.count("patient-mentions__item") == 11
    assert html_indication.count("patient-mentions__item") == 3
    assert (many, many_indication) == (few, few_indication)


def test_public_text_in_names_is_escaped(isotretinoin):
    drug, indication = isotretinoin
    side_effect = make_side_effect(name="<b>itch</b>", slug="itch")
    make_drug_side_effect(drug=drug, side_effect=side_effect)
    add_reviews(indication, "<b>itch</b>", 1)
    mentions_recompute_all()
    html, _ = render_partials(drug=drug)
    assert "&lt;b&gt;itch&lt;/b&gt;" in html and "<b>itch" not in html


def test_support_information_shows_when_the_label_warns_of_depression(isotretinoin):
    drug, _ = isotretinoin
    html, _ = render_partials(drug=drug)
    assert "If your mood changes" not in html

    make_drug_side_effect(drug=drug, side_effect=make_side_effect(name="Depression"))
    html, _ = render_partials(drug=drug)
    assert "If your mood changes" in html
    assert "116 123" in html and "988" in html


def test_a_boxed_warning_about_suicidal_thoughts_is_enough():
    drug = make_drug(boxed_warning="May cause **suicidal thoughts** in young people.")
    assert label_warns_of_mood_changes(drug)
    assert not label_warns_of_mood_changes(make_drug(boxed_warning="Causes birth defects."))
    other = make_drug()
    make_drug_side_effect(
        drug=other, side_effect=make_side_effect(name="Low mood", other_names="feeling down")
    )
    assert label_warns_of_mood_changes(other)


def test_patients_mention_says_how_the_figures_were_counted(isotretinoin):
    drug, indication = isotretinoin
    add_reviews(indication, "Chapped lips all winter", 3)
    mentions_recompute_all()

    html, _ = render_partials(drug=drug)

    assert "Counted by software from 3 approved reviews" in html
    assert "How we count side effects in reviews" in html
