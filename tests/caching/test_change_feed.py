"""A worker's copies of pages, trusted without a round trip until Redis announces a change.

These run against the real Redis: what is tested is the subscription itself.
"""

import pytest
from django.core.cache import cache

from caching import generation, row_key
from tests.caching.conftest import REDIS_URL
from tests.factories import make_drug

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.page_cache,
    pytest.mark.usefixtures("redis_cache"),
]


def _set_version_unannounced(key):
    """What a writer bypassing `move()` would do: a new version and no message."""
    cache.set(generation.version_key(key), generation.time.time_ns(), None)
    cache.set(generation.version_key(generation.ANY), generation.time.time_ns(), None)


def test_a_worker_serves_its_copy_without_asking_redis_until_a_change_is_announced(client):
    drug = make_drug()
    url = drug.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"

    # A version moved without its message is not seen: the hit read no version at all.
    _set_version_unannounced(row_key(drug))
    assert client.get(url)["X-Cache"] == "hit"

    generation.move([row_key(make_drug())])
    # Announced: the versions are read again, and the page's own changed version shows.
    assert client.get(url)["X-Cache"] == "miss"


def test_a_change_to_a_page_is_seen_by_the_next_request(client):
    drug = make_drug(name="Oldname")
    url = drug.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"

    drug.name = "Newname"
    drug.save()
    response = client.get(url)

    assert response["X-Cache"] == "miss"
    assert b"Newname" in response.content


def test_a_worker_sees_its_own_change_before_its_message_arrives(client, monkeypatch):
    drug = make_drug(name="Oldname")
    url = drug.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    # The message is still on its way: sent where this worker's subscription is not.
    monkeypatch.setattr(generation.ChangeFeed, "channel", staticmethod(lambda: "on-its-way"))

    drug.name = "Newname"
    drug.save()
    response = client.get(url)

    assert response["X-Cache"] == "miss"
    assert b"Newname" in response.content


def test_a_change_elsewhere_keeps_the_page_cached(client):
    drug = make_drug()
    url = drug.get_absolute_url()
    client.get(url)
    client.get(url)

    make_drug().save()

    assert client.get(url)["X-Cache"] == "hit"


def test_a_lost_subscription_means_reading_versions_again(client):
    import redis

    drug = make_drug()
    url = drug.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"

    # Redis drops this worker's subscriber (a restart, an overflowing buffer) and a
    # change goes unannounced.
    host, port = generation.feed._pubsub.connection._sock.getsockname()[:2]
    redis.Redis.from_url(REDIS_URL).client_kill(f"{host}:{port}")
    _set_version_unannounced(row_key(drug))

    assert client.get(url)["X-Cache"] == "miss"
