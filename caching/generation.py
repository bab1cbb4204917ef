"""Version numbers of dependency keys: what every cached page is checked against.

A dependency key names something pages show (`drugs.drug:12`, `listing:drugs`).
Each key has a version in the shared cache: the time, in nanoseconds, of the
last committed change to it. A cached page stores the versions of the keys it
depends on; it is served only while every one of them is unchanged.

Two keys are special:

- `SITE` is part of every page. It moves on when everything must go (a
  schedule coming due, a demo load, a bulk editorial action); and
- `ANY` moves on with every change of any kind. Pages that declared nothing
  depend on it, so a page nobody described is still never stale.

A missing version (never set, or evicted by Redis under memory pressure) is a
new number, never one a stored page may carry, so a lost key costs a render and
never revives an old page.
"""

import logging
import os
import time

from django.core.cache import cache, caches

logger = logging.getLogger(__name__)

SITE = "site"
ANY = "any"
# Moves with every write to published content, not with reader activity (reviews,
# votes): what prerendered pages are checked against (prerender.py).
CONTENT = "content"
# Not a page dependency: naming it makes the next schedule boundary be read again.
SCHEDULE = "schedule"
VERSION_KEY = "pagecache:v:{}"
SITE_KEY, ANY_KEY = VERSION_KEY.format(SITE), VERSION_KEY.format(ANY)
BOUNDARY_KEY = "pagecache:next-boundary"
# A change committed this close before a render started may not be in what the
# render read (clocks of app servers differ a little): such a render is not stored.
CLOCK_MARGIN_NS = 50_000_000
PAGE_SECONDS = 24 * 3600
# How long the cache is skipped after it failed: a dead cache costs one timeout, not one a request.
BACKOFF_SECONDS = 5.0
_unavailable_until = 0.0
BACKDATE_NS = 1_000_000_000
# Sources of the next moment a scheduled change comes due, registered by content apps.
_schedule_sources = []


def cache_available():
    return time.monotonic() >= _unavailable_until


def cache_failed(exc):
    global _unavailable_until
    _unavailable_until = time.monotonic() + BACKOFF_SECONDS
    logger.warning("Page cache unavailable, serving uncached for %ss: %s", BACKOFF_SECONDS, exc)


def register_schedule_source(source):
    """Register `source()`: the next moment something scheduled comes due, or None.

    When that moment passes, every cached page is invalidated once. The cache
    cannot know what a schedule changes, so it takes no chances.
    """
    if source not in _schedule_sources:
        _schedule_sources.append(source)


def next_schedule_boundary():
    """The earliest moment any registered schedule comes due, or None."""
    moments = [moment for source in _schedule_sources if (moment := source()) is not None]
    return min(moments) if moments else None


def version_key(key):
    return VERSION_KEY.format(key)


def redis_client():
    """The raw Redis client behind the cache, or None when the cache is not Redis."""
    if not type(caches["default"]).__module__.startswith("django_redis"):
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")


