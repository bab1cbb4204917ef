import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from drugs.models import Drug, DrugSideEffect, Indication, PublicationStatus
from editorial import services
from editorial.models import Citation, SignOff
from tests.editorial.conftest import edit, make_member, publish
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_side_effect,
    make_indication,
    make_side_effect,
)
from versions.models import PageVersion

pytestmark = pytest.mark.django_db


def refreshed(page):
    page.refresh_from_db()
    return page


@pytest.fixture
def live_drug(draft_drug, editor, reviewer):
    """A drug written by the editor, signed off by the reviewer and published."""
    return publish(draft_drug, editor, reviewer)


# Transitions


def test_editor_sends_a_draft_for_review(editor):
    drug = make_drug(status=PublicationStatus.DRAFT)

    services.page_submit_for_review(page=drug, user=editor)

    assert refreshed(drug).status == PublicationStatus.IN_REVIEW
    assert LogEntry.objects.filter(object_id=str(drug.pk)).exists()


def test_only_a_draft_can_be_sent_for_review(editor):
    drug = make_drug(status=PublicationStatus.PUBLISHED)

    with pytest.raises(ValidationError):
        services.page_submit_for_review(page=drug, user=editor)

    assert refreshed(drug).status == PublicationStatus.PUBLISHED


def test_page_in_review_can_return_to_draft(draft_drug, editor):
    services.page_return_to_draft(page=draft_drug, user=editor)

    assert refreshed(draft_drug).status == PublicationStatus.DRAFT


def test_signed_off_page_in_review_is_published(draft_drug, editor, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)

    services.page_publish(page=draft_drug, user=editor)

    draft_drug.refresh_from_db()
    assert draft_drug.status == PublicationStatus.PUBLISHED
    assert draft_drug.live_version is not None
    assert draft_drug.draft_version is None
    assert draft_drug.medically_reviewed_by == reviewer
    assert Drug.objects.published().filter(pk=draft_drug.pk).exists()


def test_a_draft_nobody_signed_off_cannot_be_published(editor):
    drug = make_drug(status=PublicationStatus.DRAFT)

    with pytest.raises(ValidationError, match="no medical sign-off"):
        services.page_publish(page=drug, user=editor)

    assert refreshed(drug).status == PublicationStatus.DRAFT


def test_published_page_is_archived_and_leaves_the_site(live_drug, editor):
    services.page_archive(page=live_drug, user=editor)

    assert refreshed(live_drug).status == PublicationStatus.ARCHIVED
    assert not Drug.objects.published().filter(pk=live_drug.pk).exists()


def test_a_page_never_published_cannot_be_archived(editor):
    drug = make_drug(status=PublicationStatus.DRAFT)

    with pytest.raises(ValidationError, match="never published"):
        services.page_archive(page=drug, user=editor)

    assert refreshed(drug).status == PublicationStatus.DRAFT


def test_archived_page_is_restored_to_draft_not_to_the_site(editor):
    drug = make_drug(status=PublicationStatus.ARCHIVED)

    services.page_restore_draft(page=drug, user=editor)

    assert refreshed(drug).status == PublicationStatus.DRAFT


def test_unpublishing_a_drug_lists_live_articles_linking_to_it_and_asks(live_drug, editor):
    article = make_indication(drug=live_drug, title="Linked article")

    with pytest.raises(ValidationError, match="Linked article"):
        services.page_archive(page=live_drug, user=editor)
    assert refreshed(live_drug).status == PublicationStatus.PUBLISHED

    services.page_archive(page=live_drug, user=editor, confirm_dependents=True)

    assert refreshed(live_drug).status == PublicationStatus.ARCHIVED
    assert not Indication.objects.live().filter(pk=article.pk).exists()


# Drafts: the live page stays as it is


def test_editing_a_live_page_stores_a_draft_and_leaves_the_rows_live(live_drug, editor):
    live = live_drug.live_version

    edit(live_drug, editor, summary="A corrected summary.")

    live_drug.refresh_from_db()
    assert live_drug.summary != "A corrected summary."
    assert live_drug.live_version == live
    assert live_drug.draft_version.data["fields"]["summary"] == "A corrected summary."


def test_every_kind_of_edit_leaves_the_live_rows_unchanged(live_drug, editor):
    side_effect = make_side_effect(name="Dry lips")
    before = services.version_content.snapshot(services._fresh(live_drug))

    with services.page_editing(page=live_drug, user=editor) as change:
        live_drug.boxed_warning = "New warning."
        live_drug.save()
        live_drug.tags.add("retinoid")
        live_drug.similar_drugs.add(make_drug())
        make_drug_side_effect(drug=live_drug, side_effect=side_effect)
        Citation.objects.create(
            drug=live_drug, title="A source", publisher="A publisher", url="https://example.org"
        )
        change.saved = True

    after = services.version_content.snapshot(services._fresh(live_drug))
    assert after == before
    draft = refreshed(live_drug).draft_version.data
    assert draft["fields"]["boxed_warning"] == "New warning."
    assert draft["tags"] == ["retinoid"]
    assert len(draft["children"]["side_effects"]) == 1
    assert len(draft["children"]["citations"]) == 1


