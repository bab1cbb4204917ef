"""Settings a deployment gets with DEBUG off: checked in a fresh process, as production starts."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from .conftest import production_values, run_with_production_env


def test_check_deploy_reports_only_the_hsts_preload_choice():
    result = run_with_production_env("manage.py", "check", "--deploy", "--fail-level", "ERROR")
    assert result.returncode == 0, result.stderr
    reported = re.findall(r"\((\w+\.\w+)\)", result.stderr)
    # Preloading commits every subdomain to HTTPS for months: a deliberate opt-in.
    assert reported == ["security.W021"], result.stderr


def test_check_deploy_is_clean_once_preload_is_chosen():
    result = run_with_production_env(
        "manage.py", "check", "--deploy", extra_env={"SECURE_HSTS_PRELOAD": "true"}
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_stops_start_up_with_debug_off():
    result = run_with_production_env("manage.py", "check", extra_env={"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_turns_on_tls_cookies_hsts_and_the_second_factor():
    values = production_values()
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["ADMIN_REQUIRE_OTP"] is True


def test_sessions_are_stored_in_the_database_not_only_the_cache():
    assert production_values()["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


@pytest.mark.parametrize(
    "password",
    ["short1!", "password1234", "12345678901234", "formulary-editor", "editor-formulary1"],
)
def test_weak_staff_passwords_are_refused(password):
    from django.contrib.auth.models import User

    user = User(username="formulary-editor", email="editor@example.org")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_passphrase_is_accepted():
    from django.contrib.auth.models import User

    validate_password("tidy-otter-glacier-lantern", User(username="editor"))
