import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from taggit.models import Tag

from drugs.content_io import ContentJSONEncoder, content_export
from drugs.models import (
    ActiveIngredient,
    Condition,
    Drug,
    DrugClass,
    DrugSideEffect,
    Indication,
    IndicationSection,
    PublicationStatus,
    SideEffect,
)
from editorial import services
from editorial.models import Citation
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_class,
    make_drug_side_effect,
    make_indication,
    make_ingredient,
    make_side_effect,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    """A small site: two published drugs, a draft one, uses, sections, side effects, tags."""
    editor = make_staff(username="editor-ana")
    retinoids = make_drug_class(name="Retinoids", description="Vitamin A relatives.")
    ingredient = make_ingredient(name="Isotretinoin (substance)")
    isotretinoin = make_drug(
        name="Isotretinoin",
        generic_name="isotretinoin",
        brand_names="Absorica, Claravis",
        boxed_warning="Can cause severe birth defects: never take it while pregnant.",
        owner=editor,
        medically_reviewed_by=editor,
        medically_reviewed_at=timezone.now() - timedelta(days=3),
        tags=["retinoid", "skin"],
        classes=[retinoids],
    )
    isotretinoin.active_ingredients.add(ingredient)
    acitretin = make_drug(name="Acitretin", tags=["retinoid"], classes=[retinoids])
    draft = make_drug(name="Secret new drug", status=PublicationStatus.DRAFT)
    isotretinoin.similar_drugs.add(acitretin, draft)
    acne = make_condition(name="Acne", other_names="Spots", tags=["skin"])
    psoriasis = make_condition(name="Psoriasis")
    article = make_indication(
        drug=isotretinoin,
        condition=acne,
        approval_status=Indication.ApprovalStatus.APPROVED,
        approval_note="Approved for severe acne that has not responded to other treatment.",
        tags=["retinoid", "acne"],
    )
    IndicationSection.objects.create(
        indication=article, heading="Monitoring", body="Blood tests.", position=1
    )
    IndicationSection.objects.create(
        indication=article, heading="Pregnancy", body="Two forms of contraception.", position=0
    )
    make_indication(
        drug=acitretin,
        condition=psoriasis,
        approval_status=Indication.ApprovalStatus.APPROVED,
        publish_at=timezone.now() + timedelta(days=2),
    )
    make_indication(drug=draft, condition=acne)
    make_indication(drug=isotretinoin, condition=psoriasis, status=PublicationStatus.DRAFT)
    Citation.objects.create(
        drug=isotretinoin,
        title="Isotretinoin capsules: prescribing information",
        publisher="A medicines regulator",
        year=2023,
        url="https://regulator.example.org/isotretinoin",
        position=0,
    )
    Citation.objects.create(
        indication=article,
        title="Guideline on the management of severe acne",
        publisher="A dermatology society",
        doi="10.1234/acne.2020.001",
    )
    dry_lips = make_side_effect(name="Dry lips", other_names="chapped lips")
    make_drug_side_effect(
        drug=isotretinoin,
        side_effect=dry_lips,
        frequency=DrugSideEffect.Frequency.VERY_COMMON,
        advice="Use a lip balm often.",
    )
    make_drug_side_effect(drug=draft, side_effect=make_side_effect(name="Headache"))
    return isotretinoin


def export_text(*args):
    out = io.StringIO()
    call_command("export_content", *args, stdout=out)
    return out.getvalue()


def canonical():
    data = content_export()
    data.pop("exported_at")
    return json.loads(json.dumps(data, cls=ContentJSONEncoder))


def import_file(tmp_path, data, *args):
    path = tmp_path / "content.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    out = io.StringIO()
    call_command("import_content", str(path), *args, stdout=out)
    return out.getvalue()


def delete_all_content():
    Indication.objects.all().delete()
    Drug.objects.all().delete()
    Condition.objects.all().delete()
    SideEffect.objects.all().delete()
    DrugClass.objects.all().delete()
    ActiveIngredient.objects.all().delete()
    Tag.objects.all().delete()


