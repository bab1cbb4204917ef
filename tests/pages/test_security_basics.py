import io

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_staff, make_user

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_checking_services(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_reports_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}


def test_every_response_carries_the_content_security_policy(client):
    for url in ["/", "/no-such-page/", "/healthz"]:
        policy = client.get(url)["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy
        assert "object-src 'none'" in policy
        assert "base-uri 'none'" in policy
        assert "unsafe-inline" not in policy


def test_add_totp_device_prints_a_working_secret():
    user = make_staff(username="editor")
    out = io.StringIO()
    call_command("add_totp_device", "editor", stdout=out)
    device = TOTPDevice.objects.get(user=user)
    assert device.config_url in out.getvalue()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    assert device.verify_token(totp.token())


def test_add_totp_device_refuses_a_non_staff_user():
    make_user(username="reader")
    with pytest.raises(CommandError, match="not staff"):
        call_command("add_totp_device", "reader", stdout=io.StringIO())
    assert not TOTPDevice.objects.exists()
