import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import services
from reviews.models import DrugRating, IndicationRating, Review
from tests.factories import make_drug, make_indication, make_review

from .figures import assert_figures_true

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reviews_review_changelist")


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create(username="chief", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def change_url(review):
    return reverse("admin:reviews_review_change", args=[review.pk])


def test_moderation_queue_and_its_filters_load(admin_client):
    indication = make_indication()
    make_review(indication=indication, flag_spam=True, report_count=2)
    make_review(drug=indication.drug, other_condition="Unlisted")
    for query in [
        "",
        "?status__exact=pending",
        f"?drug={indication.drug_id}",
        f"?condition={indication.condition_id}",
        "?drug=abc",
        "?drug=99999999999999999999999",
        "?mapping=needed",
        "?reported=yes",
        "?flag_spam__exact=1",
        "?rating=7",
        "?rating=x",
        "?q=skin",
    ]:
        response = admin_client.get(CHANGELIST + query)
        assert response.status_code == 200, query
    content = admin_client.get(CHANGELIST + "?reported=yes").content.decode()
    assert "spam" in content
    # The drug and condition filters offer what has reviews waiting.
    assert indication.drug.name in content
    assert indication.condition.name in content
    only_drug = admin_client.get(CHANGELIST + f"?drug={indication.drug_id}")
    assert only_drug.context["cl"].result_count == 2


def test_moderation_queue_queries_do_not_grow_with_reviews(admin_client):
    make_review()
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(CHANGELIST).status_code == 200
    for _ in range(20):
        make_review(indication=make_indication(), moderated_by=admin_client.user)
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(CHANGELIST).status_code == 200
    assert len(many) == len(few)


def test_change_form_loads_and_approving_there_counts_the_review(admin_client):
    review = make_review(rating=7)
    assert admin_client.get(change_url(review)).status_code == 200
    response = admin_client.post(
        change_url(review),
        {
            "indication": review.indication_id,
            "body": review.body,
            "nickname": "",
            "status": "approved",
            "rejection_reason": "",
            "reports-TOTAL_FORMS": "0",
            "reports-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert review.moderated_by == admin_client.user
    assert DrugRating.objects.get(drug=review.drug).review_count == 1
    assert_figures_true()


def test_change_form_maps_a_review_to_another_of_its_drugs_indications(admin_client):
    drug = make_drug()
    first, second = make_indication(drug=drug), make_indication(drug=drug)
    review = make_review(indication=first)
    services.review_approve(review=review, moderator=None)
    data = {
        "indication": second.pk,
        "body": review.body,
        "nickname": "",
        "status": "approved",
        "rejection_reason": "",
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
    }
    assert admin_client.post(change_url(review), data).status_code == 302
    assert IndicationRating.objects.get(indication=first).review_count == 0
    assert IndicationRating.objects.get(indication=second).review_count == 1
    foreign = make_indication()
    data["indication"] = foreign.pk
    response = admin_client.post(change_url(review), data)
    assert response.status_code == 200  # the form error page
    review.refresh_from_db()
    assert review.indication == second
    assert_figures_true()


def test_rejecting_in_the_change_form_needs_a_reason(admin_client):
    review = make_review()
    data = {
        "indication": review.indication_id,
        "body": review.body,
        "nickname": "",
        "status": "rejected",
        "rejection_reason": "",
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
    }
    response = admin_client.post(change_url(review), data)
    assert response.status_code == 200
    assert b"reason for rejecting" in response.content
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING


def _action(admin_client, action, reviews, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in reviews], "index": 0}
    data.update(extra)
    return admin_client.post(CHANGELIST, data)


def test_bulk_approve_records_who_and_when(admin_client):
    indication = make_indication()
    reviews = [make_review(indication=indication, rating=n) for n in (3, 6, 9)]
    response = _action(admin_client, "approve_selected", reviews)
    assert response.status_code == 302
    assert Review.objects.approved().count() == 3
    assert set(Review.objects.values_list("moderated_by", flat=True)) == {admin_client.user.pk}
    assert DrugRating.objects.get(drug=indication.drug).review_count == 3
    assert_figures_true()


def test_bulk_reject_asks_for_a_reason_then_rejects(admin_client):
    reviews = [make_review(), make_review()]
    services.reviews_approve(queryset=Review.objects.all(), moderator=None)
    page = _action(admin_client, "reject_selected", reviews)
    assert page.status_code == 200
    assert b"Reason for rejecting" in page.content
    data = {"action": "reject_selected", ACTION_CHECKBOX_NAME: [r.pk for r in reviews]}
    empty = admin_client.post(CHANGELIST, {**data, "reason": " "})
    assert empty.status_code == 200
    assert Review.objects.approved().count() == 2
    done = admin_client.post(CHANGELIST, {**data, "reason": "Advertising a clinic"})
    assert done.status_code == 302
    assert set(Review.objects.values_list("rejection_reason", flat=True)) == {
        "Advertising a clinic"
    }
    assert Review.objects.filter(status=Review.Status.REJECTED).count() == 2
    assert_figures_true()


def test_bulk_delete_and_single_delete_keep_figures_true(admin_client):
    indication = make_indication()
    reviews = [make_review(indication=indication, rating=n) for n in (2, 4, 10)]
    services.reviews_approve(queryset=Review.objects.all(), moderator=None)
    response = _action(admin_client, "delete_selected", reviews[:2], post="yes")
    assert response.status_code == 302
    assert Review.objects.count() == 1
    assert_figures_true()
    delete_url = reverse("admin:reviews_review_delete", args=[reviews[2].pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Review.objects.exists()
    assert DrugRating.objects.get(drug=indication.drug).review_count == 0
    assert_figures_true()


def test_report_and_rating_admin_pages_load(admin_client):
    review = make_review()
    services.review_approve(review=review, moderator=None)
    services.review_report(review=review, reason="spam", details="", visitor_hash="v")
    for name in ["reviewreport", "drugrating", "indicationrating"]:
        assert admin_client.get(reverse(f"admin:reviews_{name}_changelist")).status_code == 200
    rating = DrugRating.objects.get()
    assert (
        admin_client.get(reverse("admin:reviews_drugrating_change", args=[rating.pk])).status_code
        == 200
    )
    response = admin_client.post(
        reverse("admin:reviews_drugrating_changelist"),
        {"action": "recount_selected", ACTION_CHECKBOX_NAME: [rating.pk], "index": 0},
    )
    assert response.status_code == 302
    assert_figures_true()