def test_saving_the_live_content_again_clears_the_draft(live_drug, editor):
    original = live_drug.summary
    edit(live_drug, editor, summary="Something else.")

    edit(live_drug, editor, summary=original)

    assert refreshed(live_drug).draft_version is None


def test_discarding_the_draft_keeps_it_in_the_history(live_drug, editor):
    edit(live_drug, editor, summary="Not wanted after all.")
    draft = refreshed(live_drug).draft_version

    services.page_discard_draft(page=live_drug, user=editor)

    assert refreshed(live_drug).draft_version is None
    assert PageVersion.objects.filter(pk=draft.pk).exists()


def test_a_page_never_published_has_no_live_version_to_go_back_to(editor):
    drug = make_drug(status=PublicationStatus.DRAFT)
    edit(drug, editor, summary="Work in progress.")

    with pytest.raises(ValidationError, match="never been published"):
        services.page_discard_draft(page=drug, user=editor)


def test_a_stale_save_is_kept_but_does_not_replace_the_draft(live_drug, editor):
    second_editor = make_member("Editors")
    opened = services.head_number(live_drug)
    edit(live_drug, second_editor, summary="Saved first.")

    with pytest.raises(services.EditConflict) as conflict:
        with services.page_editing(page=live_drug, user=editor, base=opened) as change:
            live_drug.summary = "Saved second, from an old form."
            live_drug.save()
            change.saved = True

    live_drug.refresh_from_db()
    assert live_drug.draft_version.data["fields"]["summary"] == "Saved first."
    kept = conflict.value.version
    assert kept.data["fields"]["summary"] == "Saved second, from an old form."
    assert kept.pk != live_drug.draft_version_id


# Sign-off binds to a version


def test_sign_off_binds_to_the_version_and_its_fingerprint(draft_drug, reviewer):
    sign_off = services.page_sign_off(page=draft_drug, reviewer=reviewer)

    draft_drug.refresh_from_db()
    assert sign_off.version == draft_drug.draft_version
    assert sign_off.fingerprint == draft_drug.draft_version.fingerprint
    today = timezone.localdate()
    assert sign_off.next_review_due == services.default_next_review(today)
    assert sign_off.changes == ["First medical review of this page."]


def test_changing_the_draft_after_sign_off_voids_that_sign_off_not_the_live_page(
    live_drug, editor, reviewer, second_reviewer
):
    edit(live_drug, editor, summary="First correction.")
    services.page_sign_off(page=live_drug, reviewer=reviewer)
    edit(live_drug, editor, summary="Second correction, not reviewed.")

    with pytest.raises(ValidationError, match="no medical sign-off"):
        services.page_publish(page=live_drug, user=editor)

    live_drug.refresh_from_db()
    assert Drug.objects.published().filter(pk=live_drug.pk).exists()
    assert "correction" not in live_drug.summary


def test_sign_off_takes_a_chosen_next_review_date(draft_drug, reviewer, editor):
    due = timezone.localdate() + datetime.timedelta(days=90)

    services.page_sign_off(page=draft_drug, reviewer=reviewer, next_review_due=due)
    services.page_publish(page=draft_drug, user=editor)

    assert refreshed(draft_drug).next_review_due == due


def test_next_review_date_in_the_past_is_refused(draft_drug, reviewer):
    with pytest.raises(ValidationError) as error:
        services.page_sign_off(
            page=draft_drug, reviewer=reviewer, next_review_due=timezone.localdate()
        )

    assert "next_review_due" in error.value.message_dict
    assert not SignOff.objects.exists()


def test_next_review_after_29_february_falls_on_28_february():
    assert services.default_next_review(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)


def test_editor_cannot_sign_off(draft_drug):
    other_editor = make_member("Editors")

    with pytest.raises(PermissionDenied):
        services.page_sign_off(page=draft_drug, reviewer=other_editor)

    assert not SignOff.objects.exists()


def test_reviewer_cannot_sign_off_their_own_change(live_drug, reviewer):
    edit(live_drug, reviewer, summary="A summary the reviewer wrote.")

    with pytest.raises(ValidationError, match="four eyes"):
        services.page_sign_off(page=live_drug, reviewer=reviewer)

    assert not SignOff.objects.filter(version=refreshed(live_drug).draft_version).exists()