class ChangeFeed:
    """Tells this process, without asking Redis, that no version has moved since it last read `ANY`.

    Every `move()` publishes a message after its versions are set; each process
    listens on a subscription of its own and drains it before it trusts what it
    read. While nothing arrived since the last read, a page found current then is
    current now, and a hit needs no round trip. Anything doubtful (no Redis, a
    broken subscription, a message, a schedule coming due) means "read again".

    Safe in every order: a writer sets its versions before it publishes, and a
    reader drains before it reads, so a read that missed a change is always
    followed by that change's message. The writing process forgets what it read
    as it publishes, so it sees its own change without waiting for the message.
    """

    RETRY_SECONDS = 1.0

    def __init__(self):
        self._pid = None
        self._pubsub = None
        self._retry_at = 0.0
        # (ANY, schedule boundary) as last read while subscribed, or None.
        self._read = None

    @staticmethod
    def channel():
        # Channels are shared by every database of a Redis server: the prefix keeps sites apart.
        return cache.make_key("pagecache:moved")

    def publish(self):
        # This process knows of its own change at once: its message may reach its own
        # subscription only after its next request, which must see the change.
        self._read = None
        client = redis_client()
        if client is not None:
            client.publish(self.channel(), b"1")

    def _subscribe(self):
        self._pid, self._pubsub, self._read = os.getpid(), None, None
        if time.monotonic() < self._retry_at:
            return
        client = redis_client()
        if client is None:
            self._retry_at = float("inf")
            return
        pubsub = client.pubsub()
        try:
            pubsub.subscribe(self.channel())
            # Trusted only once Redis confirms: a move before that would go unheard.
            deadline = time.monotonic() + 0.5
            while time.monotonic() < deadline:
                message = pubsub.get_message(timeout=0.05)
                if message is not None and message["type"] == "subscribe":
                    self._pubsub = pubsub
                    return
        except Exception as exc:
            logger.info("No change feed from the cache, reading versions every time: %s", exc)
        pubsub.close()
        self._retry_at = time.monotonic() + self.RETRY_SECONDS

    def drain(self):
        """Forget what was read if anything moved since; True if the feed can be trusted."""
        if self._pid != os.getpid():
            # A forked worker shares no socket with its parent.
            self._subscribe()
        if self._pubsub is None:
            if time.monotonic() >= self._retry_at:
                self._subscribe()
            return False
        try:
            while self._pubsub.get_message(timeout=0) is not None:
                self._read = None
        except Exception as exc:
            logger.info("Change feed lost, reading versions every time: %s", exc)
            self._pubsub, self._read = None, None
            self._retry_at = time.monotonic() + self.RETRY_SECONDS
            return False
        return True

    def read(self, any_version, boundary, trusted):
        """Note the `ANY` version and schedule boundary just read, if the feed was drained first."""
        self._read = (any_version, boundary) if trusted else None

    def unchanged_since(self, any_version):
        """True if `ANY` is surely still `any_version`, known without a round trip."""
        if any_version is None or not self.drain() or self._read is None:
            return False
        read_any, boundary = self._read
        return read_any == any_version and (boundary is None or boundary > time.time())

    def reset(self):
        if self._pubsub is not None:
            self._pubsub.close()
        self.__init__()


feed = ChangeFeed()


def move(keys, pages=(), rendered_from=None, now=None):
    """Give `keys` (and `ANY`) new versions, `now` (by default the present). Callers run this
    after their commit.

    `pages` ((page key, {key: None}, entry) each) were rendered from `rendered_from`
    on with these changes made: each is stored with the new versions in the same
    step, unless a key it depends on moved after its rendering began. Returns the
    page keys stored.
    """
    now = now or time.time_ns()
    values = {version_key(key): now for key in keys if key != SCHEDULE}
    values[version_key(ANY)] = now
    if SITE in keys or SCHEDULE in keys:
        boundary = next_schedule_boundary()
        values[BOUNDARY_KEY] = boundary.timestamp() if boundary else None
    stored = []
    if pages:
        stored = _move_storing(values, pages, rendered_from - CLOCK_MARGIN_NS)
    else:
        cache.set_many(values, timeout=None)
    feed.publish()
    return stored


def store_rendered(pages, rendered_from, moved_at):
    """Store `pages` rendered from `rendered_from` on, after this process's `move(..., now=moved_at)`.

    A version that is still `moved_at` was set by that move, after its commit and
    before these renders began, so it cannot be newer than what they read, however
    recent: the clock margin is for other servers' moves. Returns the page keys stored.
    """
    if not pages:
        return []
    return _move_storing({}, pages, rendered_from - CLOCK_MARGIN_NS, own=moved_at)


def _plan(values, pages, found, settled, own=None):
    """The versions to create and the pages to store, given the versions `found` now."""
    created, storing = {}, {}
    for page_key, dependencies, entry in pages:
        versions = {}
        for key in dependencies:
            name = version_key(key)
            current = found.get(name)
            if current is not None and int(current) >= settled and int(current) != own:
                # Changed while (or just before) the page was rendered: not this render's to store.
                break
            if name in values:
                versions[key] = values[name]
            else:
                # A missing version has not changed for this render: date it before it.
                versions[key] = int(current) if current is not None else settled - 1
                if current is None:
                    created[name] = settled - 1
        else:
            storing[page_key] = (versions, *entry[1:])
    return created, storing