def test_export_holds_published_content_only_keyed_by_slugs(content):
    data = json.loads(export_text())

    assert data["format"] == "formulary-content"
    assert [drug["slug"] for drug in data["drugs"]] == ["acitretin", "isotretinoin"]
    assert {(i["drug"], i["condition"]) for i in data["indications"]} == {
        ("isotretinoin", "acne"),
        ("acitretin", "psoriasis"),
    }
    isotretinoin = data["drugs"][1]
    assert isotretinoin["similar_drugs"] == ["acitretin"]
    assert isotretinoin["drug_classes"] == ["retinoids"]
    assert isotretinoin["tags"] == ["retinoid", "skin"]
    assert isotretinoin["owner"] == "editor-ana"
    assert "id" not in isotretinoin and "search_vector" not in isotretinoin
    assert [s["heading"] for s in data["indications"][1]["sections"]] == ["Pregnancy", "Monitoring"]
    assert [c["publisher"] for c in isotretinoin["citations"]] == ["A medicines regulator"]
    assert data["indications"][1]["citations"][0]["doi"] == "10.1234/acne.2020.001"
    assert "drug" not in isotretinoin["citations"][0]
    assert [(d["drug"], d["side_effect"]) for d in data["drug_side_effects"]] == [
        ("isotretinoin", "dry-lips")
    ]


def test_round_trip_reproduces_the_same_content(content, tmp_path):
    before = canonical()
    text = export_text()
    delete_all_content()

    import_file(tmp_path, text)

    assert canonical() == before
    drug = Drug.objects.get(slug="isotretinoin")
    assert drug.medically_reviewed_by.username == "editor-ana"
    assert set(drug.tags.names()) == {"retinoid", "skin"}
    assert Indication.objects.get(drug=drug).sections.count() == 2
    assert Citation.objects.count() == 2


PUBLIC_PAGES = [
    "/drugs/",
    "/drugs/isotretinoin/",
    "/drugs/isotretinoin/side-effects/",
    "/drugs/acitretin/",
    "/drugs/isotretinoin/for/acne/",
    "/conditions/",
    "/conditions/acne/",
    "/drug-classes/retinoids/",
    "/tags/retinoid/",
]


def test_round_trip_reproduces_the_same_public_pages(content, client, tmp_path):
    before = {page: client.get(page) for page in PUBLIC_PAGES}
    text = export_text()
    delete_all_content()

    import_file(tmp_path, text)

    for page, response in before.items():
        after = client.get(page)
        assert response.status_code == 200, page
        assert after.status_code == 200, page
        assert after.content.decode() == response.content.decode(), page


def test_importing_into_a_site_with_content_updates_by_slug(content, tmp_path):
    data = json.loads(export_text())
    data["drugs"][1]["summary"] = "A retinoid for severe acne."
    data["indications"][1]["sections"] = [{"heading": "Only", "body": "One.", "position": 0}]

    out = import_file(tmp_path, data)

    assert "Drugs: 0 created, 2 updated." in out
    assert Drug.objects.filter(slug="isotretinoin").count() == 1
    assert Drug.objects.get(slug="isotretinoin").summary == "A retinoid for severe acne."
    assert list(
        content.indications.get(condition__slug="acne").sections.values_list("heading", flat=True)
    ) == ["Only"]
    # Drafts the file does not mention are left alone.
    assert Drug.objects.filter(slug="secret-new-drug", status=PublicationStatus.DRAFT).exists()


def test_importing_the_same_file_twice_changes_nothing(content, tmp_path):
    text = export_text()
    delete_all_content()
    import_file(tmp_path, text)
    counts = (
        Drug.objects.count(),
        Indication.objects.count(),
        IndicationSection.objects.count(),
        Tag.objects.count(),
    )

    out = import_file(tmp_path, text)

    assert "Drugs: 0 created, 2 updated." in out
    assert (
        Drug.objects.count(),
        Indication.objects.count(),
        IndicationSection.objects.count(),
        Tag.objects.count(),
    ) == counts


