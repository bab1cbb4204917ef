"""Reports, votes and submissions as an attacker would use them, against the real database."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import IgnoredReporter, Review, ReviewReport, ReviewVote
from tests.factories import make_drug, make_indication, make_review
from tests.threads import run_in_threads

from .figures import assert_figures_true

pytestmark = pytest.mark.django_db

BODY = "Four months on it: my skin is clearer, my lips are dry and I sleep badly."


def approved(**fields):
    review = make_review(**fields)
    return services.review_approve(review=review, moderator=None)


def report(review, visitor, network=None, reason="spam"):
    return services.review_report(
        review=review,
        reason=reason,
        details="",
        visitor_hash=visitor,
        network_hash=network or f"net-{visitor}",
    )


def vote(review, visitor, network=None):
    return services.review_vote_helpful(
        review=review, visitor_hash=visitor, network_hash=network or f"net-{visitor}"
    )


def is_public(review):
    review.refresh_from_db()
    return review.status == Review.Status.APPROVED


def report_url(review):
    return reverse("reviews:review-report", kwargs={"pk": review.pk})


def helpful_url(review):
    return reverse("reviews:review-helpful", kwargs={"pk": review.pk})


# Reports never hide a review by themselves


def test_reports_below_the_threshold_leave_the_review_public():
    review = approved()
    report(review, "a")
    report(review, "b")
    assert is_public(review)
    assert review.report_count == 2
    assert review.held_at is None


def test_credible_reports_from_enough_networks_hold_the_review_without_deleting_it():
    review = approved(rating=3)
    for visitor in ("a", "b", "c"):
        report(review, visitor)
    assert not is_public(review)
    assert review.status == Review.Status.PENDING
    assert review.held_at is not None
    assert ReviewReport.objects.filter(review=review).count() == 3
    assert_figures_true()


def test_many_visitors_in_one_network_count_as_one_reporter():
    review = approved()
    for n in range(10):
        report(review, f"visitor-{n}", network="one-block")
    assert is_public(review)
    assert services.review_report_weights(review.pk) == (1.0, 1)


def test_a_visitor_reporting_many_reviews_of_one_drug_weighs_a_quarter():
    drug = make_drug()
    indication = make_indication(drug=drug)
    reviews = [approved(indication=indication, drug=drug) for _ in range(5)]
    weights = [report(review, "competitor").weight for review in reviews]
    assert weights[:2] == [1.0, 1.0]
    assert weights[2:] == [0.25, 0.25, 0.25]
    # Two helpers cannot make up the difference on a review the pattern touched.
    report(reviews[4], "helper-1")
    report(reviews[4], "helper-2")
    assert is_public(reviews[4])


def test_an_ignored_reporter_weighs_nothing_from_then_on(moderator):
    review = approved()
    report(review, "grudge")
    assert services.reporter_ignore(visitor_hash="grudge", moderator=moderator) == 1
    assert ReviewReport.objects.get(visitor_hash="grudge").weight == 0
    later = approved()
    assert report(later, "grudge").weight == 0
    report(later, "b")
    report(later, "c")
    assert is_public(later)
    assert IgnoredReporter.objects.filter(visitor_hash="grudge").count() == 1


def test_reports_on_a_long_standing_review_weigh_half():
    old = approved()
    Review.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=400))
    for visitor in ("a", "b", "c"):
        assert report(old, visitor).weight == 0.5
    assert is_public(old)


def test_a_flood_of_reports_from_one_visitor_is_refused_and_stores_nothing():
    with override_settings(REVIEW_REPORT_DAILY_LIMIT=3):
        reviews = [approved(drug=make_drug()) for _ in range(4)]
        for review in reviews[:3]:
            report(review, "flooder")
        with pytest.raises(services.RateLimited):
            report(reviews[3], "flooder")
    assert not ReviewReport.objects.filter(review=reviews[3]).exists()
    assert all(is_public(review) for review in reviews)


# Held, then restored by a moderator


def test_held_review_restored_by_a_moderator_counts_again_and_resists_the_same_attack(
    moderator,
):
    indication = make_indication()
    review = approved(indication=indication, rating=9)
    for visitor in ("a", "b", "c"):
        report(review, visitor)
    assert not is_public(review)
    services.review_approve(review=review, moderator=moderator)
    assert is_public(review)
    assert review.held_at is None and review.restored_at is not None
    assert set(review.reports.values_list("outcome", flat=True)) == {"dismissed"}
    assert_figures_true()
    # A moderator has read it: new reports weigh half, and earlier reporters were dismissed.
    for visitor in ("d", "e", "f"):
        report(review, visitor)
    assert is_public(review)
    # Those whose reports were dismissed weigh less next time.
    assert report(approved(), "a").weight == 0.25


def test_reports_a_moderator_upholds_make_their_reporter_weigh_more(moderator):
    review = approved()
    for visitor in ("a", "b", "c"):
        report(review, visitor)
    services.review_reject(review=review, moderator=moderator, reason="Advertising")
    assert set(review.reports.values_list("outcome", flat=True)) == {"upheld"}
    assert report(approved(), "a").weight == 1.5


def test_moderator_hold_takes_a_review_off_the_page_until_approved(moderator):
    review = approved()
    services.reviews_hold(queryset=Review.objects.filter(pk=review.pk), moderator=moderator)
    assert not is_public(review)
    assert review.moderated_by == moderator
    assert review.held_at is None  # kept for holds by readers' reports
    assert_figures_true()
    services.review_approve(review=review, moderator=moderator)
    assert is_public(review)
    assert_figures_true()


# Reports through the site


def test_forged_forwarded_for_headers_do_not_make_new_reporters(client):
    review = approved()
    for n in range(5):
        response = client.post(
            report_url(review),
            {"reason": "spam"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.{n}.1",
        )
        assert response.status_code == 303
    assert ReviewReport.objects.filter(review=review).count() == 1
    assert is_public(review)


@pytest.mark.parametrize("reason", ["", "because", "x" * 100, "\x00", "SPAM"])
def test_a_report_reason_out_of_the_list_is_a_form_error(client, reason):
    review = approved()
    response = client.post(report_url(review), {"reason": reason})
    assert response.status_code == 400
    assert not ReviewReport.objects.exists()
    assert is_public(review)


def test_reports_on_unpublished_deleted_or_unknown_reviews_are_not_found(client):
    pending = make_review()
    rejected = make_review(status=Review.Status.REJECTED, rejection_reason="Spam")
    deleted = approved()
    deleted_url = report_url(deleted)
    services.review_delete(review=deleted)
    urls = [report_url(pending), report_url(rejected), deleted_url, "/reviews/99999999/report/"]
    for url in urls:
        assert client.post(url, {"reason": "spam"}).status_code == 404
    assert not ReviewReport.objects.exists()


def test_a_reporting_flood_gets_429_with_a_message(client):
    with override_settings(REVIEW_REPORT_DAILY_LIMIT=2):
        reviews = [approved(drug=make_drug()) for _ in range(3)]
        statuses = [
            client.post(report_url(review), {"reason": "spam"}).status_code for review in reviews
        ]
        response = client.post(report_url(reviews[2]), {"reason": "spam"})
    assert statuses == [303, 303, 429]
    assert b"many reports today" in response.content
    assert ReviewReport.objects.count() == 2


def test_reports_from_many_addresses_in_one_block_hide_nothing():
    review = approved()
    for n in range(1, 30):
        response = Client(REMOTE_ADDR=f"192.0.2.{n}").post(report_url(review), {"reason": "spam"})
        assert response.status_code == 303
    assert ReviewReport.objects.filter(review=review).count() == 29
    assert is_public(review)


def test_reports_from_three_networks_hold_the_review_through_the_site():
    review = approved()
    for address in ("192.0.2.1", "198.51.100.1", "203.0.113.1"):
        Client(REMOTE_ADDR=address).post(report_url(review), {"reason": "offensive"})
    assert not is_public(review)
    response = Client().get(reverse("reviews:drug-reviews", kwargs={"slug": review.drug.slug}))
    assert f'id="review-{review.pk}"' not in response.content.decode()


# Helpful votes


def test_votes_from_one_network_count_once_and_the_rest_are_damped():
    review = approved()
    results = [vote(review, f"visitor-{n}", network="one-block") for n in range(5)]
    assert [result.status for result in results] == ["counted"] + ["held_back"] * 4
    review.refresh_from_db()
    assert review.helpful_count == 1
    assert review.damped_vote_count == 4
    assert ReviewVote.objects.filter(review=review, counted=False).count() == 4


@override_settings(REVIEW_VOTE_BURST_LIMIT=3)
def test_a_burst_of_votes_on_one_review_is_damped_and_shown_to_moderators():
    review = approved()
    results = [vote(review, f"visitor-{n}") for n in range(6)]
    assert [result.counted for result in results] == [True] * 3 + [False] * 3
    review.refresh_from_db()
    assert (review.helpful_count, review.damped_vote_count) == (3, 3)
    # Once the burst window has passed, votes count again.
    ReviewVote.objects.update(created_at=timezone.now() - timedelta(hours=1))
    assert vote(review, "later").counted


def test_new_sessions_and_forged_forwarded_for_do_not_make_new_voters():
    review = approved()
    for n in range(5):
        browser = Client()  # a fresh cookie jar each time
        browser.post(
            helpful_url(review),
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.{n}",
        )
    review.refresh_from_db()
    assert review.helpful_count == 1
    assert ReviewVote.objects.filter(review=review).count() == 1


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_only_the_address_it_saw_counts():
    review = approved()
    for spoofed in ("1.1.1.1", "2.2.2.2", "garbage"):
        Client().post(
            helpful_url(review),
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{spoofed}, 198.51.100.9",
        )
    Client().post(helpful_url(review), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    review.refresh_from_db()
    assert review.helpful_count == 2


def test_votes_on_unpublished_deleted_or_unknown_reviews_are_not_found(client):
    pending = make_review()
    deleted = approved()
    deleted_url = helpful_url(deleted)
    services.review_delete(review=deleted)
    for url in (helpful_url(pending), deleted_url, "/reviews/99999999/helpful/"):
        assert client.post(url).status_code == 404
        assert client.get(url, HTTP_ACCEPT="application/json").status_code == 404
    assert not ReviewVote.objects.exists()


# Submissions


def form_data(indication, body):
    from reviews.forms import submission_token_issue

    return {
        "condition": indication.condition.slug,
        "rating": "7",
        "body": body,
        "token": submission_token_issue(),
        "website": "",
    }


def create_url(drug):
    return reverse("reviews:review-create", kwargs={"slug": drug.slug})


@override_settings(REVIEW_SUBMIT_LIMIT_PER_NETWORK=3)
def test_a_network_over_its_limit_is_refused_with_a_clear_message():
    indication = make_indication()
    statuses = []
    for n in range(1, 5):
        response = Client(REMOTE_ADDR=f"192.0.2.{n}").post(
            create_url(indication.drug), form_data(indication, f"{BODY} Writer {n}.")
        )
        statuses.append(response.status_code)
    assert statuses == [303, 303, 303, 429]
    assert b"sent from your network" in response.content
    assert Review.objects.count() == 3


@override_settings(REVIEW_SUBMIT_LIMIT_PER_VISITOR=2, REVIEW_SUBMIT_WINDOW_SECONDS=600)
def test_the_limit_is_a_setting_and_its_window_slides():
    indication = make_indication()
    for n in range(2):
        services.review_submit(
            drug=indication.drug,
            indication=indication,
            other_condition="",
            rating=5,
            body=f"{BODY} {n}",
            visitor_hash="v",
            submission_token=None,
        )
    with pytest.raises(services.RateLimited) as error:
        services.review_submit(
            drug=indication.drug,
            indication=indication,
            other_condition="",
            rating=5,
            body=f"{BODY} third",
            visitor_hash="v",
            submission_token=None,
        )
    assert "2 reviews in the last 10 minutes" in str(error.value)
    Review.objects.update(submitted_at=timezone.now() - timedelta(minutes=11))
    services.review_submit(
        drug=indication.drug,
        indication=indication,
        other_condition="",
        rating=5,
        body=f"{BODY} third",
        visitor_hash="v",
        submission_token=None,
    )
    assert Review.objects.count() == 3


@pytest.mark.parametrize(
    "body",
    [
        "\u200b" * 60,
        "\u00a0" * 60,
        "\ufeff" * 60,
        "\u200b\u200c\u200d\u2060\ufeff\u00a0\u2003\u202f" * 10,
        "\u0301" * 60,
        "\u200b" * 50 + "short",
    ],
)
def test_text_made_of_invisible_characters_is_refused_with_a_form_error(client, body):
    indication = make_indication()
    response = client.post(create_url(indication.drug), form_data(indication, body))
    assert response.status_code == 400
    [error] = response.context["form"].errors["body"]
    assert error.startswith("Please write")
    assert not Review.objects.exists()


def test_the_same_text_on_another_drug_is_refused_in_the_form(client):
    first, second = make_indication(), make_indication()
    assert client.post(create_url(first.drug), form_data(first, BODY)).status_code == 303
    response = client.post(create_url(second.drug), form_data(second, BODY.upper()))
    assert response.status_code == 400
    assert b"another drug" in response.content
    assert Review.objects.count() == 1


def test_a_writer_mentioning_suicidal_thoughts_is_shown_crisis_support(client):
    indication = make_indication()
    body = "Week three I started having suicidal thoughts, so I stopped taking it and felt better."
    response = client.post(create_url(indication.drug), form_data(indication, body), follow=True)
    assert response.status_code == 200
    assert b"116 123" in response.content
    assert Review.objects.get().flag_self_harm
    ordinary = client.post(
        create_url(indication.drug), form_data(indication, BODY), follow=True
    ).content
    assert b"116 123" not in ordinary


# The moderation queue


def test_the_queue_shows_clusters_and_held_reviews(admin_client):
    drug = make_drug()
    indication = make_indication(drug=drug)
    for n in range(3):
        make_review(indication=indication, drug=drug, visitor_hash="same", body=f"{BODY} {n}")
    held = approved()
    for visitor in ("a", "b", "c"):
        report(held, visitor)
    url = reverse("admin:reviews_review_changelist")
    page = admin_client.get(url).content.decode()
    assert "3 reviews from one visitor" in page
    assert "3 reviews on this drug within an hour" in page
    assert "held after reports" in page
    held_only = admin_client.get(url, {"abuse": "held"}).context["cl"].result_list
    assert [review.pk for review in held_only] == [held.pk]
    clustered = admin_client.get(url, {"abuse": "same_visitor"}).context["cl"].result_count
    assert clustered == 3


def test_queue_queries_do_not_grow_with_clusters(admin_client):
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:reviews_review_changelist")
    make_review(visitor_hash="v")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for n in range(20):
        make_review(visitor_hash=f"v{n % 3}")
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)
    assert len(many) == len(few)


def test_moderators_see_reporter_patterns_and_can_ignore_a_reporter(admin_client):
    drug = make_drug()
    indication = make_indication(drug=drug)
    reviews = [approved(indication=indication, drug=drug) for _ in range(3)]
    for review in reviews:
        report(review, "competitor")
    url = reverse("admin:reviews_reviewreport_changelist")
    listing = admin_client.get(url)
    rows = listing.context["cl"].result_list
    assert {(row.reporter_same_drug, row.reporter_total) for row in rows} == {(3, 3)}
    response = admin_client.post(
        url,
        {
            "action": "ignore_reporters",
            "_selected_action": [rows[0].pk],
        },
    )
    assert response.status_code == 302
    assert IgnoredReporter.objects.filter(visitor_hash="competitor").exists()
    assert set(ReviewReport.objects.values_list("weight", flat=True)) == {0}


def test_the_change_page_highlights_what_screening_found(admin_client):
    review = make_review(body="Great stuff. You should take 80mg, the 40 does nothing. Cheers.")
    page = admin_client.get(reverse("admin:reviews_review_change", args=[review.pk]))
    assert page.status_code == 200
    assert '<mark title="Dosing advice">You should take 80mg</mark>' in page.content.decode()


def test_hold_action_in_the_admin_hides_then_approving_restores(admin_client):
    review = approved()
    url = reverse("admin:reviews_review_changelist")
    admin_client.post(url, {"action": "hold_selected", "_selected_action": [review.pk]})
    assert not is_public(review)
    admin_client.post(url, {"action": "approve_selected", "_selected_action": [review.pk]})
    assert is_public(review)


# Many visitors at once (PostgreSQL: SQLite serialises writers, so it proves nothing there)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_simultaneous_reporters_hold_the_review_once(on_postgres):
    review = approved(rating=2)
    errors = run_in_threads(30, lambda n: report(review, f"reader-{n}"))
    # Reports queue on the review's row lock: the third holds it, and the rest find
    # it no longer published (the page answers them 404), so nothing is counted twice.
    assert len(errors) == 27
    assert {str(error.messages) for error in errors} == {
        "['Only published reviews can be reported.']"
    }
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING
    assert review.report_count == 3
    assert ReviewReport.objects.filter(review=review).count() == 3
    assert_figures_true()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_simultaneous_reporters_in_one_network_hide_nothing(on_postgres):
    review = approved()
    errors = run_in_threads(30, lambda n: report(review, f"reader-{n}", network="one-block"))
    assert errors == []
    assert is_public(review)
    assert ReviewReport.objects.filter(review=review).count() == 30


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(REVIEW_VOTE_BURST_LIMIT=20)
def test_a_simultaneous_burst_of_fifty_votes_counts_twenty(on_postgres):
    review = approved()
    errors = run_in_threads(50, lambda n: vote(review, f"voter-{n}"))
    assert errors == []
    review.refresh_from_db()
    assert review.helpful_count == 20
    assert review.damped_vote_count == 30
    assert ReviewVote.objects.filter(review=review, counted=True).count() == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_from_one_visitor_stop_at_the_limit(on_postgres):
    # Each thread has its own connection, as each gunicorn worker has: the limit holds.
    indication = make_indication()
    limit = 5

    def send(n):
        try:
            services.review_submit(
                drug=indication.drug,
                indication=indication,
                other_condition="",
                rating=6,
                body=f"{BODY} Attempt {n}.",
                visitor_hash="one-visitor",
                submission_token=None,
            )
        except services.RateLimited:
            pass

    with override_settings(REVIEW_SUBMIT_LIMIT_PER_VISITOR=limit):
        errors = run_in_threads(12, send)
    assert errors == []
    assert Review.objects.filter(visitor_hash="one-visitor").count() == limit


@pytest.fixture
def admin_client(db):
    user = get_user_model().objects.create(
        username="queue-moderator", is_staff=True, is_superuser=True
    )
    browser = Client()
    browser.force_login(user)
    return browser
