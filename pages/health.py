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
    """Ready when the database answers and the cache works; 503 otherwise."""

    def get(self, request):
        checks = {"database": self._database(), "cache": self._cache()}
        ready = all(checks.values())
        body = {
            "status": "ok" if ready else "unavailable",
            "checks": {name: "ok" if ok else "failing" for name, ok in checks.items()},
        }
        return JsonResponse(body, status=200 if ready else 503)

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
