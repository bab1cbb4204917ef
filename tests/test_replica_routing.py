import pytest
from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from config.routers import REPLICA, PrimaryReplicaRouter, ReplicaRoutingMiddleware
from drugs.models import Drug
from tests.factories import make_drug

HAS_REPLICA = REPLICA in settings.DATABASES
# Committed rows (transaction=True): the mirror is a second connection, like a real replica.
pytestmark = pytest.mark.django_db(
    transaction=True, databases=["default", REPLICA] if HAS_REPLICA else ["default"]
)


@pytest.fixture
def replica():
    """A replica alias that mirrors the primary, as replication would."""
    if not HAS_REPLICA:
        pytest.skip("DATABASE_REPLICA_URL is not set")
    return connections[REPLICA]


def test_writes_always_go_to_the_primary():
    assert PrimaryReplicaRouter().db_for_write(Drug) == "default"


def _count_drugs_in_a_request(request):
    """Runs a read inside the routing middleware, as a view would."""
    counted = []

    def view(request):
        counted.append(Drug.objects.count())
        return HttpResponse()

    ReplicaRoutingMiddleware(view)(request)
    return counted[0]


def test_anonymous_reads_come_from_the_replica(rf, replica):
    make_drug(name="Replicated")
    with CaptureQueriesContext(replica) as replica_queries:
        count = _count_drugs_in_a_request(rf.get("/drugs/"))
    assert count == 1
    assert len(replica_queries) == 1


def test_posts_and_signed_in_visitors_read_from_the_primary(rf, replica):
    signed_in = rf.get("/drugs/")
    signed_in.COOKIES[settings.SESSION_COOKIE_NAME] = "some-session"
    with CaptureQueriesContext(replica) as replica_queries:
        _count_drugs_in_a_request(rf.post("/drugs/"))
        _count_drugs_in_a_request(signed_in)
    assert len(replica_queries) == 0


@pytest.mark.page_cache
def test_a_page_cached_right_after_a_change_is_read_from_the_primary(client, replica):
    drug = make_drug(name="Justchanged")
    with CaptureQueriesContext(replica) as replica_queries:
        response = client.get(drug.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert b"Justchanged" in response.content
    assert len(replica_queries) == 0


@pytest.mark.page_cache
def test_once_the_replica_has_caught_up_pages_are_read_from_it(client, replica, settings):
    settings.REPLICA_LAG_SECONDS = 0
    drug = make_drug()
    with CaptureQueriesContext(replica) as replica_queries:
        response = client.get(drug.get_absolute_url())
    assert response.status_code == 200
    assert len(replica_queries) > 0
