import pytest
from django.core.cache import cache
from django.db import connection


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached pages must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _page_cache_only_where_tested(request, settings):
    """Tests see the views themselves; only `page_cache` tests exercise the page cache.

    Inside a test's transaction nothing commits, so the cache would never be
    invalidated and later requests in the same test would see stale pages.
    """
    from caching import middleware, refresh

    refresh.forget_reads()
    settings.PAGE_CACHE_ENABLED = request.node.get_closest_marker("page_cache") is not None
    # Writes leave the pages they change cold, so tests see which they invalidated,
    # except where refreshing them is what is tested.
    if request.node.get_closest_marker("page_refresh") is None:
        settings.PAGE_CACHE_REFRESH_PAGES = settings.PAGE_CACHE_PUBLISH_REFRESH_PAGES = 0
    middleware._checked.clear()


@pytest.fixture(autouse=True)
def _prerendering_only_where_tested(request, settings):
    """Pages are rendered whole, except in `prerender` and `page_cache` tests.

    For the same reason as the page cache: nothing commits inside a test, so
    the content state a prerendered page is kept under would never move.
    """
    from caching import prerender

    markers = ("prerender", "page_cache")
    settings.PRERENDER_ENABLED = any(request.node.get_closest_marker(name) for name in markers)
    prerender.store.clear()


@pytest.fixture(autouse=True)
def _scheduled_publishing_only_where_tested(request, settings):
    """Query counts are measured without the once-a-minute schedule check of requests."""
    marker = request.node.get_closest_marker("scheduled_publishing")
    settings.SCHEDULED_PUBLISHING_ON_REQUEST = marker is not None


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
