import pytest
from django.urls import reverse

from interactions.models import Interaction
from tests.factories import make_drug, make_user
from tests.interactions.factories import make_interaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = make_user(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_interaction_admin_lists_and_opens_interactions(admin_client):
    interaction = make_interaction()
    changelist = admin_client.get(reverse("admin:interactions_interaction_changelist"))
    assert changelist.status_code == 200
    assert str(interaction) in changelist.content.decode()
    change = admin_client.get(
        reverse("admin:interactions_interaction_change", args=[interaction.pk])
    )
    assert change.status_code == 200
    assert "Medically sign off" in change.content.decode() or "workflow" in change.content.decode()


def test_admin_refuses_a_pair_already_recorded_the_other_way_round(admin_client):
    first, second = make_drug(), make_drug()
    make_interaction(drug=first, other_drug=second)
    response = admin_client.post(
        reverse("admin:interactions_interaction_add"),
        {
            "drug": second.pk,
            "kind": "drug",
            "other_drug": first.pk,
            "other_name": "",
            "slug": "again",
            "severity": 1,
            "summary": "Risky.",
            "what_happens": "Bad.",
            "what_to_do": "Avoid.",
            "status": "draft",
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Interaction.objects.count() == 1
