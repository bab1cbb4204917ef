"""Liveness and readiness probes for load balancers and orchestrators."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views import View

logger = logging.getLogger(__name__)


class LivenessView(View):
    """The process answers: nothing else is checked, so a slow database never restarts it."""

    def get(self, request):
        return JsonResponse({"status": "ok"})


class ReadinessView(View):
    """Ready (200) while the database answers; 503 when it does not.

    The cache is checked and reported, but a failing cache only makes the
    status "degraded": pages are then served uncached, so taking every server
    out of the load balancer because the shared Redis is down would turn a
    slower site into no site.
    """

    def get(self, request):
        checks = {"database": self._database(), "cache": self._cache()}
        if not checks["database"]:
            status = "unavailable"
        elif not checks["cache"]:
            status = "degraded"
        else:
            status = "ok"
        body = {
            "status": status,
            "checks": {name: "ok" if ok else "failing" for name, ok in checks.items()},
        }
        return JsonResponse(body, status=503 if status == "unavailable" else 200)

    @staticmethod
    def _database():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                return cursor.fetchone() == (1,)
        except Exception:
            logger.exception("Readiness: database check failed")
            return False

    @staticmethod
    def _cache():
        try:
            cache.set("readyz", "1", 5)
            return cache.get("readyz") == "1"
        except Exception:
            logger.exception("Readiness: cache check failed")
            return False
