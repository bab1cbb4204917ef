"""Pages rendered again by the write that changes them, before it commits.

A write readers keep making (a review approved, a vote, a page published)
would otherwise leave every cached page it changes cold: the next reader of
each renders it, and under steady writes the busiest pages go cold again and
again. Instead the writer renders the cached pages its change touches inside
its own transaction, where it already sees what it wrote. They are stored in
the same step that moves the versions, once the transaction has committed:
readers get the old page until that moment and the new one from then on, and
none of them renders.

Which pages: an index in the shared cache lists every stored page under each
key it depends on. A write refreshes at most PAGE_CACHE_REFRESH_PAGES of the
pages listed under the keys it moves (PAGE_CACHE_PUBLISH_REFRESH_PAGES when it
changes published content), those read most in the last minute or two first
(0 turns refreshing off); the others are only invalidated. A refreshed page
stays listed only once a reader has asked for it, so pages nobody reads are
not rendered again and again.

A page that cannot be rendered cleanly is skipped; nothing a refresh does can
fail the write, and a page stored by it is checked exactly as a reader's
render is (`generation.move`). One that another write changed while it was
rendered is not stored, and is rendered once more after the move.
"""

import io
import logging
import time
from collections import Counter
from contextlib import contextmanager
from urllib.parse import unquote

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction

from . import generation
from .dependencies import _Invalidation

logger = logging.getLogger(__name__)

INDEX_KEY = "pagecache:pages:{}"
INDEX_SECONDS = 24 * 3600
# Reads of each page, counted per minute, decide which pages a write refreshes
# first. Workers count in memory and add their counts to the shared cache every
# few seconds, so counting costs a read nothing.
READS_KEY = "pagecache:reads:{}"
READS_BUCKET_SECONDS = 60
READS_FLUSH_SECONDS = 5.0
_reads = Counter()
_flushed_at = 0.0
_handler = None


class _NotStored(Exception):
    """The page rendered but may not be shared: roll back what rendering it did."""


def _index(key):
    return INDEX_KEY.format(key)


def register(target, dependencies):
    """List the stored page `target` ("scheme|page key") under each of its `dependencies`."""
    names = [_index(key) for key in dependencies if key not in (generation.SITE, generation.ANY)]
    client = generation.redis_client()
    if client is None:
        found = cache.get_many(names)
        cache.set_many({name: found.get(name, set()) | {target} for name in names}, INDEX_SECONDS)
        return
    with client.pipeline(transaction=False) as pipe:
        for name in names:
            key = cache.make_key(name)
            pipe.sadd(key, target)
            pipe.expire(key, INDEX_SECONDS)
        pipe.execute()


def count_read(target):
    """Note that a reader asked for `target` ("scheme|page key")."""
    global _flushed_at
    _reads[target] += 1
    now = time.monotonic()
    if now - _flushed_at >= READS_FLUSH_SECONDS:
        _flushed_at = now
        counts = dict(_reads)
        _reads.clear()
        _add_reads(counts)


def forget_reads():
    global _flushed_at
    _reads.clear()
    _flushed_at = 0.0


def _buckets():
    bucket = int(time.time() // READS_BUCKET_SECONDS)
    return [READS_KEY.format(bucket), READS_KEY.format(bucket - 1)]


def _add_reads(counts):
    name = _buckets()[0]
    client = generation.redis_client()
    if client is None:
        found = cache.get(name) or Counter()
        found.update(counts)
        cache.set(name, found, 3 * READS_BUCKET_SECONDS)
        return
    key = cache.make_key(name)
    with client.pipeline(transaction=False) as pipe:
        for target, count in counts.items():
            pipe.zincrby(key, count, target)
        pipe.expire(key, 3 * READS_BUCKET_SECONDS)
        pipe.execute()


def _popularity(targets):
    """Reads of each of `targets` in the last minute or two, this worker's latest included."""
    reads = Counter({target: _reads[target] for target in targets})
    names = _buckets()
    client = generation.redis_client()
    if client is None:
        for counts in cache.get_many(names).values():
            reads.update({target: counts[target] for target in targets if target in counts})
        return reads
    with client.pipeline(transaction=False) as pipe:
        for name in names:
            pipe.zmscore(cache.make_key(name), targets)
        for scores in pipe.execute():
            reads.update({t: s for t, s in zip(targets, scores or (), strict=False) if s})
    return reads


def _take(keys, limit):
    """The pages listed under `keys`, read most first, which stop being listed there.

    At most `limit`: the others are only invalidated, and listed again once read.
    """
    names = [_index(key) for key in keys]
    client = generation.redis_client()
    if client is None:
        found = cache.get_many(names)
        cache.delete_many(names)
        targets = set().union(*found.values())
    else:
        made = [cache.make_key(name) for name in names]
        with client.pipeline() as pipe:
            pipe.sunion(made)
            pipe.delete(*made)
            members, _deleted = pipe.execute()
        targets = {member.decode() for member in members}
    targets = sorted(targets)
    if len(targets) <= limit:
        return targets
    reads = _popularity(targets)
    return sorted(targets, key=lambda target: -reads[target])[:limit]


def _request(target):
    scheme, page_key = target.split("|", 1)
    # "page:<host>:<path>", where the host may end in a port and the path starts with "/".
    host, full_path = page_key.removeprefix("page:").split(":/", 1)
    path, _, query = f"/{full_path}".partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": unquote(path),
        "QUERY_STRING": query,
        "HTTP_HOST": host,
        "SERVER_NAME": host.rsplit(":", 1)[0],
        "SERVER_PORT": host.rsplit(":", 1)[1] if ":" in host else "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(),
    }
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header and scheme == "https":
        environ[proxy_header[0]] = proxy_header[1]
    request = WSGIRequest(environ)
    # Rendered where the write is, and never answered from the cache it refreshes.
    request.read_primary = True
    request.page_refresh = True
    return request


