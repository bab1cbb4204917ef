"""Screening and mention figures through the reviews services and the moderation admin."""

import pytest
from django.urls import reverse

from insights.models import DrugMention, IndicationMention, ReviewMention
from reviews import services
from reviews.models import Review
from tests.factories import (
    make_drug_side_effect,
    make_indication,
    make_review,
    make_side_effect,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return make_user(is_staff=True, is_superuser=True)


@pytest.fixture
def dry_lips():
    link = make_drug_side_effect(
        side_effect=make_side_effect(name="Dry lips", other_names="chapped lips")
    )
    return link, make_indication(drug=link.drug)


def submit(indication, body, token):
    return services.review_submit(
        drug=indication.drug,
        indication=indication,
        other_condition="",
        rating=7,
        body=body,
        visitor_hash=f"visitor-{token}",
        submission_token=f"token-{token}",
    )


def figure(link):
    return DrugMention.objects.mentioned().filter(drug_side_effect=link).first()


def stored_figures():
    drug = DrugMention.objects.mentioned().values_list(
        "drug_side_effect", "mention_count", "review_count"
    )
    indication = IndicationMention.objects.mentioned().values_list(
        "indication", "drug_side_effect", "mention_count", "review_count"
    )
    return sorted(drug), sorted(indication)


def test_submitted_reviews_are_screened_and_stay_pending(dry_lips):
    _, indication = dry_lips
    review = submit(
        indication,
        "Worked well but I felt suicidal in month two. Email me: sam@example.com",
        1,
    )
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING
    assert review.flag_self_harm and review.flag_personal_data
    assert not review.flag_dosing_advice and not review.flag_spam

    clean = submit(indication, "Chapped lips from week two, otherwise a good experience.", 2)
    clean.refresh_from_db()
    assert not (clean.flag_personal_data or clean.flag_self_harm or clean.flag_spam)


def test_figures_follow_approve_report_reject_edit_and_delete(dry_lips, moderator):
    link, indication = dry_lips
    first = submit(indication, "Chapped lips from week two, otherwise a good experience.", 1)
    second = submit(indication, "No dry lips at all, skin clear after four months.", 2)

    services.reviews_approve(
        queryset=Review.objects.filter(pk__in=[first.pk, second.pk]), moderator=moderator
    )
    assert (figure(link).mention_count, figure(link).review_count) == (1, 2)
    assert IndicationMention.objects.mentioned().get(indication=indication).mention_count == 1

    # Reports from enough distinct readers hold the review for a moderator.
    for reader in ("reader-1", "reader-2", "reader-3"):
        services.review_report(review=first, reason="other", details="", visitor_hash=reader)
    assert figure(link) is None

    services.review_approve(review=first, moderator=moderator)
    assert figure(link).mention_count == 1

    second.refresh_from_db()
    second.body = "Edited: dry lips came back in month five, still worth it."
    services.review_edit(review=second, moderator=moderator)
    assert figure(link).mention_count == 2

    services.review_reject(review=second, moderator=moderator, reason="Off topic")
    assert (figure(link).mention_count, figure(link).review_count) == (1, 1)

    services.review_delete(review=first)
    assert figure(link) is None
    assert not ReviewMention.objects.exists()


def test_moderation_queue_filters_by_flag_and_warns_about_self_harm(client, moderator, dry_lips):
    _, indication = dry_lips
    flagged = submit(indication, "Some days I wanted to kill myself on this, be careful.", 1)
    submit(indication, "Chapped lips from week two, otherwise a good experience.", 2)
    client.force_login(moderator)
    url = reverse("admin:reviews_review_changelist")

    response = client.get(url, {"flag": "self_harm"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [flagged]
    html = response.content.decode()
    assert "mention self-harm or suicide" in html and "116 123" in html


def test_review_change_page_explains_flags_with_crisis_resources(client, moderator, dry_lips):
    _, indication = dry_lips
    review = submit(indication, "I felt suicidal in month two. Dr Okafor stopped it at once.", 1)
    client.force_login(moderator)

    response = client.get(reverse("admin:reviews_review_change", args=[review.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Screening notes" in html
    assert "a named doctor or nurse" in html and "Dr Okafor" in html
    assert "findahelpline.com" in html


def test_redact_action_removes_personal_data_and_keeps_figures(client, moderator, dry_lips):
    link, indication = dry_lips
    review = submit(indication, "Chapped lips all winter. Call me on 07700 900123 to chat.", 1)
    services.review_approve(review=review, moderator=moderator)
    client.force_login(moderator)

    response = client.post(
        reverse("admin:reviews_review_changelist"),
        {"action": "redact_personal_data", "_selected_action": [review.pk]},
    )

    assert response.status_code == 302
    review.refresh_from_db()
    assert "07700" not in review.body and "[removed]" in review.body
    assert not review.flag_personal_data
    assert figure(link).mention_count == 1


def test_changes_to_unflagged_pending_reviews_touch_no_figures(dry_lips, moderator):
    link, indication = dry_lips
    review = make_review(indication=indication, body="dry lips")
    review.body = "dry lips, edited while pending"
    services.review_edit(review=review, moderator=moderator)
    assert figure(link) is None


def test_shifted_figures_equal_a_full_recount(moderator):
    from insights.services import mentions_recompute_all

    links = [
        make_drug_side_effect(side_effect=make_side_effect(name=name, other_names=other))
        for name, other in [("Dry lips", "chapped lips"), ("Headache", ""), ("Rash", "hives")]
    ]
    drug = links[0].drug
    for link in links[1:]:
        link.drug = drug
        link.save()
    uses = [make_indication(drug=drug), make_indication(drug=drug)]
    bodies = [
        "Chapped lips and a headache most days for the first two months.",
        "No rash, no headache, just chapped lips and tiredness all the time.",
        "Hives on my arms in week three, stopped and they went away quickly.",
        "Nothing to report at all, it simply worked well for my skin.",
    ]
    reviews = [submit(uses[n % 2], f"{body} (review {n})", n) for n, body in enumerate(bodies * 2)]
    services.reviews_approve(queryset=Review.objects.all(), moderator=moderator)
    services.review_reject(review=reviews[0], moderator=moderator, reason="Duplicate")
    services.review_report(review=reviews[1], reason="other", details="", visitor_hash="r")
    edited = Review.objects.get(pk=reviews[2].pk)
    edited.body = "Edited: a headache and a rash, but chapped lips were the worst part."
    edited.indication = uses[1]
    services.review_edit(review=edited, moderator=moderator)
    services.review_delete(review=reviews[3])
    services.review_approve(review=reviews[1], moderator=moderator)

    shifted = stored_figures()
    mentions_recompute_all()

    assert shifted == stored_figures()
    assert shifted[0]