def test_people_missing_on_the_receiving_site_are_left_empty_and_named(content, tmp_path):
    text = export_text().replace('"editor-ana"', '"someone-else"')

    out = import_file(tmp_path, text)

    assert "Users not on this site (left empty): someone-else." in out
    assert Drug.objects.get(slug="isotretinoin").owner is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: "{not json", r"Not valid JSON \(line 1, column 2\)"),
        (lambda data: [1, 2], "Not a content export"),
        (lambda data: {**data, "version": 99}, "Unsupported version 99"),
        (lambda data: {**data, "reviews": []}, r"Unknown list\(s\) in the file: reviews"),
        (lambda data: {**data, "drugs": {}}, "drugs: expected a list"),
        (
            lambda data: data["drugs"][1].update(colour="red"),
            r"drugs\[1\]: unknown field\(s\) colour",
        ),
        (lambda data: data["drugs"][1].pop("slug") and None, r"drugs\[1\]: missing slug"),
        (
            lambda data: data["indications"][0].update(approval_status="maybe"),
            r"indications\[0\] \(acitretin, psoriasis\): approval_status: Value 'maybe' is not a valid choice",
        ),
        (
            lambda data: data["indications"][0].update(drug="no-such-drug"),
            r"indications\[0\]\.drug: no drug 'no-such-drug' in the file or on this site",
        ),
        (
            lambda data: data["drugs"][1].update(similar_drugs=["ghost"]),
            r"drugs\[1\]\.similar_drugs: no drug 'ghost'",
        ),
        (
            lambda data: data["drugs"][0].update(publish_at="next tuesday"),
            r"drugs\[0\]\.publish_at: .*format",
        ),
        (
            lambda data: data["drugs"][0].update(summary=""),
            r"drugs\[0\] \(acitretin\): summary: This field cannot be blank",
        ),
        (
            lambda data: data["drugs"][0].update(tags=[""]),
            r"drugs\[0\]\.tags: tags must be non-empty names",
        ),
        (
            lambda data: data["drugs"][1]["citations"][0].update(url="", doi="", pubmed_id=""),
            r"drugs\[1\] \(isotretinoin\)\.citations\[0\]: url: Give a web address",
        ),
    ],
)
def test_a_bad_file_is_refused_with_where_and_why_and_changes_nothing(
    content, tmp_path, change, message
):
    data = json.loads(export_text())
    data["drug_classes"][0]["description"] = "Changed before the error."
    changed = change(data)
    data = data if changed is None else changed
    before = canonical()

    with pytest.raises(CommandError, match=message) as error:
        import_file(tmp_path, data if isinstance(data, str) else json.dumps(data))

    assert "Nothing was imported." in str(error.value)
    assert canonical() == before


def test_dry_run_checks_everything_and_saves_nothing(content, tmp_path):
    text = export_text()
    delete_all_content()

    out = import_file(tmp_path, text, "--dry-run")

    assert "Drugs: 2 created, 0 updated." in out
    assert "Dry run: nothing was saved." in out
    assert not Drug.objects.exists()


def test_export_writes_a_file_when_asked(content, tmp_path):
    path = tmp_path / "out.json"

    call_command("export_content", "--output", str(path), stderr=io.StringIO())

    assert json.loads(path.read_text())["drugs"][0]["slug"] == "acitretin"


def test_export_to_an_unwritable_place_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_content", "--output", str(tmp_path / "missing" / "out.json"))


def test_import_of_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot open"):
        call_command("import_content", str(tmp_path / "nowhere.json"))


def test_importing_over_a_live_page_stores_a_draft_and_keeps_the_live_version(content, tmp_path):
    drug = Drug.objects.get(slug="isotretinoin")
    services.page_adopt(drug)
    live = Drug.objects.get(pk=drug.pk).live_version
    data = json.loads(export_text())
    data["drugs"][1]["summary"] = "A retinoid for severe acne, from staging."

    import_file(tmp_path, data)

    drug.refresh_from_db()
    assert drug.live_version == live
    assert drug.summary != "A retinoid for severe acne, from staging."
    assert (
        drug.draft_version.data["fields"]["summary"] == "A retinoid for severe acne, from staging."
    )
