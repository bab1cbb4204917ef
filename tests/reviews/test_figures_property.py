"""Property: after any sequence of review operations, stored figures equal a recount."""

import itertools

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews import services
from reviews.models import Review
from tests.factories import make_drug, make_indication

from .figures import assert_figures_true

pytestmark = pytest.mark.django_db

OPERATIONS = [
    "submit",
    "approve",
    "reject",
    "report",
    "delete",
    "vote",
    "map",
    "bulk_approve",
    "bulk_reject",
    "bulk_delete",
    "recount_one",
]

steps = st.lists(
    st.tuples(
        st.sampled_from(OPERATIONS),
        st.integers(min_value=0, max_value=1000),  # which review(s) / which choice
        st.integers(min_value=1, max_value=10),  # a rating
        st.one_of(st.none(), st.integers(min_value=1, max_value=5)),  # a sub-rating
    ),
    max_size=30,
)


def _pick(reviews, number):
    return reviews[number % len(reviews)] if reviews else None


def _subset(number):
    """A queryset of the reviews whose position bit is set in `number`."""
    ids = list(Review.objects.order_by("pk").values_list("pk", flat=True))
    chosen = [pk for position, pk in enumerate(ids) if number >> (position % 10) & 1]
    return Review.objects.filter(pk__in=chosen)


def _apply(operation, number, rating, sub_rating, world, counter):
    reviews = list(Review.objects.order_by("pk"))
    review = _pick(reviews, number)
    if operation == "submit":
        indication = world["indications"][number % len(world["indications"])]
        other = number % 5 == 0
        services.review_submit(
            drug=indication.drug,
            indication=None if other else indication,
            other_condition="Something else" if other else "",
            rating=rating,
            effectiveness=sub_rating,
            satisfaction=sub_rating and 6 - sub_rating,
            body=f"Experience number {next(counter)}, told in enough words to be accepted.",
            visitor_hash=f"visitor-{next(counter)}",
            submission_token=None,
        )
    elif review is None:
        return
    elif operation == "approve":
        services.review_approve(review=review, moderator=None)
    elif operation == "reject":
        services.review_reject(review=review, moderator=None, reason="Not about the drug")
    elif operation == "report":
        try:
            services.review_report(
                review=review, reason="spam", details="", visitor_hash=f"r{number % 3}"
            )
        except ValidationError:
            assert review.status != Review.Status.APPROVED
    elif operation == "delete":
        services.review_delete(review=review)
    elif operation == "vote":
        try:
            services.review_vote_helpful(review=review, visitor_hash=f"v{number % 4}")
        except Review.DoesNotExist:
            assert review.status != Review.Status.APPROVED
    elif operation == "map":
        options = [i for i in world["indications"] if i.drug_id == review.drug_id]
        services.review_set_indication(
            review=review, indication=options[number % len(options)], moderator=None
        )
    elif operation == "bulk_approve":
        services.reviews_approve(queryset=_subset(number), moderator=None)
    elif operation == "bulk_reject":
        services.reviews_reject(queryset=_subset(number), moderator=None, reason="Spam")
    elif operation == "bulk_delete":
        services.reviews_delete(queryset=_subset(number))
    elif operation == "recount_one":
        services.ratings_recount(drug_ids=[review.drug_id], indication_ids=[])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_stored_figures_always_equal_a_recount(steps):
    counter = itertools.count()
    with transaction.atomic():
        cache.clear()
        first, second = make_drug(), make_drug()
        world = {
            "indications": [
                make_indication(drug=first),
                make_indication(drug=first),
                make_indication(drug=second),
            ]
        }
        for operation, number, rating, sub_rating in steps:
            _apply(operation, number, rating, sub_rating, world, counter)
            assert_figures_true()
        transaction.set_rollback(True)
