import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.forms import MultiWidget
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from drugs.models import Drug, DrugSideEffect, Indication, PublicationStatus
from editorial import services
from editorial.models import Citation, SignOff
from tests.editorial.conftest import edit, publish
from tests.factories import make_drug, make_drug_side_effect, make_indication, make_review

pytestmark = pytest.mark.django_db


def admin_url(obj_or_model, action, *args):
    opts = obj_or_model._meta
    if not isinstance(obj_or_model, type) and not args:
        args = (obj_or_model.pk,)
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)


def step_url(page, step):
    return admin_url(page, "workflow", page.pk, step)


def form_data_plain(response):
    """A plain admin form's data as the browser would post it back."""
    form = response.context["adminform"].form
    return {
        form[name].html_name: form[name].value()
        for name in form.fields
        if form[name].value() is not None
    }


def form_data(response):
    """The change form's data as the browser would post it back unchanged."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            if isinstance(field.widget, MultiWidget):
                for index, part in enumerate(field.widget.decompress(value)):
                    data[f"{bound.html_name}_{index}"] = "" if part is None else part
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif value is None or value is False:
                continue
            else:
                data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.initial_forms:
            add(form)
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.initial_forms)
    data["_version_base"] = response.context["version_base"]
    return data


@pytest.fixture
def signed_drug(editor, reviewer):
    """A published drug, signed off by the reviewer, written by the editor."""
    drug = make_drug(status=PublicationStatus.DRAFT, owner=editor)
    edit(drug, editor, status=PublicationStatus.IN_REVIEW)
    services.page_sign_off(page=drug, reviewer=reviewer)
    services.page_publish(page=drug, user=editor)
    drug.refresh_from_db()
    return drug


def test_change_form_shows_status_and_only_the_steps_the_user_may_take(client, editor, reviewer):
    drug = make_drug(status=PublicationStatus.IN_REVIEW)
    client.force_login(editor)

    page = client.get(admin_url(drug, "change")).content.decode()

    assert "Editorial status" in page
    assert "Return to draft" in page
    # Not signed off, never published: nothing to publish, nothing to unpublish.
    assert "Publish or schedule" not in page
    assert "Unpublish (archive)" not in page
    assert "Medically sign off" not in page
    assert 'name="status"' not in page

    client.force_login(reviewer)
    page = client.get(admin_url(drug, "change")).content.decode()
    assert "Medically sign off" in page
    assert "Publish or schedule" not in page


def test_reviewer_signs_off_through_the_admin(client, draft_drug, reviewer):
    client.force_login(reviewer)

    response = client.post(step_url(draft_drug, "sign-off"), {"note": "Checked the label."})

    assert response.status_code == 302
    sign_off = SignOff.objects.get()
    assert sign_off.signed_by == reviewer
    assert sign_off.note == "Checked the label."
    assert LogEntry.objects.filter(change_message__startswith="Medically signed off").exists()


def test_editor_cannot_sign_off_through_the_admin(client, draft_drug, editor):
    client.force_login(editor)

    response = client.post(step_url(draft_drug, "sign-off"), {})

    assert response.status_code == 400
    assert "permission" in response.content.decode()
    assert not SignOff.objects.exists()


def test_publishing_without_sign_off_is_refused_with_a_message(client, draft_drug, editor):
    client.force_login(editor)

    response = client.post(step_url(draft_drug, "publish"), {})

    assert response.status_code == 400
    assert "no medical sign-off" in response.content.decode()
    draft_drug.refresh_from_db()
    assert draft_drug.status == PublicationStatus.IN_REVIEW


def test_signing_off_ones_own_change_is_refused_in_the_admin(client, draft_drug, reviewer):
    edit(draft_drug, reviewer, summary="Rewritten by the reviewer.")
    client.force_login(reviewer)

    response = client.post(step_url(draft_drug, "sign-off"), {})

    assert response.status_code == 400
    assert "four eyes" in response.content.decode()
    assert not SignOff.objects.exists()


def test_scheduling_in_the_past_is_a_form_error(client, draft_drug, editor, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)
    client.force_login(editor)
    past = timezone.localtime() - datetime.timedelta(days=1)

    response = client.post(
        step_url(draft_drug, "publish"), {"publish_at": past.strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 400
    assert "publish_at" in response.context["form"].errors
    draft_drug.refresh_from_db()
    assert draft_drug.status == PublicationStatus.IN_REVIEW
    assert draft_drug.publish_at is None


def test_editor_schedules_a_signed_off_page(client, draft_drug, editor, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)
    client.force_login(editor)
    when = timezone.localtime() + datetime.timedelta(days=2)

    response = client.post(
        step_url(draft_drug, "publish"), {"publish_at": when.strftime("%Y-%m-%dT%H:%M")}
    )

    assert response.status_code == 302
    draft_drug.refresh_from_db()
    assert draft_drug.draft_version.scheduled_for is not None
    assert not Drug.objects.published().filter(pk=draft_drug.pk).exists()


def test_unknown_workflow_step_is_404(client, draft_drug, editor):
    client.force_login(editor)

    assert client.get(step_url(draft_drug, "teleport")).status_code == 404


def test_moderator_cannot_edit_drugs_in_the_admin(client, signed_drug, moderator):
    client.force_login(moderator)
    original = signed_drug.summary

    view = client.get(admin_url(signed_drug, "change"))
    response = client.post(admin_url(signed_drug, "change"), {"summary": "Vandalised."})

    assert view.status_code == 200
    assert 'name="summary"' not in view.content.decode()
    assert response.status_code == 403
    signed_drug.refresh_from_db()
    assert signed_drug.summary == original
    assert client.post(step_url(signed_drug, "archive"), {}).status_code == 400
    assert Drug.objects.get(pk=signed_drug.pk).status == PublicationStatus.PUBLISHED


def test_medical_reviewer_cannot_approve_reviews_unless_also_a_moderator(
    client, reviewer, moderator
):
    try:
        url = reverse("admin:reviews_review_changelist")
    except NoReverseMatch:
        pytest.skip("the reviews admin is not installed")
    review = make_review()
    action = {"action": "approve_selected", "_selected_action": [review.pk]}
    client.force_login(reviewer)

    client.post(url, action)

    review.refresh_from_db()
    assert review.status == review.Status.PENDING
    reviewer.groups.add(*moderator.groups.all())
    client.force_login(reviewer)
    client.post(url, action)
    review.refresh_from_db()
    assert review.status == review.Status.APPROVED


def test_editing_a_live_page_saves_a_draft_and_the_public_page_stays_byte_for_byte(
    client, signed_drug, editor
):
    public = client.get(signed_drug.get_absolute_url()).content
    client.force_login(editor)
    data = form_data(client.get(admin_url(signed_drug, "change")))
    data["boxed_warning"] = "Can cause serious birth defects."
    data["summary"] = "A corrected summary."

    response = client.post(admin_url(signed_drug, "change"), data, follow=True)

    assert response.status_code == 200
    assert "Saved as draft version" in response.content.decode()
    client.logout()
    assert client.get(signed_drug.get_absolute_url()).content == public
    signed_drug.refresh_from_db()
    assert signed_drug.status == PublicationStatus.PUBLISHED
    assert signed_drug.draft_version.data["fields"]["summary"] == "A corrected summary."
    assert signed_drug.draft_version.created_by == editor


def test_the_change_form_shows_the_draft_not_the_live_content(client, signed_drug, editor):
    edit(signed_drug, editor, summary="Draft summary.")
    client.force_login(editor)

    response = client.get(admin_url(signed_drug, "change"))

    assert response.context["adminform"].form["summary"].value() == "Draft summary."
    assert "Unpublished changes" in response.content.decode()


def test_saving_without_content_changes_leaves_no_draft(client, signed_drug, editor):
    client.force_login(editor)
    data = form_data(client.get(admin_url(signed_drug, "change")))

    response = client.post(admin_url(signed_drug, "change"), data)

    assert response.status_code == 302
    signed_drug.refresh_from_db()
    assert signed_drug.status == PublicationStatus.PUBLISHED
    assert signed_drug.draft_version is None


def test_a_stale_form_save_is_a_conflict_and_loses_nothing(client, signed_drug, editor):
    client.force_login(editor)
    stale = form_data(client.get(admin_url(signed_drug, "change")))
    fresh = dict(stale, summary="Saved first by a colleague.")
    client.post(admin_url(signed_drug, "change"), fresh)
    stale["summary"] = "Saved second from an old form."

    response = client.post(admin_url(signed_drug, "change"), stale, follow=True)

    content = response.content.decode()
    assert "Someone else saved this page" in content
    assert "second from an old form." in content  # the diff shows the kept version
    signed_drug.refresh_from_db()
    assert signed_drug.draft_version.data["fields"]["summary"] == "Saved first by a colleague."
    assert (
        services.versions_of(signed_drug)
        .filter(data__fields__summary="Saved second from an old form.")
        .exists()
    )


def test_malformed_citation_in_the_inline_is_a_form_error(client, signed_drug, editor):
    client.force_login(editor)
    data = form_data(client.get(admin_url(signed_drug, "change")))
    data.update(
        {
            "citations-TOTAL_FORMS": "1",
            "citations-0-title": "A paper",
            "citations-0-publisher": "A journal",
            "citations-0-url": "not a url",
            "citations-0-doi": "10.1/x y",
            "citations-0-position": "0",
        }
    )

    response = client.post(admin_url(signed_drug, "change"), data)

    assert response.status_code == 200
    errors = [
        form.errors
        for inline in response.context["inline_admin_formsets"]
        for form in inline.formset.forms
        if form.errors
    ]
    assert any("url" in e and "doi" in e for e in errors)
    assert not Citation.objects.exists()
    assert Drug.objects.get(pk=signed_drug.pk).status == PublicationStatus.PUBLISHED


def test_versions_page_compares_any_two_versions(client, signed_drug, editor):
    edit(signed_drug, editor, summary="A better summary of the drug.")
    draft = services.versions_of(signed_drug).first()
    client.force_login(editor)

    response = client.get(
        admin_url(signed_drug, "versions", signed_drug.pk), {"a": 1, "b": draft.number}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<ins>A better summary of the drug.</ins>" in content
    assert "<del>" in content


def test_rollback_from_the_versions_page_republishes_the_earlier_version(
    client, signed_drug, editor, reviewer
):
    original = signed_drug.summary
    first = signed_drug.live_version
    edit(signed_drug, editor, summary="A regretted change.")
    services.page_sign_off(page=signed_drug, reviewer=reviewer)
    services.page_publish(page=signed_drug, user=editor)
    client.force_login(editor)

    response = client.post(admin_url(signed_drug, "rollback", signed_drug.pk, first.number))

    assert response.status_code == 302
    assert Drug.objects.get(pk=signed_drug.pk).summary == original


def test_versions_page_with_a_bad_version_number_is_a_clear_error(client, signed_drug, editor):
    client.force_login(editor)
    url = admin_url(signed_drug, "versions", signed_drug.pk)

    assert client.get(url, {"b": "x"}).status_code == 400
    assert client.get(url, {"b": 99}).status_code == 404


def test_editing_a_side_effect_link_on_its_own_goes_into_the_draft(client, editor, reviewer):
    signed_drug = make_drug(status=PublicationStatus.DRAFT)
    link = make_drug_side_effect(drug=signed_drug, seriousness=1)
    edit(signed_drug, editor, status=PublicationStatus.IN_REVIEW)
    publish(signed_drug, editor, reviewer)
    client.force_login(editor)
    data = form_data_plain(client.get(admin_url(link, "change")))
    data["seriousness"] = "3"

    client.post(admin_url(link, "change"), data)

    signed_drug.refresh_from_db()
    assert DrugSideEffect.objects.get(pk=link.pk).seriousness == 1
    rows = signed_drug.draft_version.data["children"]["side_effects"]
    assert [row["seriousness"] for row in rows] == [3]


@pytest.mark.parametrize("model", [Drug, Indication])
def test_change_list_queries_do_not_grow_with_rows(client, editor, model):
    def add_rows():
        indication = make_indication(owner=editor)
        indication.drug.owner = editor
        indication.drug.save()

    add_rows()
    client.force_login(editor)
    url = admin_url(model, "changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        add_rows()

    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.status_code == 200
    assert len(many) == len(few)


def test_sign_off_step_shows_the_field_level_diff_against_the_live_version(
    client, signed_drug, editor, second_reviewer
):
    edit(signed_drug, editor, pregnancy_warning="Do not take when pregnant.")
    client.force_login(second_reviewer)

    content = client.get(step_url(signed_drug, "sign-off")).content.decode()

    assert "Pregnancy warning" in content
    assert "<ins>Do not take when pregnant.</ins>" in content


@pytest.mark.parametrize(
    ("step", "before", "after"),
    [
        ("submit", PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW),
        ("to-draft", PublicationStatus.IN_REVIEW, PublicationStatus.DRAFT),
        ("archive", PublicationStatus.PUBLISHED, PublicationStatus.ARCHIVED),
        ("restore", PublicationStatus.ARCHIVED, PublicationStatus.DRAFT),
    ],
)
def test_editor_moves_a_page_through_each_step(client, editor, step, before, after):
    indication = make_indication(status=before)
    client.force_login(editor)

    assert client.get(step_url(indication, step)).status_code == 200
    response = client.post(step_url(indication, step), {})

    assert response.status_code == 302
    indication.refresh_from_db()
    assert indication.status == after


@pytest.mark.parametrize("step", ["submit", "to-draft", "restore"])
def test_a_step_from_the_wrong_state_is_refused_and_changes_nothing(client, editor, step):
    indication = make_indication(status=PublicationStatus.PUBLISHED)
    client.force_login(editor)

    response = client.post(step_url(indication, step), {})

    assert response.status_code == 400
    indication.refresh_from_db()
    assert indication.status == PublicationStatus.PUBLISHED


def test_sign_off_without_a_date_is_due_again_in_twelve_months(client, draft_drug, reviewer):
    client.force_login(reviewer)

    client.post(step_url(draft_drug, "sign-off"), {"next_review_due": ""})

    today = timezone.localdate()
    assert SignOff.objects.get().next_review_due == today.replace(year=today.year + 1)


def test_moderator_opens_the_moderation_pages_but_not_the_editorial_reports(client, moderator):
    review = make_review()
    client.force_login(moderator)

    for name, args in (
        ("admin:reviews_review_changelist", []),
        ("admin:reviews_review_change", [review.pk]),
        ("admin:reviews_reviewreport_changelist", []),
        ("admin:reviews_drugrating_changelist", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200, name
    assert client.get(reverse("editorial:overdue-list")).status_code == 403
