import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from drugs.models import (
    Condition,
    Drug,
    DrugSideEffect,
    Indication,
    PublicationStatus,
    SideEffect,
)
from editorial import services
from tests.editorial.conftest import edit, make_member
from tests.factories import make_condition, make_drug, make_staff

pytestmark = pytest.mark.django_db

CSV_FORMAT, XLSX_FORMAT, JSON_FORMAT = "0", "1", "2"

DRUGS_CSV = (
    "name,slug,generic_name,summary,availability,drug_classes,tags\n"
    "Acitretin,acitretin,acitretin,A retinoid taken by mouth for severe psoriasis.,rx,,"
    '"retinoid, skin"\n'
    "Isotretinoin,isotretinoin,isotretinoin,A retinoid for severe acne.,rx,,retinoid\n"
)


def url(model, action):
    return reverse(f"admin:drugs_{model._meta.model_name}_{action}")


def upload(client, model, content, name="drugs.csv", file_format=CSV_FORMAT):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        url(model, "import"),
        {"format": file_format, "import_file": SimpleUploadedFile(name, data)},
    )


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    return client.post(url(model, "process_import"), form.initial)


def editor_with(*codenames):
    user = make_staff()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_admin_import_previews_before_saving_anything(admin_client):
    make_drug(name="Isotretinoin", summary="Old summary.")

    preview = upload(admin_client, Drug, DRUGS_CSV)

    assert preview.status_code == 200
    assert b"Confirm import" in preview.content
    body = preview.content.decode()
    assert "New" in body and "Update" in body
    assert not Drug.objects.filter(slug="acitretin").exists()
    assert Drug.objects.get(slug="isotretinoin").summary == "Old summary."

    response = confirm(admin_client, Drug, preview)

    assert response.status_code == 302
    acitretin = Drug.objects.get(slug="acitretin")
    assert acitretin.status == PublicationStatus.DRAFT
    assert set(acitretin.tags.names()) == {"retinoid", "skin"}
    assert Drug.objects.get(slug="isotretinoin").summary == "A retinoid for severe acne."


def test_admin_import_shows_invalid_rows_and_cannot_be_confirmed(admin_client):
    content = (
        "name,slug,summary,drug_classes\nAcitretin,acitretin,,no-such-class\n"
        "Isotretinoin,isotretinoin,A retinoid for severe acne.,\n"
    )

    response = upload(admin_client, Drug, content)

    assert response.status_code == 200
    body = response.content.decode()
    assert "No drug classes with slug(s): no-such-class." in body
    assert "This field cannot be blank." in body
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Drug.objects.exists()


def test_admin_import_of_a_binary_file_is_an_error_message_not_a_crash(admin_client):
    response = upload(admin_client, Drug, b"\x00\x01\x02garbage\xff\xfe", name="drugs.csv")

    assert response.status_code == 200
    assert b"Ensure you have chosen the correct format for the file." in response.content
    assert not Drug.objects.exists()


def test_admin_imports_indications_by_drug_and_condition_slugs(admin_client):
    make_drug(name="Isotretinoin")
    make_condition(name="Acne")
    content = (
        "drug,condition,title,approval_status,approval_note,summary,what_it_is,"
        "how_it_works,benefits,what_to_expect,tags\n"
        "isotretinoin,acne,Isotretinoin for Acne,approved,For severe acne.,S,W,H,B,E,acne\n"
    )

    preview = upload(admin_client, Indication, content, name="uses.csv")
    confirm(admin_client, Indication, preview)

    indication = Indication.objects.get(drug__slug="isotretinoin", condition__slug="acne")
    assert indication.approval_status == Indication.ApprovalStatus.APPROVED
    assert indication.status == PublicationStatus.DRAFT


def test_admin_imports_json_side_effects(admin_client):
    content = '[{"name": "Dry lips", "slug": "dry-lips", "other_names": "chapped lips"}]'

    preview = upload(
        admin_client, SideEffect, content, name="effects.json", file_format=JSON_FORMAT
    )
    confirm(admin_client, SideEffect, preview)

    assert SideEffect.objects.get(slug="dry-lips").other_names == "chapped lips"


def test_admin_exports_conditions_as_xlsx(admin_client):
    make_condition(name="Acne", other_names="Spots")
    form = admin_client.get(url(Condition, "export")).context["form"]
    data = {"format": XLSX_FORMAT}
    data.update(
        {
            name: "on"
            for name, field in form.fields.items()
            if name not in data and field.__class__.__name__ == "BooleanField"
        }
    )

    response = admin_client.post(url(Condition, "export"), data)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_staff_without_change_permission_cannot_import_or_export(client):
    client.force_login(editor_with("view_drug"))

    assert client.get(url(Drug, "import")).status_code == 403
    assert client.get(url(Drug, "export")).status_code == 403
    assert upload(client, Drug, DRUGS_CSV).status_code == 403
    assert not Drug.objects.exists()


def test_staff_who_may_change_but_not_add_can_export_but_not_import(client):
    client.force_login(editor_with("view_drug", "change_drug"))

    assert client.get(url(Drug, "export")).status_code == 200
    assert client.get(url(Drug, "import")).status_code == 403


def test_staff_who_may_add_and_change_can_import(client):
    client.force_login(editor_with("view_drug", "change_drug", "add_drug"))

    preview = upload(client, Drug, DRUGS_CSV)
    confirm(client, Drug, preview)

    assert Drug.objects.count() == 2


def test_change_list_offers_import_and_export_to_editors(admin_client):
    response = admin_client.get(reverse("admin:drugs_drug_changelist"))

    assert url(Drug, "import").encode() in response.content
    assert url(Drug, "export").encode() in response.content


def signed_off_published(page, editor):
    edit(page, editor, status=PublicationStatus.IN_REVIEW)
    services.page_sign_off(page=page, reviewer=make_member("Medical reviewers"))
    services.page_publish(page=page, user=editor)
    page.refresh_from_db()
    return page


def test_a_spreadsheet_edit_of_a_live_page_becomes_its_draft(client):
    editor = make_member("Editors")
    drug = signed_off_published(
        make_drug(name="Isotretinoin", status=PublicationStatus.DRAFT, owner=editor), editor
    )
    assert drug.status == PublicationStatus.PUBLISHED
    client.force_login(editor)

    confirm(client, Drug, upload(client, Drug, DRUGS_CSV))

    drug.refresh_from_db()
    assert drug.summary != "A retinoid for severe acne."
    assert drug.status == PublicationStatus.PUBLISHED
    assert drug.draft_version.data["fields"]["summary"] == "A retinoid for severe acne."


def test_a_spreadsheet_adding_a_side_effect_to_a_live_drug_goes_into_its_draft(client):
    editor = make_member("Editors")
    drug = signed_off_published(
        make_drug(name="Isotretinoin", status=PublicationStatus.DRAFT, owner=editor), editor
    )
    SideEffect.objects.create(name="Dry lips", slug="dry-lips")
    client.force_login(editor)
    content = (
        "drug,side_effect,frequency,seriousness,advice\nisotretinoin,dry-lips,1,1,Use a lip balm.\n"
    )

    confirm(client, DrugSideEffect, upload(client, DrugSideEffect, content, name="effects.csv"))

    drug.refresh_from_db()
    assert drug.side_effects.count() == 0
    assert len(drug.draft_version.data["children"]["side_effects"]) == 1
    assert drug.status == PublicationStatus.PUBLISHED
