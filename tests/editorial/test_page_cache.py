"""Editorial writes that bypass model signals still refresh the cached pages they change."""

import pytest

from drugs.models import Drug, PublicationStatus
from editorial import services
from editorial.content import content_relations
from tests.factories import make_drug, make_staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]


def test_a_bulk_sign_off_refreshes_the_cached_pages_it_signs(client):
    # A transactional test empties the tables the staff groups live in: sign off as a superuser.
    reviewer = make_staff(is_superuser=True)
    drug = make_drug()
    url = drug.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    pages = Drug.objects.filter(status=PublicationStatus.PUBLISHED).prefetch_related(
        *content_relations(Drug)
    )
    services.pages_sign_off_in_bulk(pages=list(pages), reviewer=reviewer)

    assert client.get(url)["X-Page-Cache"] == "miss"
