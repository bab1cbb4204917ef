import pytest

from drugs.models import DrugSideEffect
from insights.models import DrugMention, IndicationMention, ReviewMention
from insights.services import (
    mentions_drug_side_effect_changed,
    mentions_recompute_all,
    mentions_review_changed,
    mentions_side_effect_changed,
    review_redact_personal_data,
    review_screen,
)
from reviews.models import Review
from tests.factories import (
    make_drug,
    make_drug_side_effect,
    make_indication,
    make_review,
    make_side_effect,
)

pytestmark = pytest.mark.django_db

APPROVED = Review.Status.APPROVED


@pytest.fixture
def label():
    """Isotretinoin for acne, labelled with dry lips (and its other names) and nosebleeds."""
    drug = make_drug(name="Isotretinoin")
    indication = make_indication(drug=drug)
    dry_lips = make_drug_side_effect(
        drug=drug,
        side_effect=make_side_effect(name="Dry lips", other_names="chapped lips\ncracked lips"),
        frequency=DrugSideEffect.Frequency.VERY_COMMON,
    )
    nosebleed = make_drug_side_effect(
        drug=drug,
        side_effect=make_side_effect(name="Epistaxis", other_names="nosebleed, nose bleed"),
    )
    return drug, indication, dry_lips, nosebleed


def approve(review):
    review.status = APPROVED
    review.save()
    mentions_review_changed(review=review)
    return review


def figure(link):
    return DrugMention.objects.filter(drug_side_effect=link).first()


def test_approving_a_review_counts_its_mentions(label):
    drug, indication, dry_lips, nosebleed = label
    approve(make_review(indication=indication, body="Chapped lips all the time, no nosebleeds."))
    approve(make_review(indication=indication, body="Cleared my skin. CRACKED LIPS though."))
    approve(make_review(indication=indication, body="Didn't get any dry lips, oddly."))

    assert (figure(dry_lips).mention_count, figure(dry_lips).review_count) == (2, 3)
    assert figure(nosebleed) is None
    indication_figure = IndicationMention.objects.get(
        indication=indication, drug_side_effect=dry_lips
    )
    assert (indication_figure.mention_count, indication_figure.review_count) == (2, 3)


def test_pending_and_rejected_reviews_never_count(label):
    drug, indication, dry_lips, _ = label
    pending = make_review(indication=indication, body="dry lips")
    mentions_review_changed(review=pending)
    approve(make_review(indication=indication, body="fine"))

    assert figure(dry_lips) is None
    assert not ReviewMention.objects.filter(review=pending).exists()


def test_rejecting_an_approved_review_removes_its_mentions(label):
    drug, indication, dry_lips, _ = label
    review = approve(make_review(indication=indication, body="dry lips"))
    approve(make_review(indication=indication, body="dry lips again"))
    assert figure(dry_lips).mention_count == 2

    review.status = Review.Status.REJECTED
    review.save()
    mentions_review_changed(review=review)

    assert (figure(dry_lips).mention_count, figure(dry_lips).review_count) == (1, 1)
    assert not ReviewMention.objects.filter(review=review).exists()


def test_deleting_a_review_updates_the_figures(label):
    drug, indication, dry_lips, _ = label
    review = approve(make_review(indication=indication, body="dry lips"))
    approve(make_review(indication=indication, body="nothing to report"))

    review.delete()
    mentions_review_changed(review=review)

    assert figure(dry_lips) is None
    assert ReviewMention.objects.count() == 0


def test_editing_an_approved_review_rescans_it(label):
    drug, indication, dry_lips, nosebleed = label
    review = approve(make_review(indication=indication, body="dry lips"))
    review.body = "Actually it was a nose bleed, not dry lips"
    review.save()
    mentions_review_changed(review=review)

    assert figure(dry_lips) is None
    assert figure(nosebleed).mention_count == 1


def test_renaming_a_side_effect_recounts_every_drug_labelled_with_it(label):
    drug, indication, dry_lips, _ = label
    other_drug = make_drug()
    other_link = make_drug_side_effect(drug=other_drug, side_effect=dry_lips.side_effect)
    approve(make_review(indication=indication, body="lips peeling constantly"))
    approve(make_review(drug=other_drug, body="Peeling lips, nothing else"))
    assert figure(dry_lips) is None

    side_effect = dry_lips.side_effect
    side_effect.other_names = "chapped lips, peeling lips, lips peeling"
    side_effect.save()
    mentions_side_effect_changed(side_effect=side_effect)

    assert figure(dry_lips).mention_count == 1
    assert figure(other_link).mention_count == 1

    side_effect.other_names = ""
    side_effect.save()
    mentions_side_effect_changed(side_effect=side_effect)
    assert figure(dry_lips) is None and figure(other_link) is None


def test_a_side_effect_added_to_a_label_is_counted_at_once(label):
    drug, indication, _, _ = label
    approve(make_review(indication=indication, body="Headaches every day"))
    link = make_drug_side_effect(drug=drug, side_effect=make_side_effect(name="Headache"))
    mentions_drug_side_effect_changed(drug_side_effect=link)
    assert figure(link).mention_count == 1


