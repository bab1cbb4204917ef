import os
import uuid

import pytest
from django.core.cache import cache

from caching import generation, middleware

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    """The cache on a real Redis, with keys and a change feed of this test's own."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_URL}")
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Tests running side by side each get keys and a channel of their own.
            "KEY_PREFIX": uuid.uuid4().hex,
        }
    }
    generation.feed.reset()
    middleware._checked.clear()
    yield
    # Only this test's keys: clear() would empty the database under tests running beside it.
    cache.delete_pattern("*")
    generation.feed.reset()
