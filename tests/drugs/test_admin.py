import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drugs.models import (
    ActiveIngredient,
    Condition,
    Drug,
    DrugClass,
    DrugSideEffect,
    Indication,
    IndicationSection,
    SideEffect,
)
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_class,
    make_drug_side_effect,
    make_indication,
    make_ingredient,
    make_side_effect,
)

pytestmark = pytest.mark.django_db

EMPTY_INLINES = {
    "side_effects-TOTAL_FORMS": "0",
    "side_effects-INITIAL_FORMS": "0",
    "indications-TOTAL_FORMS": "0",
    "indications-INITIAL_FORMS": "0",
    "sections-TOTAL_FORMS": "0",
    "sections-INITIAL_FORMS": "0",
    "citations-TOTAL_FORMS": "0",
    "citations-INITIAL_FORMS": "0",
    "leaflet_sections-TOTAL_FORMS": "0",
    "leaflet_sections-INITIAL_FORMS": "0",
}


def admin_url(model, action, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)


def make_everything():
    indication = make_indication(tags=["skin"])
    IndicationSection.objects.create(indication=indication, heading="More", body="Text.")
    indication.drug.active_ingredients.add(make_ingredient())
    indication.drug.drug_classes.add(make_drug_class())
    make_drug_side_effect(drug=indication.drug)
    return indication


def objects_for_every_model(indication):
    drug = indication.drug
    return {
        Drug: drug,
        Condition: indication.condition,
        Indication: indication,
        ActiveIngredient: drug.active_ingredients.get(),
        DrugClass: drug.drug_classes.get(),
        SideEffect: SideEffect.objects.get(),
        DrugSideEffect: DrugSideEffect.objects.get(),
    }


def test_every_admin_changelist_add_and_change_page_loads(admin_client):
    indication = make_everything()
    for model, obj in objects_for_every_model(indication).items():
        for url in [
            admin_url(model, "changelist"),
            admin_url(model, "changelist") + "?q=a",
            admin_url(model, "add"),
            admin_url(model, "change", obj.pk),
        ]:
            assert admin_client.get(url).status_code == 200, url


def test_every_admin_change_page_saves_unchanged(admin_client):
    """Posting each change page back as loaded saves it and redirects."""
    indication = make_everything()
    for model, obj in objects_for_every_model(indication).items():
        url = admin_url(model, "change", obj.pk)
        response = admin_client.get(url)
        data = form_data(response)
        response = admin_client.post(url, data)
        assert response.status_code == 302, (model, errors(response))


def form_data(response):
    """The POST data a browser would send for the admin form as rendered."""
    data = {}
    adminform = response.context["adminform"]
    for name in adminform.form.fields:
        value = adminform.form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
        for form in formset.formset.initial_forms:
            for name in form.fields:
                value = form[name].value()
                if value is not None:
                    data[form.add_prefix(name)] = value
        data[f"{formset.formset.prefix}-TOTAL_FORMS"] = len(formset.formset.initial_forms)
    return {k: v for k, v in data.items() if v is not None}


def errors(response):
    if response.status_code != 200 or not response.context:
        return response.status_code
    found = [response.context["adminform"].form.errors]
    for formset in response.context["inline_admin_formsets"]:
        found.append(formset.formset.errors)
        found.append(formset.formset.non_form_errors())
    return found


def drug_post_data(**fields):
    data = {
        "name": "Acitretin",
        "slug": "acitretin",
        "summary": "A retinoid taken by mouth for severe psoriasis.",
        "availability": "rx",
        "status": "draft",
        "tags": "retinoid, skin",
        **EMPTY_INLINES,
    }
    data.update(fields)
    return data


