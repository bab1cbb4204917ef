"""Whole responses cached for anonymous readers, never for staff or personal pages.

Every response says what happened in `X-Cache`: `hit` (served from the cache),
`miss` (rendered now, and stored if it may be shared) or `bypass` (a visitor
with a session, a non-GET request, a page that is never shared).

A stored page carries the versions of the keys it depends on (see
dependencies.py) and is served only while they are all unchanged.

A page nobody has cached yet is rendered once however many readers ask for it
at the same moment: the first takes a short lock in the shared cache and
renders, the others wait for its result (single flight). They never get an
older copy instead, so a reader never sees a page from before a change.
"""

import logging
import time
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, set_response_etag

from . import generation, refresh
from .dependencies import page_dependencies
from .prerender import MemoryStore

logger = logging.getLogger(__name__)

# The render lock outlives any sane render, and frees itself if its holder dies.
LOCK_SECONDS = 20
# How long a reader waits for another's render before rendering itself: longer
# than a render takes on a server drowning in the very spike it is waiting out.
WAIT_SECONDS = 15.0
# Waiters look again after 5 ms, then less and less often (at most every 100 ms),
# so a crowd of them does not slow down the render they wait for.
WAIT_FIRST_STEP_SECONDS = 0.005
WAIT_MAX_STEP_SECONDS = 0.1
# Headers worth replaying from a stored response; the rest are recomputed.
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Security-Policy",
    "Cross-Origin-Opener-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Vary",
    "Cache-Control",
    "Last-Modified",
    "ETag",
)


def _is_anonymous_read(request):
    if request.method not in ("GET", "HEAD"):
        return False
    # A session or message cookie means a signed-in or personalised visit.
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _is_cacheable(response):
    # Cookies set (a CSRF token, a message, a session) make the page one visitor's own.
    # Django re-sends the CSRF cookie whenever a page uses the token, even to a
    # visitor who already has one, so a form page is never shared.
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control and "no-cache" not in control


def _mark(response, state):
    response["X-Cache"] = state
    # The older name, kept for clients that read it; absent when nothing was cacheable.
    if state != "bypass":
        response["X-Page-Cache"] = state
    return response


# What each address depended on when last seen, so the next lookup reads those
# versions in its first round trip. Per process, bounded, and only a hint: a
# page whose dependencies changed costs a second round trip, never a wrong answer.
_hints = {}
MAX_HINTS = 20_000


def _fresh(stored, site, known=None):
    """True if `stored` is still current: its dependencies kept the versions it was stored with.

    `known` holds versions already read; any others are read now.
    """
    dependencies = stored[0]
    if dependencies.get(generation.SITE) != site:
        return False
    known = known or {}
    missing = [key for key in dependencies if key != generation.SITE and key not in known]
    if missing:
        found = cache.get_many([generation.version_key(key) for key in missing])
        known = {**known, **{key: found.get(generation.version_key(key)) for key in missing}}
    return all(known[key] == version for key, version in dependencies.items() if key in known)


def _remember(key, stored, any_version=None):
    if len(_hints) >= MAX_HINTS:
        _hints.clear()
    _hints[key] = tuple(name for name in stored[0] if name != generation.SITE)
    if any_version is not None:
        _checked.put(key, (stored, any_version))


# Pages this worker served lately, with the `ANY` version read when they were
# last found current: a hit on one of them reads only version numbers from the
# shared cache, not the page again (tens of kilobytes to fetch and unpickle).
_checked = MemoryStore(settings.PAGE_CACHE_LOCAL_PAGES)


def _checked_page(key):
    """The page this worker last served for `key` if it is still current, else None.

    No round trip while Redis announced no change since it was found current
    (generation.ChangeFeed); otherwise one: the site and `ANY` versions with
    those of the page's keys.
    """
    found = _checked.get(key)
    if found is None:
        return None
    stored, checked_at = found
    if generation.feed.unchanged_since(checked_at):
        # No version has moved since the page was found current: no round trip at all.
        return stored
    site, any_version, _stored, known = generation.lookup(None, _hints.get(key, ()))
    if any_version == checked_at and stored[0].get(generation.SITE) == site:
        # Nothing at all changed since it was last found current.
        return stored
    if _fresh(stored, site, known):
        _checked.put(key, (stored, any_version))
        return stored
    return None


def entry(response, dependencies, refreshed=False):
    """What the cache keeps of `response`: (dependencies, content, headers, refreshed).

    `refreshed` marks a page a write rendered, not yet asked for by a reader.
    """
    # Hashed once here and replayed, rather than on every hit further up.
    if not response.has_header("ETag"):
        set_response_etag(response)
    headers = {name: response[name] for name in STORED_HEADERS if name in response}
    return (dependencies, response.content, headers, refreshed)


