"""Branded error pages that tell the visitor what to do and leak nothing about the site."""

import re

import pytest

from .conftest import HttpsClient

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]

LEAK_PATTERNS = [
    r"Traceback",
    r"SELECT",
    r"no_such_table",
    r"auth_user",
    r"settings\.py",
    r"/srv/",
    r"secret",
    r"RuntimeError",
    r"SuspiciousOperation",
    r"PermissionDenied",
    r"DEBUG",
    r"django",
    r"\.py\b",
    r"CSRF cookie",
    r"Referer",
]


def assert_leaks_nothing(html):
    for pattern in LEAK_PATTERNS:
        assert not re.search(pattern, html, re.IGNORECASE), pattern


@pytest.mark.parametrize(
    ("url", "status", "title"),
    [
        ("/test-errors/400/", 400, "Bad request"),
        ("/test-errors/403/", 403, "Not allowed"),
        ("/test-errors/404/", 404, "Page not found"),
        ("/no-such-page/", 404, "Page not found"),
        ("/test-errors/500/", 500, "Something went wrong"),
        ("/test-errors/500-sql/", 500, "Something went wrong"),
        ("/search/?q=%00", 400, "Bad request"),
    ],
)
def test_error_pages_are_branded_and_leak_nothing(https, url, status, title):
    response = https.get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert f'<h1 class="error-page__title">{title}</h1>' in html
    assert '<a href="/">Go to the home page</a>' in html
    assert 'name="robots" content="noindex"' in html
    assert_leaks_nothing(html)


def test_csrf_failure_page_is_branded_and_leaks_nothing(production_settings):
    client = HttpsClient(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "editor", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your form expired" in html
    assert "reload the page" in html
    assert_leaks_nothing(html)


def test_a_server_error_is_logged_for_us_though_not_shown_to_the_visitor(https, caplog):
    response = https.get("/test-errors/500/")
    assert response.status_code == 500
    assert any("auth_user" in str(record.exc_info) for record in caplog.records if record.exc_info)


def test_a_404_page_offers_search_and_stays_out_of_search_engines(https):
    html = https.get("/drugs/no-such-drug/").content.decode()
    assert 'action="/search/"' in html
    assert 'content="noindex"' in html
