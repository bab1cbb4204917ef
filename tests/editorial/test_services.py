import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from reversion.models import Revision

from drugs.models import Drug, DrugSideEffect, Indication, PublicationStatus
from editorial import services
from editorial.models import SignOff
from tests.editorial.conftest import edit, make_member
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_side_effect,
    make_indication,
    make_side_effect,
)

pytestmark = pytest.mark.django_db


def refreshed(page):
    page.refresh_from_db()
    return page


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


def test_a_draft_cannot_return_to_draft(editor):
    drug = make_drug(status=PublicationStatus.DRAFT)

    with pytest.raises(ValidationError):
        services.page_return_to_draft(page=drug, user=editor)


def test_signed_off_page_in_review_is_published(draft_drug, editor, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)

    services.page_publish(page=draft_drug, user=editor)

    assert refreshed(draft_drug).status == PublicationStatus.PUBLISHED
    assert Drug.objects.published().filter(pk=draft_drug.pk).exists()


def test_a_draft_cannot_be_published_directly(editor):
    drug = make_drug(status=PublicationStatus.DRAFT)

    with pytest.raises(ValidationError, match="send the draft first"):
        services.page_publish(page=drug, user=editor)

    assert refreshed(drug).status == PublicationStatus.DRAFT


def test_published_page_is_archived_and_leaves_the_site(editor):
    drug = make_drug()

    services.page_archive(page=drug, user=editor)

    assert refreshed(drug).status == PublicationStatus.ARCHIVED
    assert not Drug.objects.published().filter(pk=drug.pk).exists()


def test_archiving_twice_is_refused(editor):
    drug = make_drug(status=PublicationStatus.ARCHIVED)

    with pytest.raises(ValidationError):
        services.page_archive(page=drug, user=editor)


def test_archived_page_is_restored_to_draft_not_to_the_site(editor):
    drug = make_drug(status=PublicationStatus.ARCHIVED)

    services.page_restore_draft(page=drug, user=editor)

    assert refreshed(drug).status == PublicationStatus.DRAFT


def test_only_an_archived_page_is_restored(editor):
    drug = make_drug(status=PublicationStatus.DRAFT)

    with pytest.raises(ValidationError):
        services.page_restore_draft(page=drug, user=editor)


# Sign-off


def test_sign_off_records_reviewer_and_next_review_twelve_months_later(draft_drug, reviewer):
    sign_off = services.page_sign_off(page=draft_drug, reviewer=reviewer)

    draft_drug.refresh_from_db()
    today = timezone.localdate()
    assert draft_drug.medically_reviewed_by == reviewer
    assert draft_drug.medically_reviewed_at is not None
    assert draft_drug.next_review_due == today.replace(year=today.year + 1)
    assert sign_off.next_review_due == draft_drug.next_review_due
    assert sign_off.revision is not None
    assert sign_off.changes == ["First medical review of this page."]


def test_sign_off_takes_a_chosen_next_review_date(draft_drug, reviewer):
    due = timezone.localdate() + datetime.timedelta(days=90)

    services.page_sign_off(page=draft_drug, reviewer=reviewer, next_review_due=due)

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
    assert refreshed(draft_drug).medically_reviewed_at is None


def test_reviewer_cannot_sign_off_their_own_change(draft_drug, reviewer):
    edit(draft_drug, reviewer, summary="A summary the reviewer wrote.")

    with pytest.raises(ValidationError, match="four eyes"):
        services.page_sign_off(page=draft_drug, reviewer=reviewer)

    assert not SignOff.objects.exists()
    assert refreshed(draft_drug).medically_reviewed_at is None


def test_another_reviewer_signs_off_a_reviewers_change(draft_drug, reviewer, second_reviewer):
    edit(draft_drug, reviewer, summary="A summary the first reviewer wrote.")

    services.page_sign_off(page=draft_drug, reviewer=second_reviewer)

    assert refreshed(draft_drug).medically_reviewed_by == second_reviewer