def _move_storing(values, pages, settled, own=None):
    names = sorted(set(values) | {version_key(key) for _p, keys, _e in pages for key in keys})
    client = redis_client()
    if client is None:
        created, storing = _plan(values, pages, cache.get_many(names), settled, own)
        cache.set_many({**created, **values}, timeout=None)
        cache.set_many(storing, PAGE_SECONDS)
        return list(storing)
    from redis.exceptions import WatchError

    made = [cache.make_key(name) for name in names]
    with client.pipeline() as pipe:
        try:
            # Any version read here that moves before the pages are stored cancels them.
            pipe.watch(*made)
            found = dict(zip(names, pipe.mget(made), strict=True))
            found = {name: value for name, value in found.items() if value is not None}
            created, storing = _plan(values, pages, found, settled, own)
            pipe.multi()
            if created or values:
                pipe.mset(
                    {cache.make_key(name): value for name, value in {**created, **values}.items()}
                )
            for page_key, entry in storing.items():
                pipe.set(cache.make_key(page_key), cache.client.encode(entry), ex=PAGE_SECONDS)
            pipe.execute()
        except WatchError:
            if values:
                cache.set_many(values, timeout=None)
            return []
    return list(storing)


def site_versions():
    """(site, any) versions, moving everything on first if a schedule has come due."""
    return lookup(None)[:2]


def lookup(page_key, dependencies=()):
    """(site version, any version, stored page or None, {key: version}) in one round trip.

    `dependencies` are keys the page is expected to depend on (what it depended on
    last time): their versions come in the same round trip, as the last item.
    """
    named = {VERSION_KEY.format(key): key for key in dependencies}
    trusted = feed.drain()
    keys = [SITE_KEY, ANY_KEY, BOUNDARY_KEY, *named]
    if page_key is not None:
        keys.append(page_key)
    values = cache.get_many(keys)
    site = values.get(SITE_KEY)
    boundary = values.get(BOUNDARY_KEY)
    if site is None:
        # Lost or never set: nothing changed now, so date it back past any render in
        # flight, and pages rendered from here on may be stored.
        boundary = next_schedule_boundary()
        cache.add(version_key(SITE), time.time_ns() - BACKDATE_NS, None)
        cache.set(BOUNDARY_KEY, boundary.timestamp() if boundary else None, None)
        site = cache.get(version_key(SITE))
    elif boundary is not None and boundary <= time.time():
        move([SITE])
        site = cache.get(version_key(SITE))
    any_version = values.get(ANY_KEY) or site
    feed.read(any_version, boundary, trusted and values.get(ANY_KEY) is not None)
    stored = values.get(page_key) if page_key is not None else None
    found = {key: values[stored_as] for stored_as, key in named.items() if stored_as in values}
    return site, any_version, stored, found


def versions(keys, created_before_ns):
    """Current versions of `keys`; a missing one is created just before `created_before_ns`.

    A missing key has not changed for the render asking, so it is dated before it.

    `add()` keeps the first of two racing requests' numbers; whichever won is read back.
    """
    found = cache.get_many([version_key(key) for key in keys])
    result = {key: found.get(version_key(key)) for key in keys}
    missing = [key for key, version in result.items() if version is None]
    for key in missing:
        cache.add(version_key(key), created_before_ns - 1, None)
    if missing:
        again = cache.get_many([version_key(key) for key in missing])
        result.update({key: again.get(version_key(key)) for key in missing})
    return result


def current():
    """A stamp that changes whenever anything a page may show has changed."""
    site, any_version = site_versions()
    return f"{site}.{any_version}"


def changed_within(version, seconds):
    """True if `version` (a time in ns) is less than `seconds` old."""
    return version is not None and time.time_ns() - int(version) < seconds * 1_000_000_000


def bump():
    """Invalidate every cached page once the current transaction commits.

    For changes the cache cannot describe more precisely (a bulk editorial
    action, the demo load); prefer `caching.invalidate(*keys)`.
    """
    from .dependencies import invalidate

    invalidate(SITE)
