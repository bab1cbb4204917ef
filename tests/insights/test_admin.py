import pytest
from django.contrib.admin.sites import site
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drugs.models import SideEffect
from editorial import services
from insights.admin import ScreeningFlagFilter, screening_flags, screening_notes
from insights.models import DrugMention, IndicationMention, ReviewMention
from insights.services import mentions_recompute_all
from reviews.models import Review
from tests.factories import (
    make_drug_side_effect,
    make_indication,
    make_review,
    make_side_effect,
    make_staff,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def add_mentioned_reviews(count):
    for _ in range(count):
        link = make_drug_side_effect(side_effect=make_side_effect())
        indication = make_indication(drug=link.drug)
        make_review(
            indication=indication, body=f"{link.side_effect.name} all week", status="approved"
        )
    mentions_recompute_all()


@pytest.mark.parametrize("model", [DrugMention, IndicationMention, ReviewMention])
def test_mention_change_lists_run_a_fixed_number_of_queries(admin_client, model):
    url = reverse(f"admin:insights_{model._meta.model_name}_changelist")
    add_mentioned_reviews(1)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    add_mentioned_reviews(10)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)


def test_mention_figures_are_read_only(admin_client):
    add_mentioned_reviews(1)
    figure = DrugMention.objects.get()
    assert admin_client.get(reverse("admin:insights_drugmention_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:insights_drugmention_change", args=[figure.pk]),
        {"mention_count": 99, "review_count": 99},
    )
    assert response.status_code == 403
    assert (
        admin_client.get(reverse("admin:insights_drugmention_delete", args=[figure.pk])).status_code
        == 403
    )
    figure.refresh_from_db()
    assert figure.mention_count == 1


def test_screening_filter_picks_reviews_by_flag():
    clean = make_review()
    self_harm = make_review(flag_self_harm=True)
    spam = make_review(flag_spam=True, flag_personal_data=True)

    def pick(value):
        flt = ScreeningFlagFilter(None, {"flag": [value]} if value else {}, Review, None)
        return set(flt.queryset(None, Review.objects.all()))

    assert pick("self_harm") == {self_harm}
    assert pick("personal_data") == {spam}
    assert pick("any") == {self_harm, spam}
    assert pick("none") == {clean}
    assert pick(None) == {clean, self_harm, spam}


def test_screening_shows_flags_in_words_and_crisis_resources_for_self_harm():
    review = make_review(body="I wanted to kill myself in month two", flag_self_harm=True)
    assert screening_flags(review) == "Self-harm"
    notes = screening_notes(review)
    assert "kill myself" in notes
    assert "116 123" in notes and "988" in notes
    assert screening_flags(make_review()) == "—"
    assert "116 123" not in screening_notes(make_review(body="Clear skin, dry lips."))


def test_every_insights_model_is_registered():
    for model in (DrugMention, IndicationMention, ReviewMention):
        assert site.is_registered(model)


def side_effect_post(admin_client, side_effect=None, **fields):
    data = {"name": "Bleeding", "slug": "bleeding", "other_names": "", "description": "", **fields}
    if side_effect is None:
        url = reverse("admin:drugs_sideeffect_add")
    else:
        url = reverse("admin:drugs_sideeffect_change", args=[side_effect.pk])
    return admin_client.post(url, data)


def test_admin_refuses_a_name_another_side_effect_uses(admin_client):
    make_side_effect(name="Epistaxis", slug="epistaxis", other_names="nosebleed, nose bleed")

    response = side_effect_post(admin_client, other_names="bruising\nNose-bleeds")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert (
        "“Nose-bleeds” is already a name of the side effect “Epistaxis”" in errors["other_names"][0]
    )
    assert "Nose-bleeds" in response.content.decode()
    assert not SideEffect.objects.filter(slug="bleeding").exists()


def test_admin_accepts_regex_like_characters_and_empty_names(admin_client):
    response = side_effect_post(admin_client, other_names="(red) eyes*, , [a+b]?\n\n.*")
    assert response.status_code == 302
    assert SideEffect.objects.get(slug="bleeding").other_name_list == [
        "(red) eyes*",
        "[a+b]?",
        ".*",
    ]


def test_renaming_a_side_effect_in_the_admin_recounts_mentions(admin_client):
    link = make_drug_side_effect(side_effect=make_side_effect(name="Dry lips", slug="dry-lips"))
    make_review(drug=link.drug, body="My lips were peeling for months", status="approved")
    mentions_recompute_all()
    assert not DrugMention.objects.exists()

    response = side_effect_post(
        admin_client, link.side_effect, name="Dry lips", slug="dry-lips", other_names="peeling"
    )

    assert response.status_code == 302
    assert DrugMention.objects.get(drug_side_effect=link).mention_count == 1


def test_a_side_effect_added_in_the_admin_counts_existing_reviews_once_published(admin_client):
    drug = make_drug_side_effect(side_effect=make_side_effect(name="Rash")).drug
    make_review(drug=drug, body="Headaches every single day", status="approved")
    headache = make_side_effect(name="Headache")
    url = reverse("admin:drugs_drug_change", args=[drug.pk])
    page = admin_client.get(url)
    data = {}
    form = page.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for row in formset.initial_forms:
            for name in row.fields:
                if row[name].value() is not None:
                    data[row.add_prefix(name)] = row[name].value()
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.initial_forms)
    data.update(
        {
            "side_effects-TOTAL_FORMS": "2",
            "side_effects-1-side_effect": headache.pk,
            "side_effects-1-frequency": "2",
            "side_effects-1-seriousness": "1",
        }
    )

    response = admin_client.post(url, data)
    assert response.status_code == 302
    # A draft changes nothing readers see, figures included.
    assert not DrugMention.objects.filter(drug_side_effect__side_effect=headache).exists()

    editor = get_user_model().objects.get(is_superuser=True)
    reviewer = make_staff(is_superuser=True)
    services.page_sign_off(page=drug, reviewer=reviewer)
    services.page_publish(page=drug, user=editor)

    assert DrugMention.objects.get(drug_side_effect__side_effect=headache).mention_count == 1


def test_queue_warning_appears_only_for_pending_self_harm_reviews(rf):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from insights.admin import warn_about_self_harm

    def warnings_for():
        request = rf.get("/")
        request.session = {}
        request._messages = FallbackStorage(request)
        warn_about_self_harm(request, Review.objects.all())
        return [str(m) for m in get_messages(request)]

    make_review(flag_self_harm=True, status="approved")
    assert warnings_for() == []
    make_review(flag_self_harm=True)
    [warning] = warnings_for()
    assert "1 review(s) waiting" in warning and "116 123" in warning and "988" in warning