def test_workflow_only_edit_does_not_make_the_reviewer_an_author(draft_drug, reviewer, editor):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)
    edit(draft_drug, reviewer, owner=editor)

    services.page_sign_off(page=draft_drug, reviewer=reviewer)

    assert SignOff.objects.count() == 2


def test_reviewer_may_review_again_content_others_wrote_since(draft_drug, reviewer, editor):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)
    edit(draft_drug, editor, boxed_warning="Causes birth defects.")

    services.page_sign_off(page=draft_drug, reviewer=reviewer)

    assert SignOff.objects.count() == 2


def test_a_draft_cannot_be_signed_off(reviewer):
    drug = make_drug(status=PublicationStatus.DRAFT)

    with pytest.raises(ValidationError):
        services.page_sign_off(page=drug, reviewer=reviewer)


def test_sign_off_inside_an_open_revision_is_refused(draft_drug, reviewer):
    import reversion

    with reversion.create_revision(), pytest.raises(RuntimeError):
        services.page_sign_off(page=draft_drug, reviewer=reviewer)


# Publishing rules


def test_publishing_without_sign_off_is_refused(draft_drug, editor):
    with pytest.raises(ValidationError, match="no medical sign-off"):
        services.page_publish(page=draft_drug, user=editor)

    assert refreshed(draft_drug).status == PublicationStatus.IN_REVIEW


def test_reviewer_cannot_publish(draft_drug, reviewer, second_reviewer):
    services.page_sign_off(page=draft_drug, reviewer=second_reviewer)

    with pytest.raises(PermissionDenied):
        services.page_publish(page=draft_drug, user=reviewer)

    assert refreshed(draft_drug).status == PublicationStatus.IN_REVIEW


def test_publishing_content_changed_after_sign_off_is_refused(draft_drug, editor, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)
    make_drug_side_effect(drug=draft_drug)

    with pytest.raises(ValidationError, match="no medical sign-off"):
        services.page_publish(page=draft_drug, user=editor)

    assert refreshed(draft_drug).status == PublicationStatus.IN_REVIEW


def test_scheduling_in_the_past_is_refused(draft_drug, editor, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)

    with pytest.raises(ValidationError) as error:
        services.page_publish(
            page=draft_drug,
            user=editor,
            publish_at=timezone.now() - datetime.timedelta(hours=1),
        )

    assert "publish_at" in error.value.message_dict
    draft_drug.refresh_from_db()
    assert draft_drug.status == PublicationStatus.IN_REVIEW
    assert draft_drug.publish_at is None


def test_unpublish_before_publish_is_refused(draft_drug, editor, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)
    publish_at = timezone.now() + datetime.timedelta(days=2)

    with pytest.raises(ValidationError) as error:
        services.page_publish(
            page=draft_drug,
            user=editor,
            publish_at=publish_at,
            unpublish_at=publish_at - datetime.timedelta(days=1),
        )

    assert "unpublish_at" in error.value.message_dict
    assert refreshed(draft_drug).status == PublicationStatus.IN_REVIEW


def test_scheduled_page_goes_live_at_its_time_without_anyone_acting(draft_drug, editor, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)
    publish_at = timezone.now() + datetime.timedelta(days=1)
    unpublish_at = publish_at + datetime.timedelta(days=30)

    services.page_publish(
        page=draft_drug, user=editor, publish_at=publish_at, unpublish_at=unpublish_at
    )

    live = Drug.objects.published
    assert not live().filter(pk=draft_drug.pk).exists()
    assert live(at=publish_at).filter(pk=draft_drug.pk).exists()
    assert not live(at=unpublish_at).filter(pk=draft_drug.pk).exists()


