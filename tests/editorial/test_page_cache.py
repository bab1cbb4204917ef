"""Editorial writes that bypass model signals still refresh the cached pages they change."""

import pytest

from editorial import services
from tests.factories import make_drug, make_staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]


def test_publishing_a_version_refreshes_the_cached_page(client):
    # A transactional test empties the tables the staff groups live in: sign off as a superuser.
    reviewer = make_staff(is_superuser=True)
    drug = make_drug()
    url = drug.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    editor = make_staff(is_superuser=True)
    with services.page_editing(page=drug, user=editor) as change:
        drug.summary = "A corrected summary."
        drug.save()
        change.saved = True
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    services.page_sign_off_and_publish(page=drug, user=reviewer)

    assert client.get(url)["X-Page-Cache"] == "miss"