def test_another_reviewer_signs_off_a_reviewers_change(live_drug, reviewer, second_reviewer):
    edit(live_drug, reviewer, summary="A summary the first reviewer wrote.")

    sign_off = services.page_sign_off(page=live_drug, reviewer=second_reviewer)

    assert sign_off.signed_by == second_reviewer


def test_a_save_that_changed_nothing_does_not_make_its_author_an_author(
    live_drug, editor, reviewer
):
    edit(live_drug, editor, summary="An editor's correction.")
    edit(live_drug, reviewer, summary="An editor's correction.")

    services.page_sign_off(page=live_drug, reviewer=reviewer)

    assert SignOff.objects.filter(version=refreshed(live_drug).draft_version).exists()


def test_a_draft_not_sent_for_review_cannot_be_signed_off(reviewer):
    drug = make_drug(status=PublicationStatus.DRAFT)

    with pytest.raises(ValidationError):
        services.page_sign_off(page=drug, reviewer=reviewer)


# Publishing


def test_reviewer_cannot_publish(draft_drug, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)

    with pytest.raises(PermissionDenied):
        services.page_publish(page=draft_drug, user=reviewer)

    assert refreshed(draft_drug).status == PublicationStatus.IN_REVIEW


def test_publishing_a_signed_off_draft_replaces_the_live_version(live_drug, editor, reviewer):
    edit(live_drug, editor, summary="The corrected summary.")
    services.page_sign_off(page=live_drug, reviewer=reviewer)

    services.page_publish(page=live_drug, user=editor)

    live_drug.refresh_from_db()
    assert live_drug.summary == "The corrected summary."
    assert live_drug.draft_version is None
    assert live_drug.live_version.published_at is not None


def test_scheduling_in_the_past_is_refused(draft_drug, editor, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)

    with pytest.raises(ValidationError) as error:
        services.page_publish(
            page=draft_drug, user=editor, publish_at=timezone.now() - datetime.timedelta(hours=1)
        )

    assert "publish_at" in error.value.message_dict
    assert refreshed(draft_drug).status == PublicationStatus.IN_REVIEW


def test_a_scheduled_version_goes_live_at_its_time_without_anyone_acting(
    live_drug, editor, reviewer
):
    edit(live_drug, editor, summary="Scheduled correction.")
    services.page_sign_off(page=live_drug, reviewer=reviewer)
    when = timezone.now() + datetime.timedelta(hours=2)
    services.page_publish(page=live_drug, user=editor, publish_at=when)

    assert services.publish_due(at=timezone.now()) == 0
    assert refreshed(live_drug).summary != "Scheduled correction."

    assert services.publish_due(at=when + datetime.timedelta(seconds=1)) == 1
    assert refreshed(live_drug).summary == "Scheduled correction."


def test_indication_whose_drug_is_not_live_is_not_published_alone(editor, reviewer):
    drug = make_drug(status=PublicationStatus.DRAFT)
    indication = make_indication(drug=drug, status=PublicationStatus.DRAFT)
    edit(indication, editor, status=PublicationStatus.IN_REVIEW)
    services.page_sign_off(page=indication, reviewer=reviewer)

    with pytest.raises(ValidationError, match="will not be public"):
        services.page_publish(page=indication, user=editor)

    assert not Indication.objects.published().filter(pk=indication.pk).exists()


def test_an_article_and_its_drug_are_published_together_when_both_are_signed_off(editor, reviewer):
    drug = make_drug(status=PublicationStatus.DRAFT)
    edit(drug, editor, status=PublicationStatus.IN_REVIEW)
    indication = make_indication(drug=drug, status=PublicationStatus.DRAFT)
    edit(indication, editor, status=PublicationStatus.IN_REVIEW)
    services.page_sign_off(page=drug, reviewer=reviewer)
    services.page_sign_off(page=indication, reviewer=reviewer)

    with pytest.raises(ValidationError, match="publish them together"):
        services.page_publish(page=indication, user=editor)

    services.page_publish(page=indication, user=editor, with_dependencies=True)

    assert Drug.objects.published().filter(pk=drug.pk).exists()
    assert Indication.objects.published().filter(pk=indication.pk).exists()


def test_drug_linking_to_an_archived_similar_drug_is_not_published(draft_drug, editor, reviewer):
    archived = make_drug(status=PublicationStatus.ARCHIVED)
    edit(draft_drug, editor, similar_drugs=[archived])
    services.page_sign_off(page=draft_drug, reviewer=reviewer)

    with pytest.raises(ValidationError, match="will not be public"):
        services.page_publish(page=draft_drug, user=editor)


def test_sign_off_and_publish_in_one_step_keeps_four_eyes(draft_drug, editor):
    chief = make_member("Medical reviewers", "Editors")

    services.page_sign_off_and_publish(page=draft_drug, user=chief)
    assert refreshed(draft_drug).status == PublicationStatus.PUBLISHED

    edit(draft_drug, chief, summary="The chief's own correction.")
    with pytest.raises(ValidationError, match="four eyes"):
        services.page_sign_off_and_publish(page=draft_drug, user=chief)
    assert "chief" not in refreshed(draft_drug).summary