def test_recompute_all_matches_the_incremental_figures(label):
    drug, indication, dry_lips, nosebleed = label
    bodies = [
        "dry lips and a nosebleed",
        "No nosebleeds. Chapped lips though",
        "Nose-bleeds twice",
        "no dry lips",
        "nothing",
    ]
    for body in bodies:
        approve(make_review(indication=indication, body=body))
    make_review(drug=drug, body="dry lips but still pending")
    approve(make_review(drug=drug, body="dry lips, no indication given"))
    incremental = sorted(
        DrugMention.objects.values_list("drug_side_effect", "mention_count", "review_count")
    )
    incremental_ind = sorted(
        IndicationMention.objects.values_list(
            "indication", "drug_side_effect", "mention_count", "review_count"
        )
    )

    result = mentions_recompute_all()

    assert result.reviews == 6 and result.mentions == 5
    assert incremental == [(dry_lips.pk, 3, 6), (nosebleed.pk, 2, 6)]
    assert (
        sorted(DrugMention.objects.values_list("drug_side_effect", "mention_count", "review_count"))
        == incremental
    )
    assert incremental_ind == [
        (indication.pk, dry_lips.pk, 2, 5),
        (indication.pk, nosebleed.pk, 2, 5),
    ]
    assert (
        sorted(
            IndicationMention.objects.values_list(
                "indication", "drug_side_effect", "mention_count", "review_count"
            )
        )
        == incremental_ind
    )


def test_recompute_all_dry_run_changes_nothing(label):
    drug, indication, dry_lips, _ = label
    review = make_review(indication=indication, body="dry lips", status=APPROVED)

    result = mentions_recompute_all(dry_run=True)

    assert result.mentions == 1 and result.drug_figures == 1
    assert not ReviewMention.objects.exists() and not DrugMention.objects.exists()
    mentions_recompute_all()
    assert ReviewMention.objects.get().review == review


def test_recompute_all_reads_reviews_in_batches(label):
    drug, indication, dry_lips, _ = label
    for _ in range(7):
        make_review(indication=indication, body="dry lips", status=APPROVED)
    calls = []
    result = mentions_recompute_all(batch_size=3, progress=lambda done, total: calls.append(done))
    assert calls == [3, 6, 7]
    assert result.mentions == 7 and figure(dry_lips).mention_count == 7


def test_screening_a_review_sets_its_flags(label):
    review = make_review(body="Call me on 07700 900123, you should take 80mg")
    review_screen(review=review)
    review.refresh_from_db()
    assert review.flag_personal_data and review.flag_dosing_advice
    assert not review.flag_self_harm and not review.flag_spam


def test_redacting_personal_data_keeps_figures_true(label):
    drug, indication, dry_lips, _ = label
    review = approve(
        make_review(
            indication=indication,
            body="Dr Nguyen saw my chapped lips. Email me: a.b@example.com",
            flag_personal_data=True,
        )
    )

    assert review_redact_personal_data(review=review) is True

    review.refresh_from_db()
    assert "Nguyen" not in review.body and "a.b@example.com" not in review.body
    assert not review.flag_personal_data
    assert figure(dry_lips).mention_count == 1
    assert review_redact_personal_data(review=review) is False


def test_changed_figures_invalidate_cached_pages(label, django_capture_on_commit_callbacks):
    from caching import generation

    drug, indication, dry_lips, _ = label
    before = generation.current()
    review = make_review(indication=indication, body="dry lips", status=APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        mentions_review_changed(review=review)
    assert generation.current() != before
    assert figure(dry_lips).mention_count == 1


def test_bulk_changes_cost_the_same_queries_for_few_or_many_drugs():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from insights.services import mentions_reviews_changed

    def approved_reviews_of_new_drugs(count):
        reviews = []
        for _ in range(count):
            link = make_drug_side_effect(side_effect=make_side_effect())
            reviews.append(
                make_review(
                    indication=make_indication(drug=link.drug),
                    body=f"{link.side_effect.name} for weeks",
                    status=APPROVED,
                )
            )
        return reviews

    few = approved_reviews_of_new_drugs(2)
    with CaptureQueriesContext(connection) as few_queries:
        mentions_reviews_changed(review_ids=[r.pk for r in few])
    many = approved_reviews_of_new_drugs(10)
    with CaptureQueriesContext(connection) as many_queries:
        mentions_reviews_changed(review_ids=[r.pk for r in many])

    assert len(many_queries) == len(few_queries)
    assert DrugMention.objects.filter(mention_count=1, review_count=1).count() == 12
    assert IndicationMention.objects.count() == 12


def test_deleted_reviews_are_recounted_by_drug(label):
    from insights.services import mentions_reviews_changed

    drug, indication, dry_lips, _ = label
    review = approve(make_review(indication=indication, body="dry lips"))
    Review.objects.filter(pk=review.pk).delete()
    mentions_reviews_changed(drug_ids=[drug.pk])
    assert figure(dry_lips) is None


def test_moving_a_review_to_another_use_moves_its_mention(label):
    drug, indication, dry_lips, _ = label
    other_use = make_indication(drug=drug)
    review = approve(make_review(indication=indication, body="dry lips"))
    review.indication = other_use
    review.save()
    mentions_review_changed(review=review)

    moved = IndicationMention.objects.get(drug_side_effect=dry_lips)
    assert (moved.indication, moved.mention_count, moved.review_count) == (other_use, 1, 1)
    assert ReviewMention.objects.get().indication == other_use
