"""Whole responses cached for anonymous readers, never for staff or personal pages."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from . import generation

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 3600
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
)


def _is_anonymous_read(request):
    if request.method not in ("GET", "HEAD"):
        return False
    # A session or message cookie means a signed-in or personalised visit.
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _is_cacheable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control and "no-cache" not in control


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
            # Outside the try: a forged Host is the client's error (a 400), not a cache
            # failure that would switch the cache off for everyone.
            host = request.get_host()
            try:
                key = f"page:{generation.current()}:{host}:{request.get_full_path()}"
                stored = cache.get(key)
            except Exception as exc:
                generation.cache_failed(exc)
                key = stored = None
            if stored is not None:
                response = self._rebuild(stored)
                response["X-Page-Cache"] = "hit"
                return response
        response = self.get_response(request)
        if _is_cacheable(response):
            self._public(response)
            if key is not None:
                self._store(key, response)
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
    def _store(key, response):
        headers = {name: response[name] for name in STORED_HEADERS if name in response}
        try:
            cache.set(key, (response.content, headers), CACHE_SECONDS)
        except Exception as exc:
            generation.cache_failed(exc)

    @staticmethod
    def _rebuild(stored):
        content, headers = stored
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        return response
