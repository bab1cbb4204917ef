"""Staff sign-in: lockout after repeated failures, the client address behind proxies, TOTP."""

import importlib
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import clear_url_caches
from django_otp.admin import OTPAdminSite
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pages.client import client_ip
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

PASSWORD = "tidy-otter-glacier-lantern"


def sign_in(client, username, password, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, **extra
    )


def fail_until_locked(client, settings, username, **extra):
    """AXES_FAILURE_LIMIT failures: the last one is already answered with the lockout."""
    statuses = [
        sign_in(client, username, "wrong-password", **extra).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]


def test_staff_are_locked_out_after_the_failure_limit_even_with_the_right_password(settings):
    make_staff(username="editor", password=PASSWORD, is_superuser=True)
    client = Client()
    fail_until_locked(client, settings, "editor")

    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_ends_after_the_documented_cool_off(settings):
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)
    make_staff(username="editor", password=PASSWORD, is_superuser=True)
    client = Client()
    fail_until_locked(client, settings, "editor")
    assert sign_in(client, "editor", PASSWORD).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31)
    )

    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_lockout_binds_username_and_address_so_others_still_sign_in(settings):
    make_staff(username="editor", password=PASSWORD, is_superuser=True)
    make_staff(username="moderator", password=PASSWORD, is_superuser=True)
    fail_until_locked(Client(), settings, "editor", REMOTE_ADDR="198.51.100.7")

    assert sign_in(Client(), "moderator", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302
    assert sign_in(Client(), "editor", PASSWORD, REMOTE_ADDR="192.0.2.44").status_code == 302


def test_a_forged_forwarded_for_neither_escapes_nor_shifts_a_lockout(settings):
    """Without trusted proxies X-Forwarded-For is ignored: rotating it changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 0
    make_staff(username="editor", password=PASSWORD, is_superuser=True)
    client = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "editor", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    response = sign_in(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.200")

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_behind_a_trusted_proxy_the_lockout_follows_the_real_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_staff(username="editor", password=PASSWORD, is_superuser=True)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The client forges an entry on the left; the proxy appends what it saw.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "editor", "wrong", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9", **proxy)

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    locked = sign_in(Client(), "editor", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert locked.status_code == 429
    elsewhere = sign_in(Client(), "editor", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1", **proxy)
    assert elsewhere.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.2"),  # fewer entries than proxies: the peer
        (1, "not-an-address", ""),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "", "10.0.0.2"),
        (1, "203.0.113.9\x00", ""),
    ],
)
def test_client_address_trusts_forwarded_for_only_as_far_as_our_proxies(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


@pytest.fixture
def otp_admin(settings):
    """The admin as config/urls.py builds it with ADMIN_REQUIRE_OTP on."""
    import config.urls

    original = admin.site.__class__
    settings.ADMIN_REQUIRE_OTP = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield admin.site
    admin.site.__class__ = original
    settings.ADMIN_REQUIRE_OTP = False
    importlib.reload(config.urls)
    clear_url_caches()


def current_token(device):
    return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()


def test_with_otp_required_the_admin_site_is_an_otp_site(otp_admin):
    assert isinstance(otp_admin, OTPAdminSite)


def test_with_otp_required_a_password_alone_does_not_open_the_admin(otp_admin):
    staff = make_staff(username="editor", password=PASSWORD, is_superuser=True)
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client = Client()

    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_with_otp_required_a_session_without_a_verified_device_is_refused(otp_admin):
    staff = make_staff(username="editor", password=PASSWORD, is_superuser=True)
    client = Client()
    client.force_login(staff)

    response = client.get("/admin/drugs/drug/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_with_otp_required_password_and_current_code_open_the_admin(otp_admin):
    staff = make_staff(username="editor", password=PASSWORD, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client = Client()

    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "editor",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": current_token(device),
        },
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_with_otp_required_a_wrong_code_is_refused(otp_admin):
    staff = make_staff(username="editor", password=PASSWORD, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    wrong = f"{(int(current_token(device)) + 1) % 1_000_000:06d}"
    client = Client()

    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "editor",
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": wrong,
        },
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
