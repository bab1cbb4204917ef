"""Every public sort, with or without a rating filter, is read in index order (PostgreSQL)."""

import pytest
from django.db import connection

from reviews.models import Review, ReviewQuerySet
from tests.factories import make_indication, make_review

pytestmark = pytest.mark.django_db


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Tiny test tables would otherwise be read sequentially whatever the indexes.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.parametrize("sort", sorted(ReviewQuerySet.SORTS))
@pytest.mark.parametrize("scope", ["drug", "indication"])
@pytest.mark.parametrize("rating", [None, 7])
def test_review_list_sorts_are_served_by_an_index_without_sorting(on_postgres, sort, scope, rating):
    indication = make_indication()
    for n in range(30):
        make_review(indication=indication, rating=1 + n % 10, status=Review.Status.APPROVED)
    subject = indication.drug if scope == "drug" else indication
    reviews = Review.objects.for_listing().filter(**{scope: subject})
    if rating:
        reviews = reviews.filter(rating=rating)
    plan = _plan(reviews.sorted_by(sort)[:20])
    assert "Index" in plan, plan
    assert "Sort" not in plan, plan