def test_admin_adds_a_drug_with_tags_and_side_effects_as_its_first_draft(admin_client):
    side_effect = make_side_effect()
    data = drug_post_data(
        **{
            "side_effects-TOTAL_FORMS": "1",
            "side_effects-0-side_effect": side_effect.pk,
            "side_effects-0-frequency": "1",
            "side_effects-0-seriousness": "1",
            "side_effects-0-advice": "Use a moisturiser.",
        }
    )
    response = admin_client.post(admin_url(Drug, "add"), data)
    assert response.status_code == 302, errors(response)
    drug = Drug.objects.get(slug="acitretin")
    assert sorted(drug.tags.names()) == ["retinoid", "skin"]
    assert drug.side_effects.get().advice == "Use a moisturiser."
    assert drug.draft_version.data["tags"] == ["retinoid", "skin"]
    assert drug.live_version is None


def test_admin_duplicate_drug_slug_is_a_form_error(admin_client):
    make_drug(slug="acitretin")
    response = admin_client.post(admin_url(Drug, "add"), drug_post_data())
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Drug.objects.count() == 1


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (Condition, {"name": "Acne", "slug": "taken", "summary": "Spots.", "status": "draft"}),
        (DrugClass, {"name": "Retinoids", "slug": "taken"}),
        (ActiveIngredient, {"name": "Isotretinoin", "slug": "taken"}),
        (SideEffect, {"name": "Dry lips", "slug": "taken"}),
    ],
)
def test_admin_duplicate_slug_is_a_form_error_for_every_model(admin_client, model, data):
    existing = {
        Condition: make_condition,
        DrugClass: make_drug_class,
        ActiveIngredient: make_ingredient,
        SideEffect: make_side_effect,
    }[model](slug="taken")
    response = admin_client.post(admin_url(model, "add"), {**EMPTY_INLINES, **data})
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert list(model.objects.all()) == [existing]


def indication_post_data(drug, condition, **fields):
    data = {
        "drug": drug.pk,
        "condition": condition.pk,
        "title": "A title",
        "summary": "A summary.",
        "approval_status": "off_label",
        "what_it_is": "What.",
        "how_it_works": "How.",
        "benefits": "Benefits.",
        "what_to_expect": "Expect.",
        "status": "draft",
        **EMPTY_INLINES,
    }
    data.update(fields)
    return data