class PageCacheMiddleware:
    """Serve anonymous GETs from the cache; store what is safe to share.

    Sits above the session and auth middleware so a hit costs no SQL at all.
    Staff and anyone with a session always get a fresh, private response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "page_refresh", False):
            return self._refresh(request)
        if not _is_anonymous_read(request) or request.path.startswith(settings.PAGE_CACHE_SKIP):
            return _mark(self._private(self.get_response(request)), "bypass")
        if not (settings.PAGE_CACHE_ENABLED and generation.cache_available()):
            return self._uncached(request)
        started = time.time_ns()
        # Outside the try: a forged Host is the visitor's error (400), not a cache failure.
        key = f"page:{request.get_host()}:{request.get_full_path()}"
        try:
            refresh.count_read(f"{request.scheme}|{key}")
            stored = _checked_page(key)
            if stored is not None:
                return _mark(self._rebuild(stored), "hit")
            site, any_version, stored, known = generation.lookup(key, _hints.get(key, ()))
            if stored is not None and _fresh(stored, site, known):
                _remember(key, stored, any_version)
                if stored[3]:
                    # Rendered by a write and now read: refreshed again by the next one.
                    refresh.register(f"{request.scheme}|{key}", stored[0])
                return _mark(self._rebuild(stored), "hit")
            single_flight = getattr(settings, "PAGE_CACHE_SINGLE_FLIGHT", True)
            locked = single_flight and cache.add(f"lock:{key}", 1, LOCK_SECONDS)
            if single_flight and not locked:
                stored = self._wait(key)
                if stored is not None:
                    return _mark(self._rebuild(stored), "hit")
        except Exception as exc:
            generation.cache_failed(exc)
            return self._uncached(request)
        if generation.changed_within(any_version, settings.REPLICA_LAG_SECONDS):
            # The page will be stored: read it where the change surely is (see routers).
            request.read_primary = True
        try:
            response = self.get_response(request)
        except BaseException:
            if locked:
                self._unlock(key)
            raise
        store = partial(self._store, key, (started, any_version), request, response, locked)
        if _is_cacheable(response):
            self._public(response)
            # Stored once the response is complete, when the server closes
            # it: the middleware above have added their headers by then (the
            # content security policy, frame and referrer policies, the
            # ETag), so a hit replays them and those middleware find nothing
            # left to do. Django closes its own static-file requests this way.
            response._resource_closers.append(store)
            return _mark(response, "miss")
        if locked:
            self._unlock(key)
        return _mark(self._private(response), "bypass")

    def _refresh(self, request):
        """Render for a write refreshing the page (refresh.py): nothing is read or stored here."""
        response = self.get_response(request)
        if _is_cacheable(response):
            self._public(response)
            response.page_dependencies = page_dependencies(request, response)
        return response

    def _uncached(self, request):
        response = self.get_response(request)
        if _is_cacheable(response):
            self._public(response)
            return _mark(response, "miss")
        return _mark(self._private(response), "bypass")

    @staticmethod
    def _wait(key):
        """Wait for the render another request holds the lock for; its page, or None."""
        deadline = time.monotonic() + WAIT_SECONDS
        step = WAIT_FIRST_STEP_SECONDS
        outdated = None
        while time.monotonic() < deadline:
            time.sleep(step)
            step = min(step * 1.5, WAIT_MAX_STEP_SECONDS)
            found = cache.get_many([key, f"lock:{key}"])
            stored = found.get(key)
            # The outdated copy found at first is not worth checking again and again.
            if stored is not None and stored[0] != outdated:
                site, _any, _stored, _found = generation.lookup(None)
                if _fresh(stored, site):
                    return stored
                outdated = stored[0]
            if f"lock:{key}" not in found:
                # The render finished without storing (not shareable, or raced a change).
                return None
        return None

    @staticmethod
    def _unlock(key):
        try:
            cache.delete(f"lock:{key}")
        except Exception as exc:
            generation.cache_failed(exc)

    @staticmethod
    def _public(response):
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=settings.PAGE_CACHE_SHARED_MAX_AGE,
            stale_while_revalidate=30,
        )

    @staticmethod
    def _private(response):
        if "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @classmethod
    def _store(cls, key, began, request, response, locked):
        try:
            if _is_cacheable(response):
                cls._save(key, began, request, response)
        except Exception as exc:
            generation.cache_failed(exc)
        finally:
            if locked:
                cls._unlock(key)

    @staticmethod
    def _save(key, began, request, response):
        """Store the page unless something it shows may have changed while it was rendered."""
        started, any_before = began
        # A change this close before the render began may not be in what it read.
        settled = started - generation.CLOCK_MARGIN_NS
        keys = page_dependencies(request, response)
        found = generation.versions(keys | {generation.ANY}, settled)
        dependencies = {key: found[key] for key in keys}
        if found[generation.ANY] != any_before and any(
            version >= settled for version in dependencies.values()
        ):
            # Nothing at all changed during the render (the `ANY` version held), or
            # nothing this page shows did: otherwise serve it, never store it.
            return
        stored = entry(response, dependencies)
        cache.set(key, stored, generation.PAGE_SECONDS)
        _remember(key, stored)
        refresh.register(f"{request.scheme}|{key}", dependencies)

    @staticmethod
    def _rebuild(stored):
        _dependencies, content, headers, _refreshed = stored
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        return response
