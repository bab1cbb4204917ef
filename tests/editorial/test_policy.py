import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_editorial_policy_explains_review_sources_and_labels(client):
    response = client.get(reverse("pages:editorial-policy"))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    for phrase in ("Medical review", "Sources", "Off-label use", "Not recommended", "12 months"):
        assert phrase in content