def test_what_changed_lists_warnings_and_side_effects(live_drug, editor, reviewer):
    side_effect = make_side_effect(name="Nosebleeds")
    with services.page_editing(page=live_drug, user=editor) as change:
        live_drug.boxed_warning = "Causes birth defects."
        live_drug.save()
        DrugSideEffect.objects.create(
            drug=live_drug, side_effect=side_effect, frequency=1, seriousness=1
        )
        change.saved = True

    sign_off = services.page_sign_off(page=live_drug, reviewer=reviewer)

    assert "Boxed warning added." in sign_off.changes
    assert "Side effect added: Nosebleeds." in sign_off.changes


def test_what_changed_reports_approval_status(editor, reviewer):
    indication = make_indication(
        approval_status=Indication.ApprovalStatus.APPROVED, status=PublicationStatus.DRAFT
    )
    edit(indication, editor, status=PublicationStatus.IN_REVIEW)
    publish(indication, editor, reviewer)
    edit(indication, editor, approval_status=Indication.ApprovalStatus.OFF_LABEL)

    sign_off = services.page_sign_off(page=indication, reviewer=reviewer)

    labels = dict(Indication.ApprovalStatus.choices)
    assert sign_off.changes[0] == (
        f"Approval status changed from {labels['approved']} to {labels['off_label']}."
    )


# Rollback


def test_rolling_back_publishes_an_earlier_signed_off_version_again(live_drug, editor, reviewer):
    first = refreshed(live_drug).live_version
    original = live_drug.summary
    edit(live_drug, editor, summary="A change we regret.")
    publish(live_drug, editor, reviewer)

    services.page_rollback(page=live_drug, user=editor, version=first)

    live_drug.refresh_from_db()
    assert live_drug.live_version == first
    assert live_drug.summary == original
    assert LogEntry.objects.filter(change_message__contains="Rolled back").exists()


def test_rolling_back_to_a_version_whose_review_expired_is_refused(live_drug, editor, reviewer):
    first = refreshed(live_drug).live_version
    SignOff.objects.filter(version=first).update(
        next_review_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    edit(live_drug, editor, summary="The current text.")
    publish(live_drug, editor, reviewer)

    with pytest.raises(ValidationError, match="expired"):
        services.page_rollback(page=live_drug, user=editor, version=first)

    assert refreshed(live_drug).summary == "The current text."


def test_a_version_that_was_never_live_cannot_be_rolled_back_to(live_drug, editor):
    edit(live_drug, editor, summary="Never published.")

    with pytest.raises(ValidationError, match="never published"):
        services.page_rollback(
            page=live_drug, user=editor, version=refreshed(live_drug).draft_version
        )


# Sources


def test_adding_a_source_goes_into_the_draft(live_drug, editor):
    services.citation_add(
        page=live_drug, user=editor, title="Label", publisher="FDA", url="https://example.org"
    )

    live_drug.refresh_from_db()
    assert not Citation.objects.filter(drug=live_drug).exists()
    assert live_drug.draft_version.data["children"]["citations"][0]["title"] == "Label"


def test_citation_with_malformed_doi_is_refused_and_nothing_changes(live_drug, editor):
    drafts = PageVersion.objects.count()

    with pytest.raises(ValidationError):
        services.citation_add(
            page=live_drug, user=editor, title="Label", publisher="FDA", doi="not a doi"
        )

    assert PageVersion.objects.count() == drafts
    assert refreshed(live_drug).draft_version is None


def test_an_article_linked_to_a_live_condition_publishes(editor, reviewer):
    condition = make_condition()
    indication = make_indication(condition=condition, status=PublicationStatus.DRAFT)
    edit(indication, editor, status=PublicationStatus.IN_REVIEW)

    publish(indication, editor, reviewer)

    assert Indication.objects.published().filter(pk=indication.pk).exists()


@pytest.mark.scheduled_publishing
def test_the_first_request_after_the_scheduled_time_publishes_the_version(
    client, live_drug, editor, reviewer
):
    edit(live_drug, editor, summary="Scheduled summary for readers.")
    services.page_sign_off(page=live_drug, reviewer=reviewer)
    services.page_publish(
        page=live_drug, user=editor, publish_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert "Scheduled summary" not in client.get(live_drug.get_absolute_url()).content.decode()

    # The hour passes.
    PageVersion.objects.filter(scheduled_for__isnull=False).update(
        scheduled_for=timezone.now() - datetime.timedelta(seconds=1)
    )
    services.forget_next_due()

    assert "Scheduled summary" in client.get(live_drug.get_absolute_url()).content.decode()
