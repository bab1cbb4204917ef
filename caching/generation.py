"""Page-cache generations: the numbers every cached page is stamped with.

Two levels, so that a hot site does not flush everything on every vote:

- the global generation moves on with any change that pages may show across
  drugs (a drug's name in lists, an article's title in related articles, a
  rating figure on an index page, a schedule coming due). Every cached page is
  then unreachable at once and the next reader gets a fresh render;
- each drug has its own generation, in the key of the pages under that drug's
  address (/drugs/<slug>/...). It moves on for changes only those pages show,
  such as a review's helpful count, and leaves every other page cached.

A page is stored with the stamp read when its request started and served only
while the current stamp is the same: a render that raced a change carries the
old numbers and is never served. One key per address, so a newer render simply
replaces an older one.
"""

import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
BOUNDARY_KEY = "pagecache:next-boundary"
DRUG_KEY = "pagecache:drug:{}"
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
        for field in ("publish_at", "unpublish_at"):
            # One MIN per column, so each is a walk down that column's index.
            moment = model.objects.filter(**{f"{field}__gt": now}).aggregate(m=Min(field))["m"]
            if moment:
                moments.append(moment)
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


def current(drug_slug=None):
    """The generations a page is cached under now, as one stamp."""
    return lookup(None, drug_slug)[0]


def lookup(page_key, drug_slug=None):
    """(stamp, stored page or None) in one cache round trip.

    The stamp holds the global generation (moved on first if the next schedule
    boundary has passed) and, for a page under a drug's address, that drug's
    generation. The caller serves the stored page only if it carries this stamp.
    """
    keys = [GENERATION_KEY, BOUNDARY_KEY]
    if drug_slug is not None:
        keys.append(DRUG_KEY.format(drug_slug))
    if page_key is not None:
        keys.append(page_key)
    values = cache.get_many(keys)
    generation = values.get(GENERATION_KEY)
    boundary = values.get(BOUNDARY_KEY)
    if generation is None or (boundary is not None and boundary <= time.time()):
        generation = _new_generation()
    stamp = str(generation)
    if drug_slug is not None:
        drug_generation = values.get(DRUG_KEY.format(drug_slug))
        if drug_generation is None:
            # Never set, or evicted: start a new number, never one a stored page may carry.
            # add() keeps the first of two racing requests' numbers; read back whichever won.
            cache.add(DRUG_KEY.format(drug_slug), time.time_ns(), None)
            drug_generation = cache.get(DRUG_KEY.format(drug_slug))
        stamp = f"{stamp}.{drug_generation}"
    return stamp, values.get(page_key) if page_key is not None else None


def changed_within(stamp, seconds):
    """True if a generation in `stamp` moved less than `seconds` ago (they are times, in ns)."""
    newest = max(int(number) for number in stamp.split("."))
    return time.time_ns() - newest < seconds * 1_000_000_000


def _safely(move):
    if not cache_available():
        return
    try:
        move()
    except Exception as exc:
        cache_failed(exc)


def _move_global():
    _safely(_new_generation)


def bump():
    """Invalidate every cached page once the current transaction commits.

    Once per transaction however many rows it writes: an import saving a
    thousand rows moves the generation (and reads the schedule) once.
    """
    connection = transaction.get_connection()
    # Already due at this level of this transaction: one more would only repeat it.
    # (A move registered in an outer or inner savepoint is not enough: that savepoint
    # may be rolled back, or its callbacks run on their own in tests.)
    level = set(connection.savepoint_ids)
    if connection.in_atomic_block and any(
        callback is _move_global and savepoints == level
        for savepoints, callback, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_move_global)


def bump_drugs(*, drug_ids):
    """Invalidate only the pages under these drugs' addresses, once the transaction commits.

    For changes that no page outside /drugs/<slug>/ shows (a review's helpful
    count); anything shown in lists or on other drugs' pages needs `bump()`.
    """
    from drugs.models import Drug

    slugs = list(Drug.objects.filter(pk__in=drug_ids).values_list("slug", flat=True))
    if not slugs:
        return
    transaction.on_commit(
        lambda: _safely(
            lambda: cache.set_many({DRUG_KEY.format(slug): time.time_ns() for slug in slugs}, None)
        )
    )
