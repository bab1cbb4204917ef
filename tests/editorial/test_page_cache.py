"""Publishing refreshes exactly the cached pages of the page it changes; drafts refresh none."""

import pytest
from django.urls import reverse

from drugs.models import PublicationStatus
from editorial import services
from tests.factories import make_drug, make_staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]


def test_a_draft_keeps_the_cached_page_and_publishing_refreshes_only_that_drug(client):
    # A transactional test empties the tables the staff groups live in: sign off as a superuser.
    reviewer = make_staff(is_superuser=True)
    drug, other = make_drug(), make_drug()
    url, other_url = drug.get_absolute_url(), other.get_absolute_url()
    for address in (url, other_url):
        client.get(address)
        assert client.get(address)["X-Cache"] == "hit"

    editor = make_staff(is_superuser=True)
    with services.page_editing(page=drug, user=editor) as change:
        drug.summary = "A corrected summary."
        drug.save()
        change.saved = True
    # The draft changes nothing readers see: the cached page stays.
    assert client.get(url)["X-Cache"] == "hit"

    services.page_sign_off_and_publish(page=drug, user=reviewer)

    response = client.get(url)
    assert response["X-Cache"] == "miss"
    assert "A corrected summary." in response.content.decode()
    assert client.get(other_url)["X-Cache"] == "hit"


def test_signing_off_a_draft_keeps_every_cached_page_until_it_is_published(client):
    reviewer, editor = make_staff(is_superuser=True), make_staff(is_superuser=True)
    drug = make_drug(name="Signedoffamine")
    # A search page depends on all published content, so it shows any flush.
    urls = [drug.get_absolute_url(), "/search/?q=Signedoffamine"]
    for address in urls:
        client.get(address)
        assert client.get(address)["X-Cache"] == "hit"
    with services.page_editing(page=drug, user=editor) as change:
        drug.summary = "A corrected summary."
        drug.save()
        change.saved = True

    services.page_sign_off(page=drug, reviewer=reviewer)

    assert [client.get(address)["X-Cache"] for address in urls] == ["hit", "hit"]
    drug.refresh_from_db()
    services.page_publish(page=drug, user=editor)
    response = client.get(urls[0])
    assert response["X-Cache"] == "miss"
    assert "A corrected summary." in response.content.decode()
    assert client.get(urls[1])["X-Cache"] == "miss"


def test_a_new_page_going_to_review_and_back_keeps_every_cached_page(client):
    editor = make_staff(is_superuser=True)
    new = make_drug(name="Unpublishedamine", status=PublicationStatus.DRAFT)
    # The drug list and a search depend on every published drug.
    urls = [reverse("drugs:drug-list"), "/search/?q=Unpublishedamine"]
    for address in urls:
        client.get(address)

    services.page_submit_for_review(page=new, user=editor)
    services.page_return_to_draft(page=new, user=editor)

    assert [client.get(address)["X-Cache"] for address in urls] == ["hit", "hit"]
