import io

import pytest

from reviews import demo, services
from reviews.models import DrugRating, Review
from tests.factories import make_condition, make_drug, make_indication

from .figures import assert_figures_true

pytestmark = pytest.mark.django_db


def make_demo_articles():
    drugs, conditions = {}, {}
    for drug_slug, condition_slug in demo.REVIEWS:
        if drug_slug not in drugs:
            drugs[drug_slug] = make_drug(name=drug_slug.title(), slug=drug_slug)
        if condition_slug not in conditions:
            conditions[condition_slug] = make_condition(slug=condition_slug)
        make_indication(drug=drugs[drug_slug], condition=conditions[condition_slug])


def test_demo_reviews_load_approved_with_true_figures_and_load_again_unchanged():
    make_demo_articles()
    out = io.StringIO()
    total = sum(len(rows) for rows in demo.REVIEWS.values())
    assert demo.load(stdout=out, verbosity=2) == total
    assert Review.objects.approved().count() == total
    assert_figures_true()
    acne = DrugRating.objects.get(drug__slug="isotretinoin")
    assert acne.review_count >= 10
    assert demo.load(stdout=out, verbosity=2) == 0
    assert Review.objects.count() == total


def test_demo_reviews_skip_articles_that_do_not_exist():
    make_indication(drug=make_drug(slug="isotretinoin"), condition=make_condition(slug="acne"))
    loaded = demo.load(stdout=io.StringIO(), verbosity=0)
    assert loaded == len(demo.REVIEWS[("isotretinoin", "acne")])
    assert_figures_true()


def test_demo_reviews_are_valid_distinct_and_spread_across_ratings():
    texts = [row[-1] for rows in demo.REVIEWS.values() for row in rows]
    ratings = {row[0] for rows in demo.REVIEWS.values() for row in rows}
    assert all(services.BODY_MIN_LENGTH <= len(text) <= services.BODY_MAX_LENGTH for text in texts)
    assert len({services.body_hash(text) for text in texts}) == len(texts)
    assert ratings >= {2, 3, 4, 5, 6, 7, 8, 9, 10}


def test_load_demo_command_adds_the_reviews_to_the_demo_articles():
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    total = sum(len(rows) for rows in demo.REVIEWS.values())
    assert Review.objects.filter(source=demo.SOURCE).count() == total
    assert_figures_true()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "nothing created or updated" in out.getvalue()
