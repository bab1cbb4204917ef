"""Failing services: Redis gone or hanging, PostgreSQL connections dropped, failed inserts."""

import io
import logging
import socket
import time
from contextlib import closing

import psycopg2
import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client

from caching import generation
from tests.factories import make_drug, make_staff

PASSWORD = "tidy-otter-glacier-lantern"


class SilentRedis:
    """A port that accepts connections and never answers: a hung Redis, the worst case."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self.connections = []

    def attempts(self):
        """Connections clients have opened so far (each cache call that was tried)."""
        while True:
            try:
                self.connections.append(self.listener.accept()[0])
            except BlockingIOError:
                return len(self.connections)

    def close(self):
        for sock in self.connections:
            sock.close()
        self.listener.close()


@pytest.fixture
def silent_redis():
    redis = SilentRedis()
    yield redis
    redis.close()


@pytest.fixture
def cache_at(settings, monkeypatch):
    """Point the cache at a Redis URL, with production timeouts; undo the back-off after."""
    monkeypatch.setattr(generation, "_unavailable_until", 0.0)

    def configure(location):
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": location,
                "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
            }
        }

    return configure


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


@pytest.mark.django_db
@pytest.mark.page_cache
def test_a_hung_redis_costs_one_timeout_then_pages_are_served_uncached(
    client, cache_at, silent_redis, caplog
):
    cache_at(f"redis://127.0.0.1:{silent_redis.port}/0")
    drug = make_drug()

    with caplog.at_level(logging.WARNING, logger="caching.generation"):
        first, first_seconds = timed_get(client, drug.get_absolute_url())
    tried = silent_redis.attempts()
    later = [client.get(drug.get_absolute_url()) for _ in range(5)]

    assert first.status_code == 200
    # One socket timeout (0.5 s) and the page itself; generous for a loaded CI machine.
    assert first_seconds < 5.0
    assert all(response.status_code == 200 for response in later)
    # Inside the back-off window nothing even tries the cache.
    assert tried >= 1
    assert silent_redis.attempts() == tried
    assert any("Page cache unavailable" in record.message for record in caplog.records)


@pytest.mark.django_db
@pytest.mark.page_cache
def test_a_stopped_redis_is_noticed_at_once_and_pages_still_served(client, cache_at):
    cache_at("redis://127.0.0.1:1/0")
    drug = make_drug()
    response, seconds = timed_get(client, drug.get_absolute_url())
    assert response.status_code == 200
    assert seconds < 3.0
    assert not generation.cache_available()


@pytest.mark.django_db
def test_readiness_reports_a_failing_cache_as_degraded_but_ready(client, cache_at):
    """Pages still work without the cache: no server leaves the load balancer for it."""
    cache_at("redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "failing"},
    }


@pytest.mark.django_db(transaction=True)
def test_readiness_is_503_when_the_database_is_unreachable(on_postgres):
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = unused_port()
    try:
        response = Client().get("/readyz")
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "failing", "cache": "ok"}


@pytest.mark.django_db
def test_staff_sign_in_and_sessions_work_without_redis(cache_at):
    cache_at("redis://127.0.0.1:1/0")
    make_staff(username="editor", password=PASSWORD, is_superuser=True)
    client = Client()

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert Session.objects.count() == 1
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_lockouts_are_kept_in_the_database_so_work_without_redis(cache_at, settings):
    cache_at("redis://127.0.0.1:1/0")
    make_staff(username="editor", password=PASSWORD, is_superuser=True)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429


def wsgi_get(path):
    """One request through the real WSGI handler: the request cycle checks connections
    the way a server process does (the test client skips that)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    status = []
    body = b"".join(WSGIHandler()(environ, lambda code, headers: status.append(code)))
    return int(status[0].split()[0]), body


def terminate_our_backend():
    """Kill Django's server connection from outside, as a PostgreSQL restart does."""
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with closing(psycopg2.connect(**params)) as admin:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.django_db(transaction=True)
def test_requests_after_the_database_dropped_its_connections_succeed(on_postgres, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["OPTIONS"]["connect_timeout"] <= 5
    drug = make_drug()
    assert wsgi_get("/readyz")[0] == 200
    assert connection.connection is not None  # persistent (CONN_MAX_AGE)

    terminate_our_backend()

    statuses = [wsgi_get(drug.get_absolute_url())[0] for _ in range(5)]
    assert statuses == [200] * 5


def unused_port():
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_a_page_that_cannot_reach_the_database_answers_503_then_recovers(on_postgres):
    drug = make_drug()
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = unused_port()
    try:
        started = time.monotonic()
        response = Client(raise_request_exception=False).get(drug.get_absolute_url())
        seconds = time.monotonic() - started
    finally:
        connection.close()
        connection.settings_dict.update(saved)

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert b"nothing you sent was saved" in response.content
    assert seconds < 6  # connect_timeout bounds the wait
    assert Client().get(drug.get_absolute_url()).status_code == 200


def review_data(indication, body):
    from reviews.forms import submission_token_issue

    return {
        "condition": indication.condition.slug,
        "rating": "7",
        "body": body,
        "token": submission_token_issue(),
        "website": "",
    }


@pytest.mark.django_db
def test_without_redis_reviews_are_stored_and_the_limit_counted_from_the_database(cache_at):
    """The chosen behaviour: neither refuse every patient nor let a flood through."""
    from django.conf import settings

    from reviews.models import Review
    from tests.factories import make_indication

    limit = settings.REVIEW_SUBMIT_LIMIT_PER_VISITOR

    cache_at("redis://127.0.0.1:1/0")
    indication = make_indication()
    client = Client()
    url = f"/drugs/{indication.drug.slug}/reviews/new/"
    statuses = [
        client.post(
            url, review_data(indication, f"Experience number {n}: " + "words " * 10)
        ).status_code
        for n in range(limit + 1)
    ]
    assert statuses == [303] * limit + [429]
    assert Review.objects.count() == limit


@pytest.fixture
def inserts_fail():
    """Make the database refuse every new review, as a failing disk or a full one would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_review() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'storage unavailable'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_review BEFORE INSERT ON reviews_review "
                "FOR EACH ROW EXECUTE FUNCTION refuse_review()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_review BEFORE INSERT ON reviews_review "
                "BEGIN SELECT RAISE(ABORT, 'storage unavailable'); END"
            )
    yield


@pytest.mark.django_db
def test_a_review_the_database_did_not_store_is_never_acknowledged(inserts_fail):
    from reviews.models import Review
    from tests.factories import make_indication

    indication = make_indication()
    client = Client(raise_request_exception=False)
    response = client.post(
        f"/drugs/{indication.drug.slug}/reviews/new/",
        review_data(indication, "A full account of three months on it, dry lips included."),
    )
    assert response.status_code in {400, 500}
    assert "thanks" not in response.get("Location", "")
    assert not Review.objects.exists()
