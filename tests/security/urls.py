"""The project's URLs plus views that fail on purpose, to test the error pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.http import Http404
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

LEAKY_DETAIL = "SELECT password FROM auth_user WHERE secret_key='/srv/formulary/config/settings.py'"


def crash(request):
    raise RuntimeError(LEAKY_DETAIL)


def crash_in_sql(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table_formulary")
    return None


def deny(request):
    raise PermissionDenied(LEAKY_DETAIL)


def suspicious(request):
    raise SuspiciousOperation(LEAKY_DETAIL)


def missing(request):
    raise Http404(LEAKY_DETAIL)


urlpatterns = [
    path("test-errors/500/", crash),
    path("test-errors/500-sql/", crash_in_sql),
    path("test-errors/403/", deny),
    path("test-errors/400/", suspicious),
    path("test-errors/404/", missing),
    *urlpatterns,
]
