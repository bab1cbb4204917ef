"""A recount in Python, to check the figures the services store."""

from collections import defaultdict
from decimal import Decimal

from reviews.models import DrugRating, IndicationRating, Review


def _summary(reviews):
    figures = {
        "review_count": len(reviews),
        "rating_sum": sum(r.rating for r in reviews),
        "distribution": [sum(1 for r in reviews if r.rating == n) for n in range(1, 11)],
        "positive_count": sum(1 for r in reviews if r.rating >= 7),
        "average_rating": (
            (Decimal(sum(r.rating for r in reviews)) / len(reviews)).quantize(Decimal("0.01"))
            if reviews
            else None
        ),
    }
    for name in ("effectiveness", "ease_of_use", "satisfaction"):
        given = [getattr(r, name) for r in reviews if getattr(r, name) is not None]
        figures[f"{name}_sum"] = sum(given)
        figures[f"{name}_count"] = len(given)
    return figures


def _stored(row):
    return {key: getattr(row, key) for key in _summary([])}


def expected_and_stored():
    """({'drug': {id: figures}, 'indication': {...}} recounted, the same as stored), zeros dropped."""
    by_drug, by_indication = defaultdict(list), defaultdict(list)
    for review in Review.objects.approved():
        by_drug[review.drug_id].append(review)
        if review.indication_id:
            by_indication[review.indication_id].append(review)
    expected = {
        "drug": {key: _summary(rows) for key, rows in by_drug.items()},
        "indication": {key: _summary(rows) for key, rows in by_indication.items()},
    }
    empty = _summary([])
    stored = {"drug": {}, "indication": {}}
    for row in DrugRating.objects.all():
        if _stored(row) != empty:
            stored["drug"][row.drug_id] = _stored(row)
    for row in IndicationRating.objects.all():
        if _stored(row) != empty:
            stored["indication"][row.indication_id] = _stored(row)
    return expected, stored


def assert_figures_true():
    expected, stored = expected_and_stored()
    assert stored == expected
