"""Whole responses cached for anonymous readers, never for staff or personal pages."""

import logging
import re
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, set_response_etag

from . import generation

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 3600
# Pages under a drug's address also carry that drug's own generation (see generation.py).
DRUG_PATH = re.compile(r"^/drugs/(?P<slug>[-\w]+)/")
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


def _drug_scope(path):
    match = DRUG_PATH.match(path)
    return match["slug"] if match else None


class PageCacheMiddleware:
    """Serve anonymous GETs from the cache; store what is safe to share.

    Sits above the session and auth middleware so a hit costs no SQL at all.
    Staff and anyone with a session always get a fresh, private response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_anonymous_read(request) or request.path.startswith(settings.PAGE_CACHE_SKIP):
            return self._private(self.get_response(request))
        key = None
        if settings.PAGE_CACHE_ENABLED and generation.cache_available():
            # Outside the try: a forged Host is the visitor's error (400), not a cache failure.
            address = f"{request.get_host()}:{request.get_full_path()}"
            key = f"page:{address}"
            try:
                stamp, stored = generation.lookup(key, _drug_scope(request.path_info))
            except Exception as exc:
                generation.cache_failed(exc)
                key = stored = None
            if stored is not None and stored[0] == stamp:
                response = self._rebuild(stored)
                response["X-Page-Cache"] = "hit"
                return response
            if key is not None and generation.changed_within(stamp, settings.REPLICA_LAG_SECONDS):
                # The page will be stored: read it where the change surely is (see routers).
                request.read_primary = True
        response = self.get_response(request)
        if _is_cacheable(response):
            self._public(response)
            if key is not None:
                # Stored once the response is complete, when the server closes
                # it: the middleware above have added their headers by then (the
                # content security policy, frame and referrer policies, the
                # ETag), so a hit replays them and those middleware find nothing
                # left to do. Django closes its own static-file requests this way.
                response._resource_closers.append(partial(self._store, key, stamp, response))
            response["X-Page-Cache"] = "miss"
        else:
            self._private(response)
        return response

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

    @staticmethod
    def _store(key, stamp, response):
        if not _is_cacheable(response):
            return
        # Hashed once here and replayed, rather than on every hit further up.
        if not response.has_header("ETag"):
            set_response_etag(response)
        headers = {name: response[name] for name in STORED_HEADERS if name in response}
        try:
            cache.set(key, (stamp, response.content, headers), CACHE_SECONDS)
        except Exception as exc:
            generation.cache_failed(exc)

    @staticmethod
    def _rebuild(stored):
        _stamp, content, headers = stored
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        return response
