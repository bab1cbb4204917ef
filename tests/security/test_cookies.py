"""Cookies: none for anonymous readers of plain pages; Secure, HttpOnly and Lax otherwise."""

import pytest
from django.conf import settings as django_settings

from tests.factories import make_drug_side_effect, make_indication, make_staff

pytestmark = pytest.mark.django_db


def plain_pages():
    indication = make_indication(tags=["retinoid"])
    link = make_drug_side_effect(drug=indication.drug)
    drug = indication.drug
    return [
        "/",
        "/about/",
        "/about/editorial-policy/",
        "/drugs/",
        "/drugs/?letter=A",
        "/conditions/",
        drug.get_absolute_url(),
        f"/drugs/{drug.slug}/side-effects/",
        indication.get_absolute_url(),
        indication.condition.get_absolute_url(),
        "/tags/retinoid/",
        f"/drugs/{link.drug.slug}/side-effects/",
        "/no-such-page/",
        "/healthz",
    ]


def test_anonymous_readers_of_plain_pages_get_no_cookie_at_all(https):
    for url in plain_pages():
        response = https.get(url)
        assert response.status_code in (200, 404), url
        assert not response.cookies, (url, list(response.cookies))


def test_staff_session_cookie_is_secure_httponly_and_lax(https):
    make_staff(username="editor", password="tidy-otter-glacier-lantern", is_superuser=True)
    https.get("/admin/login/")

    response = https.post(
        "/admin/login/", {"username": "editor", "password": "tidy-otter-glacier-lantern"}
    )

    assert response.status_code == 302
    session = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_csrf_cookie_is_secure_httponly_and_lax(https):
    response = https.get("/admin/login/")
    token = response.cookies[django_settings.CSRF_COOKIE_NAME]
    assert token["secure"] is True
    assert token["httponly"] is True
    assert token["samesite"] == "Lax"