def test_admin_duplicate_drug_and_condition_is_a_form_error(admin_client):
    existing = make_indication()
    data = indication_post_data(existing.drug, existing.condition)
    response = admin_client.post(admin_url(Indication, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Indication.objects.count() == 1


def test_admin_adds_an_indication_with_sections_in_order(admin_client):
    drug, condition = make_drug(), make_condition()
    data = indication_post_data(
        drug,
        condition,
        **{
            "sections-TOTAL_FORMS": "2",
            "sections-0-heading": "Second",
            "sections-0-body": "B",
            "sections-0-position": "2",
            "sections-1-heading": "First",
            "sections-1-body": "A",
            "sections-1-position": "1",
        },
    )
    response = admin_client.post(admin_url(Indication, "add"), data)
    assert response.status_code == 302, errors(response)
    indication = Indication.objects.get()
    assert [s.heading for s in indication.sections.all()] == ["First", "Second"]


def test_admin_two_inline_rows_for_the_same_side_effect_are_a_form_error(admin_client):
    side_effect = make_side_effect()
    row = {"frequency": "2", "seriousness": "1", "side_effect": side_effect.pk}
    data = drug_post_data(**{"side_effects-TOTAL_FORMS": "2"})
    for index in range(2):
        data.update({f"side_effects-{index}-{key}": value for key, value in row.items()})
    response = admin_client.post(admin_url(Drug, "add"), data)
    assert response.status_code == 200
    assert not Drug.objects.exists()
    assert not DrugSideEffect.objects.exists()


def test_admin_inline_row_duplicating_a_saved_side_effect_is_a_form_error(admin_client):
    link = make_drug_side_effect()
    drug = link.drug
    url = admin_url(Drug, "change", drug.pk)
    data = form_data(admin_client.get(url))
    data.update(
        {
            "side_effects-TOTAL_FORMS": "2",
            "side_effects-1-side_effect": link.side_effect.pk,
            "side_effects-1-frequency": "3",
            "side_effects-1-seriousness": "1",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert DrugSideEffect.objects.count() == 1


def test_admin_drug_cannot_be_similar_to_itself(admin_client):
    drug = make_drug()
    url = admin_url(Drug, "change", drug.pk)
    data = form_data(admin_client.get(url))
    data["similar_drugs"] = [str(drug.pk)]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "similar_drugs" in response.context["adminform"].form.errors


def test_admin_pages_link_to_the_public_page(admin_client):
    indication = make_indication()
    html = admin_client.get(admin_url(Indication, "change", indication.pk)).content.decode()
    assert "View on site" in html


def test_admin_autocomplete_finds_drugs_and_conditions(admin_client):
    make_drug(name="Isotretinoin")
    make_condition(name="Psoriasis")
    url = reverse("admin:autocomplete")
    for model, term, field in [
        (Drug, "isotre", "drug"),
        (Condition, "psori", "condition"),
    ]:
        response = admin_client.get(
            url,
            {
                "term": term,
                "app_label": "drugs",
                "model_name": "indication",
                "field_name": field,
            },
        )
        assert response.status_code == 200
        assert len(response.json()["results"]) == 1, model


@pytest.mark.parametrize(
    "model", [Drug, Condition, Indication, ActiveIngredient, DrugClass, SideEffect, DrugSideEffect]
)
def test_admin_changelist_queries_do_not_grow_with_rows(admin_client, model):
    def grow():
        indication = make_indication(tags=["skin"])
        indication.drug.active_ingredients.add(make_ingredient())
        indication.drug.drug_classes.add(make_drug_class())
        make_drug_side_effect(drug=indication.drug)

    grow()
    url = admin_url(model, "changelist")
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    for _ in range(10):
        grow()
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(url).status_code == 200
    assert len(many) == len(few)


def test_articles_are_listed_on_the_drug_page_but_changed_on_their_own(admin_client):
    """Each article is a page with its own versions: the drug page links to it."""
    indication = make_indication()
    data = drug_post_data(
        **{
            "indications-TOTAL_FORMS": "1",
            "indications-0-condition": indication.condition.pk,
            "indications-0-title": "Acitretin for psoriasis",
            "indications-0-approval_status": "approved",
        }
    )
    response = admin_client.get(admin_url(Drug, "change", indication.drug.pk))
    assert indication.title in response.content.decode()
    admin_client.post(admin_url(Drug, "add"), data)
    assert Indication.objects.count() == 1


def assert_change_page_constant(admin_client, url, grow):
    admin_client.get(url)  # warm per-process caches (content types)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    for _ in range(10):
        grow()
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)
    return response


def test_admin_drug_change_page_queries_do_not_grow_with_inline_rows(admin_client):
    drug = make_drug()
    make_drug_side_effect(drug=drug, side_effect=make_side_effect(name="Dry lips"))
    make_indication(drug=drug)

    def grow():
        make_drug_side_effect(drug=drug)
        make_indication(drug=drug)

    response = assert_change_page_constant(admin_client, admin_url(Drug, "change", drug.pk), grow)
    # The autocomplete still shows the row's current value.
    assert (
        '<option value="{}" selected>Dry lips</option>'.format(
            SideEffect.objects.get(name="Dry lips").pk
        )
        in response.content.decode()
    )


def test_admin_condition_and_indication_change_pages_do_not_grow_with_inline_rows(admin_client):
    condition = make_condition()
    make_indication(condition=condition)
    assert_change_page_constant(
        admin_client,
        admin_url(Condition, "change", condition.pk),
        lambda: make_indication(condition=condition),
    )
    indication = make_indication()
    assert_change_page_constant(
        admin_client,
        admin_url(Indication, "change", indication.pk),
        lambda: IndicationSection.objects.create(indication=indication, heading="H", body="B"),
    )
