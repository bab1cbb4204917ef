import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_models_and_migrations_agree():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_home_page_loads(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Formulary" in response.content