def test_indication_with_unpublished_condition_is_not_published(editor, reviewer):
    condition = make_condition(status=PublicationStatus.DRAFT)
    indication = make_indication(condition=condition, status=PublicationStatus.DRAFT)
    edit(indication, editor, status=PublicationStatus.IN_REVIEW)
    services.page_sign_off(page=indication, reviewer=reviewer)

    with pytest.raises(ValidationError, match="condition"):
        services.page_publish(page=indication, user=editor)

    assert refreshed(indication).status == PublicationStatus.IN_REVIEW


def test_indication_is_not_scheduled_before_its_drug_goes_live(editor, reviewer):
    drug = make_drug(publish_at=timezone.now() + datetime.timedelta(days=10))
    indication = make_indication(drug=drug, status=PublicationStatus.DRAFT)
    edit(indication, editor, status=PublicationStatus.IN_REVIEW)
    services.page_sign_off(page=indication, reviewer=reviewer)

    with pytest.raises(ValidationError, match="drug"):
        services.page_publish(
            page=indication, user=editor, publish_at=timezone.now() + datetime.timedelta(days=1)
        )

    services.page_publish(
        page=indication, user=editor, publish_at=timezone.now() + datetime.timedelta(days=11)
    )
    assert refreshed(indication).status == PublicationStatus.PUBLISHED


def test_drug_linking_to_an_archived_similar_drug_is_not_published(draft_drug, editor, reviewer):
    draft_drug.similar_drugs.add(make_drug(status=PublicationStatus.ARCHIVED, name="Oldcillin"))
    services.page_sign_off(page=draft_drug, reviewer=reviewer)

    with pytest.raises(ValidationError, match="Oldcillin"):
        services.page_publish(page=draft_drug, user=editor)

    assert refreshed(draft_drug).status == PublicationStatus.IN_REVIEW


# Changes after sign-off


def test_content_change_after_sign_off_takes_page_back_to_review(draft_drug, editor, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)
    services.page_publish(page=draft_drug, user=editor)
    edit(draft_drug, editor, pregnancy_warning="Do not take when pregnant.")

    assert services.page_content_changed(page=draft_drug, user=editor) is True

    draft_drug.refresh_from_db()
    assert draft_drug.status == PublicationStatus.IN_REVIEW
    assert draft_drug.medically_reviewed_at is None
    assert not Drug.objects.published().filter(pk=draft_drug.pk).exists()


def test_workflow_change_after_sign_off_keeps_page_live(draft_drug, editor, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)
    services.page_publish(page=draft_drug, user=editor)
    edit(draft_drug, editor, owner=reviewer, next_review_due=timezone.localdate())

    assert services.page_content_changed(page=draft_drug, user=editor) is False

    assert refreshed(draft_drug).status == PublicationStatus.PUBLISHED


def test_adding_a_source_needs_a_new_sign_off(draft_drug, editor, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)
    services.page_publish(page=draft_drug, user=editor)

    services.citation_add(
        page=draft_drug,
        user=editor,
        title="Prescribing information",
        publisher="FDA",
        url="https://www.accessdata.fda.gov/",
    )

    assert refreshed(draft_drug).status == PublicationStatus.IN_REVIEW


def test_citation_with_malformed_doi_is_refused_and_nothing_changes(draft_drug, editor, reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)

    with pytest.raises(ValidationError) as error:
        services.citation_add(
            page=draft_drug, user=editor, title="A paper", publisher="A journal", doi="not a doi"
        )

    assert "doi" in error.value.message_dict
    assert not draft_drug.citations.exists()
    assert refreshed(draft_drug).medically_reviewed_at is not None


# What changed


