"""The page-cache generation: one number that every cached page's key contains.

Any change to what pages show moves the generation on, so every cached page is
unreachable at once and the next reader gets a fresh render. Pages are stored
under the generation read when the request started: a render that raced a
change lands under the old number and is never served.
"""

import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
BOUNDARY_KEY = "pagecache:next-boundary"
# How long the cache is skipped after it failed, so a dead cache costs one timeout, not one a request.
BACKOFF_SECONDS = 5.0
_unavailable_until = 0.0


def cache_available():
    return time.monotonic() >= _unavailable_until


def cache_failed(exc):
    global _unavailable_until
    _unavailable_until = time.monotonic() + BACKOFF_SECONDS
    logger.warning("Page cache unavailable, serving uncached for %ss: %s", BACKOFF_SECONDS, exc)


def next_schedule_boundary():
    """The next moment a scheduled publication or unpublication comes due, or None."""
    from drugs.models import Condition, Drug, Indication

    now = timezone.now()
    moments = []
    for model in (Drug, Condition, Indication):
        figures = model.objects.filter(Q(publish_at__gt=now) | Q(unpublish_at__gt=now)).aggregate(
            publish=Min("publish_at", filter=Q(publish_at__gt=now)),
            unpublish=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
        )
        moments += [moment for moment in figures.values() if moment]
    return min(moments) if moments else None


def _new_generation():
    # Time-based, so a cache that lost its keys never reuses an old number.
    generation = time.time_ns()
    boundary = next_schedule_boundary()
    cache.set_many(
        {
            GENERATION_KEY: generation,
            BOUNDARY_KEY: boundary.timestamp() if boundary else None,
        },
        timeout=None,
    )
    return generation


def current():
    """The generation pages are cached under now; moves on when a schedule comes due."""
    values = cache.get_many([GENERATION_KEY, BOUNDARY_KEY])
    generation = values.get(GENERATION_KEY)
    boundary = values.get(BOUNDARY_KEY)
    if generation is None or (boundary is not None and boundary <= time.time()):
        return _new_generation()
    return generation


def bump():
    """Invalidate every cached page once the current transaction commits."""

    def _bump():
        if not cache_available():
            return
        try:
            _new_generation()
        except Exception as exc:
            cache_failed(exc)

    transaction.on_commit(_bump)
