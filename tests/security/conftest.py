import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-like-key-of-sufficient-length-and-randomness-0123456789",
    "ALLOWED_HOSTS": "formulary.example.org",
}
# Settings that settings.py derives from DEBUG; read from a fresh process started
# with DEBUG off, then applied to the test process by `production_settings`.
DERIVED = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "ADMIN_REQUIRE_OTP",
    "SESSION_ENGINE",
]


def run_with_production_env(*args, extra_env=None):
    """Run `python *args` in the project with DEBUG off, as a deployment would."""
    env = {**os.environ, **PRODUCTION_ENV, **(extra_env or {})}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # Browser tests lift Django's async guard in this process; a deployment never does.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


_production_values = {}


def production_values():
    """The DEBUG-off values of DERIVED, computed once per test run."""
    if not _production_values:
        script = (
            "import json, django; django.setup(); from django.conf import settings; "
            f"print(json.dumps({{name: getattr(settings, name) for name in {DERIVED!r}}}))"
        )
        result = run_with_production_env("-c", script)
        assert result.returncode == 0, result.stderr
        _production_values.update(json.loads(result.stdout.strip().splitlines()[-1]))
    return dict(_production_values)


@pytest.fixture
def production_settings(settings):
    """This process configured as settings.py configures a DEBUG-off deployment."""
    for name, value in production_values().items():
        if name != "ADMIN_REQUIRE_OTP":
            setattr(settings, name, value)
    settings.ALLOWED_HOSTS = ["testserver", "formulary.example.org"]
    return settings


class HttpsClient(Client):
    """A test client whose every request arrives over HTTPS, as behind a TLS proxy."""

    def generic(self, *args, **kwargs):
        kwargs["secure"] = True
        return super().generic(*args, **kwargs)


@pytest.fixture
def https(production_settings):
    """A client speaking HTTPS to a DEBUG-off configuration; errors become responses."""
    return HttpsClient(raise_request_exception=False)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Sign-in tests hash many passwords; the algorithm is not what they prove."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
