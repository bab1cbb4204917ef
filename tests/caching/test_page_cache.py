from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caching import generation
from tests.factories import make_drug, make_staff

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
    client.get("/")
    hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit"
    assert "frame-ancestors 'none'" in hit["Content-Security-Policy"]
    assert hit["X-Frame-Options"] == "DENY"
    assert "public" in hit["Cache-Control"]


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
    assert "private" in second["Cache-Control"]


def test_scheduled_publication_coming_due_invalidates_cached_pages(client):
    soon = timezone.now() + timedelta(seconds=1)
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