def test_what_changed_lists_warnings_and_side_effects(draft_drug, editor, reviewer):
    dry_skin = make_side_effect(name="Dry skin")
    nosebleed = make_side_effect(name="Nosebleed")
    make_drug_side_effect(drug=draft_drug, side_effect=dry_skin)
    services.page_sign_off(page=draft_drug, reviewer=reviewer)

    DrugSideEffect.objects.filter(side_effect=dry_skin).delete()
    make_drug_side_effect(drug=draft_drug, side_effect=nosebleed)
    edit(draft_drug, editor, boxed_warning="Causes severe birth defects.", summary="New summary.")
    sign_off = services.page_sign_off(page=draft_drug, reviewer=reviewer)

    assert sign_off.changes == [
        "Boxed warning added.",
        "Side effect added: Nosebleed.",
        "Side effect removed: Dry skin.",
        "Sections rewritten: Summary.",
    ]
    assert sign_off.content_changed


def test_what_changed_reports_approval_status_and_sections(editor, reviewer):
    indication = make_indication(
        status=PublicationStatus.IN_REVIEW,
        approval_status=Indication.ApprovalStatus.INVESTIGATIONAL,
    )
    indication.sections.create(heading="Dosing", body="Once a day.")
    services.page_sign_off(page=indication, reviewer=reviewer)
    edit(
        indication,
        editor,
        approval_status=Indication.ApprovalStatus.APPROVED,
        benefits="Clearer skin",
    )
    indication.sections.update(body="Twice a day.")

    sign_off = services.page_sign_off(page=indication, reviewer=reviewer)

    assert sign_off.changes == [
        "Approval status changed from Investigational to Approved use.",
        "Sections rewritten: Benefits, Dosing.",
    ]


def test_review_without_changes_says_so(draft_drug, reviewer, second_reviewer):
    services.page_sign_off(page=draft_drug, reviewer=reviewer)

    sign_off = services.page_sign_off(page=draft_drug, reviewer=second_reviewer)

    assert sign_off.changes == ["Reviewed again; no changes to the medical content."]
    assert not sign_off.content_changed


# Bulk sign-off


def drugs_for_bulk():
    from editorial.content import content_relations

    return list(
        Drug.objects.filter(status=PublicationStatus.PUBLISHED).prefetch_related(
            *content_relations(Drug)
        )
    )


def test_bulk_sign_off_queries_do_not_grow_with_pages(reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def forget_sign_offs():
        SignOff.objects.all().delete()
        Revision.objects.all().delete()

    make_drug_side_effect(drug=make_drug())
    services.pages_sign_off_in_bulk(pages=drugs_for_bulk(), reviewer=reviewer)
    forget_sign_offs()
    with CaptureQueriesContext(connection) as few:
        services.pages_sign_off_in_bulk(pages=drugs_for_bulk(), reviewer=reviewer)
    forget_sign_offs()
    for _ in range(10):
        make_drug_side_effect(drug=make_drug())

    with CaptureQueriesContext(connection) as many:
        signed = services.pages_sign_off_in_bulk(pages=drugs_for_bulk(), reviewer=reviewer)

    assert len(signed) == 11
    assert len(many) == len(few)


def test_bulk_sign_off_stores_the_same_content_a_single_sign_off_reads(reviewer, second_reviewer):
    drug = make_drug()
    make_drug_side_effect(drug=drug)
    services.pages_sign_off_in_bulk(pages=drugs_for_bulk(), reviewer=reviewer)
    assert services.is_signed_off(drug)

    sign_off = services.page_sign_off(page=drug, reviewer=second_reviewer)

    assert sign_off.changes == ["Reviewed again; no changes to the medical content."]


def test_bulk_sign_off_skips_signed_pages_and_refuses_own_changes(reviewer):
    make_drug()
    services.pages_sign_off_in_bulk(pages=drugs_for_bulk(), reviewer=reviewer)
    assert services.pages_sign_off_in_bulk(pages=drugs_for_bulk(), reviewer=reviewer) == []

    edit(Drug.objects.get(), reviewer, summary="Changed by the reviewer.")

    with pytest.raises(ValidationError, match="four eyes"):
        services.pages_sign_off_in_bulk(pages=drugs_for_bulk(), reviewer=reviewer)
    assert SignOff.objects.count() == 1
