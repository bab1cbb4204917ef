import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dictionary.models import DrugName, UnmatchedName, WaitingRow
from drugs.models import Drug, PublicationStatus
from reviews.models import Review
from tests.dictionary.helpers import make_drug_name, make_isotretinoin
from tests.factories import make_drug

pytestmark = pytest.mark.django_db


def drug_name_form(drug, **fields):
    return {"drug": drug.pk, "kind": "brand", "regions": "", **fields}


def test_an_editor_adds_a_brand_name_with_regions_and_a_refresh_keeps_it(admin_client):
    drug = make_drug(name="Isotretinoin")

    response = admin_client.post(
        reverse("admin:dictionary_drugname_add"),
        drug_name_form(drug, name="Roaccutane", regions="gb, uk-not, EU"),
    )
    assert response.status_code == 200
    assert "Unknown region code(s): UK-NOT" in response.content.decode()

    response = admin_client.post(
        reverse("admin:dictionary_drugname_add"),
        drug_name_form(drug, name="Roaccutane", regions="gb, EU"),
    )

    assert response.status_code == 302
    name = DrugName.objects.get()
    assert (name.regions, name.is_edited, name.source) == ("GB, EU", True, "editor")


def test_uk_is_refused_with_the_iso_code_to_write(admin_client):
    drug = make_drug(name="Isotretinoin")

    response = admin_client.post(
        reverse("admin:dictionary_drugname_add"),
        drug_name_form(drug, name="Roaccutane", regions="UK"),
    )

    assert "UK (write GB)" in response.content.decode()
    assert not DrugName.objects.exists()


def test_a_name_claimed_by_another_drug_is_a_form_error_naming_that_drug(admin_client):
    make_isotretinoin()
    other = make_drug(name="Tretinoin")

    response = admin_client.post(
        reverse("admin:dictionary_drugname_add"), drug_name_form(other, name="ACCUTANE")
    )

    assert response.status_code == 200
    assert "already names Isotretinoin" in response.content.decode()
    assert not DrugName.objects.filter(drug=other).exists()


def test_the_drug_page_in_the_admin_lists_its_names_with_links_to_change_them(admin_client):
    drug = make_isotretinoin()
    url = reverse("admin:drugs_drug_change", args=[drug.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    assert "Brand names and other names (dictionary)" in response.content.decode()
    assert "Roaccutane" in response.content.decode()
    # Listed there, changed on their own pages: the drug's page saves a draft version.
    assert (
        reverse(
            "admin:dictionary_drugname_change",
            args=[drug.dictionary_names.get(key="roaccutane").pk],
        )
        in response.content.decode()
    )


def test_the_same_name_twice_in_the_drug_page_is_refused_before_saving(admin_client):
    from django.forms import inlineformset_factory

    from dictionary.admin import DrugNameForm, DrugNameFormSet

    drug = make_drug(name="Isotretinoin")
    FormSet = inlineformset_factory(
        Drug, DrugName, form=DrugNameForm, formset=DrugNameFormSet,
        fields=("name", "kind", "regions", "is_rejected"),
    )  # fmt: skip
    prefix = FormSet.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-name": "Accutane",
        f"{prefix}-0-kind": "brand",
        f"{prefix}-1-name": "accutane ",
        f"{prefix}-1-kind": "brand",
    }

    formset = FormSet(data, instance=drug)

    assert not formset.is_valid()
    assert "listed twice" in str(formset.errors)
    assert not DrugName.objects.exists()


def waiting_name(drug_rows=3):
    unmatched = UnmatchedName.objects.create(
        kind="drug",
        name="Nexplanon",
        key="nexplanon",
        row_count=drug_rows,
        suggestions=[{"id": 1, "name": "Etonogestrel", "via": "etonogestrel"}],
    )
    for number in range(drug_rows):
        WaitingRow.objects.create(
            source="review-export",
            source_id=f"n{number}",
            drug_name=unmatched,
            data={
                "row": number + 2,
                "drug": "Nexplanon",
                "condition": "",
                "body": "Fine for two years.",
                "rating": 8,
                "submitted_at": "2015-03-01T00:00:00+00:00",
                "helpful_count": 1,
            },
        )
    return unmatched


def test_the_queue_lists_names_with_counts_and_suggestions_in_fixed_queries(admin_client):
    waiting_name()
    url = reverse("admin:dictionary_unmatchedname_changelist")
    with CaptureQueriesContext(connection) as few:
        response = admin_client.get(url)
    for number in range(10):
        UnmatchedName.objects.create(kind="drug", name=f"Unknown {number}", key=f"unknown{number}")

    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)

    content = response.content.decode()
    assert "Nexplanon" in content and "Etonogestrel" in content
    assert len(many) == len(few)


def test_mapping_a_name_in_the_admin_imports_its_waiting_rows(admin_client):
    unmatched = waiting_name()
    drug = make_drug(name="Etonogestrel")

    response = admin_client.post(
        reverse("admin:dictionary_unmatchedname_change", args=[unmatched.pk]),
        {"mapped_drug": drug.pk},
        follow=True,
    )

    assert response.status_code == 200
    assert "Imported 3 waiting row(s) (3 published, 0 held" in response.content.decode()
    assert Review.objects.filter(drug=drug).count() == 3
    assert not WaitingRow.objects.exists()


def test_mapping_to_a_new_drug_creates_a_draft_named_after_it(admin_client):
    unmatched = waiting_name(drug_rows=1)

    admin_client.post(
        reverse("admin:dictionary_unmatchedname_change", args=[unmatched.pk]),
        {"create_new": "on"},
    )

    drug = Drug.objects.get(name="Nexplanon")
    assert drug.status == PublicationStatus.DRAFT
    assert drug.draft_version is not None
    assert Review.objects.get().drug == drug


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose what this name means"),
        ({"create_new": "on", "mapped_drug": "DRUG"}, "not both"),
        ({"mapped_drug": "ARCHIVED"}, "is archived"),
    ],
)
def test_a_bad_mapping_is_a_form_error_and_nothing_moves(admin_client, data, message):
    unmatched = waiting_name()
    drug = make_drug(name="Etonogestrel")
    archived = make_drug(name="Old implant", status=PublicationStatus.ARCHIVED)
    ids = {"DRUG": drug.pk, "ARCHIVED": archived.pk}
    data = {key: ids.get(value, value) for key, value in data.items()}

    response = admin_client.post(
        reverse("admin:dictionary_unmatchedname_change", args=[unmatched.pk]), data
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    unmatched.refresh_from_db()
    assert unmatched.mapped_drug is None
    assert WaitingRow.objects.count() == 3
    assert not Review.objects.exists()


def test_dictionary_admin_pages_load(admin_client):
    drug_name = make_drug_name(make_drug(name="Isotretinoin"), "Accutane", regions="US")
    for url in [
        reverse("admin:dictionary_drugname_changelist"),
        reverse("admin:dictionary_drugname_change", args=[drug_name.pk]),
        reverse("admin:dictionary_conditionname_changelist"),
        reverse("admin:dictionary_unmatchedname_changelist") + "?mapped=no",
    ]:
        assert admin_client.get(url).status_code == 200, url
