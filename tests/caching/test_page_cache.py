from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caching import generation
from tests.factories import make_drug, make_indication, make_staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]


def test_second_anonymous_read_is_served_from_cache_without_sql(client):
    first = client.get("/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/")

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries) == 0


def test_cached_page_keeps_its_security_headers(client):
    miss = client.get("/")
    hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Content-Security-Policy"] == miss["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in hit["Content-Security-Policy"]
    assert hit["X-Frame-Options"] == "DENY"
    assert "public" in hit["Cache-Control"]


def test_a_hit_replays_the_stored_policy_instead_of_building_it_again(client, monkeypatch):
    from csp import middleware as csp_middleware

    miss = client.get("/")
    built = []
    build_policy = csp_middleware.build_policy
    monkeypatch.setattr(
        csp_middleware,
        "build_policy",
        lambda *args, **kwargs: built.append(args) or build_policy(*args, **kwargs),
    )
    hit = client.get("/")

    assert hit["X-Page-Cache"] == "hit"
    assert hit["Content-Security-Policy"] == miss["Content-Security-Policy"]
    assert built == []


def test_changing_content_invalidates_cached_pages(client):
    client.get("/")
    make_drug(name="Newdrug")
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"


def test_staff_are_never_served_or_stored_in_the_cache(client):
    client.force_login(make_staff())
    first = client.get("/")
    second = client.get("/")
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in second
    assert first["X-Cache"] == second["X-Cache"] == "bypass"
    assert "private" in second["Cache-Control"]


def test_scheduled_publication_coming_due_invalidates_cached_pages(client):
    soon = timezone.now() + timedelta(minutes=5)
    make_drug(name="Scheduled", publish_at=soon)
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"

    boundary = generation.next_schedule_boundary()
    assert boundary == soon
    # Pretend the moment has come by moving the stored boundary into the past.
    from django.core.cache import cache

    cache.set(generation.BOUNDARY_KEY, (timezone.now() - timedelta(seconds=1)).timestamp(), None)
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_conditional_get_answers_not_modified(client):
    etag = client.get("/")["ETag"]
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_pages_are_served_uncached_when_the_cache_fails(client, settings, monkeypatch):
    # The back-off after a failure is process state: restore it after this test.
    monkeypatch.setattr(generation, "_unavailable_until", 0.0)
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            # Nothing listens here: every cache call fails at once.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    first = client.get("/")
    second = client.get("/")

    assert first.status_code == second.status_code == 200
    assert first["X-Page-Cache"] == second["X-Page-Cache"] == "miss"
    assert not generation.cache_available()


def test_rows_no_page_shows_leave_the_cache_alone(client):
    from reviews.models import Review, ReviewReport, ReviewVote
    from tests.factories import make_review

    indication = make_indication()
    client.get("/")
    review = make_review(indication=indication, status=Review.Status.PENDING)
    ReviewVote.objects.create(review=review, visitor_hash="a" * 64)
    ReviewReport.objects.create(review=review, reason="spam", visitor_hash="b" * 64)

    assert client.get("/")["X-Page-Cache"] == "hit"


def test_an_approved_review_written_directly_moves_the_cache(client):
    from reviews.models import Review
    from tests.factories import make_review

    indication = make_indication()
    drug_page = indication.drug.get_absolute_url()
    for url in ("/", drug_page):
        client.get(url)
    make_review(indication=indication, status=Review.Status.APPROVED)
    # The drug's page shows its reviews' figures; the home page only names articles.
    assert client.get(drug_page)["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_cache_control_lets_a_cdn_keep_the_page_but_browsers_revalidate(client, settings):
    response = client.get("/")
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", f"s-maxage={settings.PAGE_CACHE_SHARED_MAX_AGE}"} <= control
    assert response["ETag"]


def test_a_cached_page_answers_a_conditional_get_with_304_and_no_sql(client):
    etag = client.get("/")["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert len(queries) == 0


def test_a_forged_host_is_refused_without_switching_the_cache_off(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert generation.cache_available()


def test_a_rolled_back_savepoint_does_not_swallow_a_later_change(client):
    from django.db import transaction

    client.get("/")
    with transaction.atomic():
        try:
            with transaction.atomic():
                make_drug()
                raise RuntimeError
        except RuntimeError:
            pass
        make_drug(name="Kept")

    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"


def test_an_invalidation_refreshes_only_the_pages_depending_on_its_key(client):
    from django.db import transaction

    from caching import invalidate, row_key

    changed, other = make_drug(), make_drug()
    pages = [changed.get_absolute_url(), f"{changed.get_absolute_url()}side-effects/"]
    untouched = [other.get_absolute_url(), f"{other.get_absolute_url()}side-effects/"]
    for url in pages + untouched:
        client.get(url)

    with transaction.atomic():
        invalidate(row_key(changed))

    assert [client.get(url)["X-Cache"] for url in pages] == ["miss", "miss"]
    assert [client.get(url)["X-Cache"] for url in untouched] == ["hit", "hit"]


def test_invalidating_everything_refreshes_every_page(client):
    from django.db import transaction

    from caching import invalidate_all

    drug = make_drug()
    urls = [drug.get_absolute_url(), "/drugs/", "/"]
    for url in urls:
        client.get(url)
    with transaction.atomic():
        invalidate_all()
    assert [client.get(url)["X-Cache"] for url in urls] == ["miss"] * 3


def test_a_lost_version_never_brings_back_an_older_page(client):
    from django.core.cache import cache

    from caching import row_key

    drug = make_drug()
    url = drug.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"

    # The drug changes, then Redis evicts its version under memory pressure.
    generation.move([row_key(drug)])
    cache.delete(generation.version_key(row_key(drug)))

    assert client.get(url)["X-Cache"] == "miss"


def test_a_page_served_again_reads_only_version_numbers_until_something_changes(client):
    from django.core.cache import cache

    from caching import row_key

    drug, other = make_drug(), make_drug()
    url = drug.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    # The worker kept the page: losing the shared copy costs nothing while nothing changes.
    cache.delete(f"page:testserver:{url}")
    assert client.get(url)["X-Cache"] == "hit"

    generation.move([row_key(other)])
    assert client.get(url)["X-Cache"] == "hit"
    generation.move([row_key(drug)])
    assert client.get(url)["X-Cache"] == "miss"


def test_a_transaction_naming_a_key_many_times_moves_it_once(client):
    from django.db import transaction

    from caching import invalidate

    with transaction.atomic():
        for _ in range(5):
            invalidate("listing:test", "listing:other")
        connection_ = transaction.get_connection()
        pending = [callback for _s, callback, _r in connection_.run_on_commit]

    assert len(pending) == 1
    assert pending[0].keys == {"listing:test", "listing:other"}


def test_a_transaction_saving_many_rows_reads_the_schedule_once(client):
    from django.db import transaction

    client.get("/")
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for _ in range(5):
            make_drug(publish_at=timezone.now() + timedelta(days=1))
    schedule_reads = [q for q in queries.captured_queries if "MIN(" in q["sql"].upper()]

    # One schedule lookup: a MIN for each scheduled column of each model.
    assert len(schedule_reads) == 6
    assert client.get("/")["X-Cache"] == "miss"
