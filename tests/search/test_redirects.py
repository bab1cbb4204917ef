import pytest
from django.urls import reverse

from drugs.models import PublicationStatus
from search.models import SlugRedirect
from tests.factories import make_condition, make_drug, make_indication

pytestmark = pytest.mark.django_db


def rename(obj, slug):
    obj.slug = slug
    obj.save()


def test_changing_a_slug_records_a_redirect():
    drug = make_drug(slug="old-name")
    rename(drug, "new-name")
    redirect = SlugRedirect.objects.get()
    assert (redirect.kind, redirect.old_slug, redirect.object_id) == ("drug", "old-name", drug.pk)


def test_saving_without_a_slug_change_records_nothing():
    drug = make_drug()
    drug.summary = "Changed"
    drug.save()
    assert not SlugRedirect.objects.exists()


def test_old_drug_urls_answer_with_a_301_to_the_new_slug(client):
    indication = make_indication(drug=make_drug(slug="old-drug"))
    rename(indication.drug, "new-drug")
    response = client.get("/drugs/old-drug/side-effects/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/drugs/new-drug/side-effects/?page=2"
    response = client.get(f"/drugs/old-drug/for/{indication.condition.slug}/")
    assert response.status_code == 301
    assert response["Location"] == indication.get_absolute_url()


def test_a_slug_renamed_twice_still_leads_to_the_page(client):
    condition = make_condition(slug="first")
    rename(condition, "second")
    rename(condition, "third")
    for old in ("first", "second"):
        response = client.get(reverse("drugs:condition-detail", kwargs={"slug": old}))
        assert response["Location"] == "/conditions/third/"


def test_a_slug_taken_back_drops_its_redirect():
    drug = make_drug(slug="back")
    rename(drug, "away")
    rename(drug, "back")
    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["away"]


def test_no_redirect_to_an_unpublished_page(client):
    drug = make_drug(slug="was-live")
    rename(drug, "now-draft")
    drug.status = PublicationStatus.DRAFT
    drug.save()
    assert client.get("/drugs/was-live/").status_code == 404


def test_unknown_slugs_stay_404(client):
    assert client.get("/drugs/never-existed/").status_code == 404
    assert client.get("/no/such/page/").status_code == 404
