import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drugs.models import PublicationStatus
from tests.factories import make_drug, make_indication

pytestmark = pytest.mark.django_db


def test_home_page_offers_search_letters_and_recent_articles(client):
    make_drug(name="Acitretin")
    make_indication(title="Recent article")
    make_indication(title="Draft article", status=PublicationStatus.DRAFT)
    html = client.get(reverse("pages:home")).content.decode()
    assert 'role="search"' in html
    assert "?letter=A" in html
    assert "Recent article" in html
    assert "Draft article" not in html


def test_home_page_queries_do_not_grow_with_articles(client):
    make_indication()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("pages:home"))
    for _ in range(10):
        make_indication()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("pages:home"))
    assert len(many) == len(few)


def test_about_page_explains_the_approval_badges(client):
    response = client.get(reverse("pages:about"))
    assert response.status_code == 200
    assert b"badge--off-label" in response.content
    assert b'class="breadcrumbs"' in response.content


def test_unknown_page_gets_the_friendly_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b'role="search"' in response.content
    assert b'name="robots" content="noindex"' in response.content
