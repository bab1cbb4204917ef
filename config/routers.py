"""Read replicas: public reads go to the replica, everything else to the primary.

A request is pinned to the primary when it may write or must see its own
writes: any unsafe method, and anyone with a session (staff, a visitor who just
submitted a form). Replication lag then only ever delays what anonymous readers
see by the replica's lag, never what an editor or a writer sees.

The page cache also pins a request to the primary when it will store the page
and content changed less than REPLICA_LAG_SECONDS ago (`request.read_primary`):
a replica that has not caught up yet would otherwise have its old copy cached
under the new generation.
"""

from contextvars import ContextVar

from django.conf import settings

_use_primary = ContextVar("use_primary", default=True)

REPLICA = "replica"


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if REPLICA in settings.DATABASES and not _use_primary.get():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReplicaRoutingMiddleware:
    """Marks anonymous safe requests as allowed to read from the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        anonymous_read = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not getattr(request, "read_primary", False)
        )
        token = _use_primary.set(not anonymous_read)
        try:
            return self.get_response(request)
        finally:
            _use_primary.reset(token)
