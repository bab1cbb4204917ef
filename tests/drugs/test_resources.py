import pytest
import tablib
from import_export.formats.base_formats import CSV, JSON, XLSX

from drugs.models import Condition, Drug, DrugSideEffect, Indication, PublicationStatus
from drugs.resources import (
    ConditionResource,
    DrugResource,
    DrugSideEffectResource,
    IndicationResource,
    SideEffectResource,
)
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_class,
    make_drug_side_effect,
    make_indication,
    make_side_effect,
)

pytestmark = pytest.mark.django_db


def csv_dataset(text):
    return tablib.Dataset().load(text, format="csv")


def drug_row(**values):
    row = {
        "name": "Acitretin",
        "slug": "acitretin",
        "generic_name": "",
        "brand_names": "",
        "summary": "A retinoid taken by mouth for severe psoriasis.",
        "availability": "rx",
        "active_ingredients": "",
        "drug_classes": "",
        "similar_drugs": "",
        "boxed_warning": "",
        "pregnancy_warning": "",
        "side_effect_advice": "",
        "tags": "",
        "status": "published",
    }
    row.update(values)
    dataset = tablib.Dataset(headers=list(row))
    dataset.append(list(row.values()))
    return dataset


def test_drug_export_names_related_rows_by_slug():
    retinoids = make_drug_class(name="Retinoids")
    acitretin = make_drug(name="Acitretin")
    make_drug(name="Isotretinoin", classes=[retinoids], tags=["skin", "acne"]).similar_drugs.add(
        acitretin
    )

    dataset = DrugResource().export(Drug.objects.filter(slug="isotretinoin"))

    row = dataset.dict[0]
    assert row["drug_classes"] == "retinoids"
    assert row["similar_drugs"] == "acitretin"
    assert row["tags"] == "acne, skin"
    assert row["status"] == "published"
    assert "id" not in dataset.headers


def test_importing_drugs_creates_drafts_and_never_publishes():
    retinoids = make_drug_class(name="Retinoids")

    result = DrugResource().import_data(
        drug_row(drug_classes="retinoids", tags="skin, retinoid"), raise_errors=False
    )

    assert not result.has_errors() and not result.has_validation_errors()
    drug = Drug.objects.get(slug="acitretin")
    assert drug.status == PublicationStatus.DRAFT
    assert list(drug.drug_classes.all()) == [retinoids]
    assert set(drug.tags.names()) == {"skin", "retinoid"}


def test_importing_updates_by_slug_and_keeps_the_status():
    drug = make_drug(name="Acitretin", summary="Old summary.")

    DrugResource().import_data(drug_row(summary="New summary.", status="draft"))

    drug.refresh_from_db()
    assert drug.summary == "New summary."
    assert drug.status == PublicationStatus.PUBLISHED
    assert Drug.objects.count() == 1


def test_dry_run_import_saves_nothing():
    result = DrugResource().import_data(drug_row(), dry_run=True)

    assert result.totals["new"] == 1
    assert not Drug.objects.exists()


def test_an_unknown_slug_is_a_row_error_not_silently_dropped():
    result = DrugResource().import_data(drug_row(drug_classes="no-such-class"), dry_run=True)

    assert result.has_validation_errors()
    messages = str(result.invalid_rows[0].error_dict)
    assert "No drug classes with slug(s): no-such-class." in messages
    assert not Drug.objects.exists()


def test_a_row_failing_model_validation_is_reported():
    result = DrugResource().import_data(drug_row(summary=""), dry_run=True)

    assert result.has_validation_errors()
    assert "summary" in result.invalid_rows[0].error_dict


def test_indications_are_matched_by_drug_and_condition_slugs():
    indication = make_indication(
        drug=make_drug(name="Isotretinoin"), condition=make_condition(name="Acne")
    )
    dataset = IndicationResource().export()
    rows = dataset.dict
    rows[0]["approval_note"] = "Approved for severe nodular acne."
    changed = tablib.Dataset(headers=dataset.headers)
    changed.append([rows[0][header] for header in dataset.headers])

    result = IndicationResource().import_data(changed)

    assert result.totals["update"] == 1
    indication.refresh_from_db()
    assert indication.approval_note == "Approved for severe nodular acne."


def test_an_indication_with_an_invalid_approval_status_is_refused():
    make_drug(name="Isotretinoin")
    make_condition(name="Acne")
    dataset = csv_dataset(
        "drug,condition,title,approval_status,summary,what_it_is,how_it_works,benefits,what_to_expect\n"
        "isotretinoin,acne,Isotretinoin for Acne,probably,S,W,H,B,E\n"
    )

    result = IndicationResource().import_data(dataset, dry_run=True)

    assert result.has_validation_errors()
    assert "approval_status" in result.invalid_rows[0].error_dict
    assert not Indication.objects.exists()


def test_an_unknown_drug_slug_in_an_indication_is_a_clear_error():
    make_condition(name="Acne")
    dataset = csv_dataset(
        "drug,condition,title,approval_status,summary,what_it_is,how_it_works,benefits,what_to_expect\n"
        "ghost,acne,Ghost for Acne,approved,S,W,H,B,E\n"
    )

    result = IndicationResource().import_data(dataset, dry_run=True)

    assert "No drug with slug 'ghost'." in str(result.invalid_rows[0].error_dict)


@pytest.mark.parametrize("file_format", [CSV, XLSX, JSON])
def test_content_round_trips_through_every_format(file_format):
    drug = make_drug(name="Isotretinoin", brand_names="Absorica", tags=["retinoid"])
    condition = make_condition(name="Acne", other_names="Spots", tags=["skin"])
    make_indication(drug=drug, condition=condition, approval_note="Severe acne only.")
    make_drug_side_effect(
        drug=drug,
        side_effect=make_side_effect(name="Dry lips"),
        frequency=DrugSideEffect.Frequency.VERY_COMMON,
        advice="Use a lip balm.",
    )
    resources = [
        SideEffectResource,
        DrugResource,
        ConditionResource,
        IndicationResource,
        DrugSideEffectResource,
    ]
    files = {}
    before = {}
    for resource in resources:
        dataset = resource().export()
        before[resource] = dataset.dict
        files[resource] = file_format().export_data(dataset)
    DrugSideEffect.objects.all().delete()
    Indication.objects.all().delete()
    Drug.objects.all().delete()
    Condition.objects.all().delete()

    for resource in resources:
        read_format = file_format(encoding="utf-8") if file_format is not XLSX else file_format()
        dataset = read_format.create_dataset(files[resource])
        result = resource().import_data(dataset, raise_errors=True)
        assert not result.has_validation_errors(), result.invalid_rows

    for resource in resources:
        after = resource().export().dict
        # Imported pages arrive as drafts; everything else is the same.
        for row in before[resource]:
            row.pop("status", None)
        for row in after:
            row.pop("status", None)
        assert after == before[resource]
