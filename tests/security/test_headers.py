"""Security headers on every response: pages, errors, CSRF failures, cached hits."""

import pytest
from django.test import Client

from tests.factories import make_drug, make_indication

from .conftest import HttpsClient

pytestmark = pytest.mark.django_db

PROTECTIVE_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_protected(response, *, admin=False):
    policy = response.get("Content-Security-Policy", "")
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"):
        assert directive in policy
    assert "script-src 'self'" in policy
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    # The admin alone may use inline attributes (django-import-export needs them);
    # script and style elements stay strict there too.
    allowed_inline = {"script-src-attr", "style-src-attr"} if admin else set()
    for name, value in directives.items():
        if name not in allowed_inline:
            assert "unsafe-inline" not in value, name
    assert "unsafe-eval" not in policy
    for name, value in PROTECTIVE_HEADERS.items():
        assert response.get(name) == value, name
    assert response.get("Strict-Transport-Security", "").startswith("max-age=31536000")


def test_content_pages_carry_every_protective_header(https):
    indication = make_indication()
    for url in ["/", "/drugs/", indication.drug.get_absolute_url(), indication.get_absolute_url()]:
        response = https.get(url)
        assert response.status_code == 200, url
        assert_protected(response)


@pytest.mark.urls("tests.security.urls")
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/no-such-page/", 404),
        ("/drugs/no-such-drug/", 404),
        ("/test-errors/404/", 404),
        ("/test-errors/403/", 403),
        ("/test-errors/400/", 400),
        ("/test-errors/500/", 500),
        ("/drugs/?letter=%00", 400),
        ("/drugs/?letter=%FF", 400),
    ],
)
def test_error_responses_carry_every_protective_header(https, url, status):
    response = https.get(url)
    assert response.status_code == status
    assert_protected(response)


def test_a_forged_host_gets_a_protected_400(https):
    response = https.get("/", headers={"host": "evil.example.com"})
    assert response.status_code == 400
    assert_protected(response)


def test_csrf_failure_page_carries_every_protective_header(production_settings):
    client = HttpsClient(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Your form expired" in response.content.decode()
    assert_protected(response, admin=True)


def test_health_probes_carry_every_protective_header(https):
    for url in ["/healthz", "/readyz"]:
        assert_protected(https.get(url))


@pytest.mark.page_cache
def test_a_page_served_from_the_cache_keeps_every_protective_header(https):
    drug = make_drug()
    first = https.get(drug.get_absolute_url())
    second = https.get(drug.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert_protected(second)


def test_plain_http_is_redirected_to_https(production_settings):
    response = Client().get("/drugs/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_the_admin_is_protected_too(https):
    response = https.get("/admin/login/")
    assert response.status_code == 200
    assert_protected(response, admin=True)
