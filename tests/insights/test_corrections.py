"""Moderators correct a review's detected side effects; corrections win in the figures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insights.models import DrugMention, MentionCorrection, ReviewMention
from insights.services import mention_correction_save, mentions_recompute_all
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
def labels():
    headache = make_drug_side_effect(side_effect=make_side_effect(name="Headache"))
    rash = make_drug_side_effect(drug=headache.drug, side_effect=make_side_effect(name="Rash"))
    indication = make_indication(drug=headache.drug)
    return headache, rash, indication


def approved(indication, body):
    return make_review(indication=indication, body=body, status="approved")


def mentions_of(link):
    figure = DrugMention.objects.filter(drug_side_effect=link).first()
    return figure.mention_count if figure else 0


def test_a_correction_removes_a_side_effect_the_software_misread(labels, moderator):
    headache, _, indication = labels
    review = approved(indication, "Headaches from the exam stress, nothing from the pill.")
    approved(indication, "Headaches every afternoon.")
    mentions_recompute_all()
    assert mentions_of(headache) == 2

    mention_correction_save(
        correction=MentionCorrection(
            review=review, drug_side_effect=headache, verdict=MentionCorrection.Verdict.NOT_HAD
        ),
        user=moderator,
    )

    assert mentions_of(headache) == 1
    assert not ReviewMention.objects.filter(review=review).exists()
    assert MentionCorrection.objects.get().corrected_by == moderator


def test_a_correction_adds_a_side_effect_the_software_missed(labels, moderator):
    _, rash, indication = labels
    review = approved(indication, "Red blotches all over my arms by day three.")
    mentions_recompute_all()
    assert mentions_of(rash) == 0

    mention_correction_save(
        correction=MentionCorrection(
            review=review, drug_side_effect=rash, verdict=MentionCorrection.Verdict.HAD_IT
        )
    )

    assert mentions_of(rash) == 1


def test_corrections_survive_a_full_recount(labels):
    headache, rash, indication = labels
    missed = approved(indication, "Red blotches all over my arms.")
    misread = approved(indication, "My husband's headaches, not mine.")
    MentionCorrection.objects.create(
        review=missed, drug_side_effect=rash, verdict=MentionCorrection.Verdict.HAD_IT
    )
    MentionCorrection.objects.create(
        review=misread, drug_side_effect=headache, verdict=MentionCorrection.Verdict.NOT_HAD
    )

    mentions_recompute_all()

    assert (mentions_of(rash), mentions_of(headache)) == (1, 0)


def test_a_correction_for_a_pending_review_counts_once_it_is_approved(labels):
    _, rash, indication = labels
    review = make_review(indication=indication, body="Blotches.", status="pending")
    mention_correction_save(
        correction=MentionCorrection(
            review=review, drug_side_effect=rash, verdict=MentionCorrection.Verdict.HAD_IT
        )
    )
    assert mentions_of(rash) == 0

    review.status = "approved"
    review.save()
    mentions_recompute_all()

    assert mentions_of(rash) == 1


def test_admin_correction_recounts_and_shows_what_the_software_read(client, moderator, labels):
    headache, _, indication = labels
    review = approved(indication, "No headaches at all, but a rash.")
    mentions_recompute_all()
    client.force_login(moderator)

    response = client.post(
        reverse("admin:insights_mentioncorrection_add"),
        {
            "review": review.pk,
            "drug_side_effect": headache.pk,
            "verdict": "had_it",
            "note": "Writer says later the headaches came back.",
        },
    )

    assert response.status_code == 302
    assert mentions_of(headache) == 1
    correction = MentionCorrection.objects.get()
    page = client.get(reverse("admin:insights_mentioncorrection_change", args=[correction.pk]))
    html = page.content.decode()
    assert "What the software read" in html and "not counted (negated)" in html


def test_admin_refuses_a_side_effect_from_another_drugs_label(client, moderator, labels):
    _, _, indication = labels
    review = approved(indication, "Fine.")
    other = make_drug_side_effect(side_effect=make_side_effect(name="Nausea"))
    client.force_login(moderator)

    response = client.post(
        reverse("admin:insights_mentioncorrection_add"),
        {"review": review.pk, "drug_side_effect": other.pk, "verdict": "had_it"},
    )

    assert response.status_code == 200
    assert "label of the review" in response.content.decode()
    assert not MentionCorrection.objects.exists()


def test_deleting_a_correction_in_the_admin_gives_the_software_back_its_say(
    client, moderator, labels
):
    headache, _, indication = labels
    review = approved(indication, "Headaches daily.")
    correction = mention_correction_save(
        correction=MentionCorrection(
            review=review, drug_side_effect=headache, verdict=MentionCorrection.Verdict.NOT_HAD
        )
    )
    assert mentions_of(headache) == 0
    client.force_login(moderator)

    response = client.post(
        reverse("admin:insights_mentioncorrection_delete", args=[correction.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert mentions_of(headache) == 1


def test_correction_list_runs_a_fixed_number_of_queries(client, moderator, labels):
    headache, rash, indication = labels
    client.force_login(moderator)
    url = reverse("admin:insights_mentioncorrection_changelist")

    def add_corrections(count):
        for _ in range(count):
            MentionCorrection.objects.create(
                review=approved(indication, "text"),
                drug_side_effect=rash,
                verdict="had_it",
                corrected_by=moderator,
            )

    add_corrections(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_corrections(10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert len(many) == len(few)