def _render(target, content_moves):
    """(page key, dependencies, entry) for `target` as a reader would get it now, or None."""
    global _handler
    if _handler is None:
        _handler = BaseHandler()
        _handler.load_middleware()
    request = _request(target)
    # Prerendered parts are kept under the content version, which has not moved yet.
    request.prerender_off = content_moves
    try:
        # A savepoint: whatever a failing render did to the transaction is undone.
        with transaction.atomic():
            # Not through the WSGI handler: its request signals would close the
            # connection the write is still using.
            response = _handler.get_response(request)
            dependencies = getattr(response, "page_dependencies", None)
            if response.status_code != 200 or dependencies is None:
                raise _NotStored
    except _NotStored:
        return None
    from .middleware import entry

    return target.split("|", 1)[1], dependencies, entry(response, None, refreshed=True)


def _refresh(connection):
    pending = [
        callback
        for _savepoints, callback, _robust in connection.run_on_commit
        if isinstance(callback, _Invalidation)
    ]
    keys = set().union(*(callback.keys for callback in pending))
    content_moves = generation.CONTENT in keys
    limit = (
        settings.PAGE_CACHE_PUBLISH_REFRESH_PAGES
        if content_moves
        else settings.PAGE_CACHE_REFRESH_PAGES
    )
    if not keys or keys & {generation.SITE, generation.SCHEDULE, generation.ANY}:
        return
    if not (limit and settings.PAGE_CACHE_ENABLED and generation.cache_available()):
        return
    started = time.time_ns()
    try:
        targets = _take(keys, limit)
        rendered = {target: page for target in targets if (page := _render(target, content_moves))}
    except Exception:
        logger.exception("Pages could not be refreshed; they are invalidated instead")
        return
    for callback in pending:
        callback.keys = set()
    transaction.on_commit(_Refreshed(keys, rendered, started))


class _Refreshed(_Invalidation):
    """A write's invalidation carrying the pages it rendered, stored as its keys move.

    A page another write's change cancelled while it was rendered is rendered
    once more after the move, now that both writes are committed: the pages two
    writes share are the busiest, and they would otherwise go cold.
    """

    def __init__(self, keys, rendered, rendered_from):
        super().__init__()
        self.keys = keys
        self.rendered = rendered
        self.rendered_from = rendered_from

    def __call__(self):
        if not generation.cache_available():
            return
        moved_at = time.time_ns()
        try:
            pages = list(self.rendered.values())
            stored = set(generation.move(self.keys, pages, self.rendered_from, now=moved_at))
        except Exception as exc:
            generation.cache_failed(exc)
            return
        again = [target for target, page in self.rendered.items() if page[0] not in stored]
        try:
            for target in again:
                # Each in a transaction of its own, which sees what committed before it
                # began: stored at once, the most read first, each checked from its start.
                started = time.time_ns()
                # The content version has moved: prerendered parts are kept under the new one.
                page = _render(target, content_moves=False)
                if page is not None:
                    generation.store_rendered([page], started, moved_at)
        except Exception:
            logger.exception("Pages could not be rendered again; readers will render them")


@contextmanager
def refreshing_pages():
    """Run a write in a transaction (as `transaction.atomic`) and refresh the pages it changes.

    Only the outermost such block refreshes, once its writes are all made.
    """
    connection = transaction.get_connection()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        yield
        if outermost:
            _refresh(connection)
