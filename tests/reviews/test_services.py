import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings

from reviews import services
from reviews.models import DrugRating, IndicationRating, Review, ReviewReport, ReviewVote
from tests.factories import make_drug, make_indication, make_review
from tests.threads import run_in_threads

from .figures import assert_figures_true

pytestmark = pytest.mark.django_db

BODY = "It cleared my skin within three months, but my lips were very dry all the time."


def submit(**overrides):
    if "drug" not in overrides:
        indication = overrides.get("indication") or make_indication()
        overrides.setdefault("indication", indication)
        overrides["drug"] = indication.drug
    fields = {
        "indication": None,
        "other_condition": "",
        "rating": 8,
        "body": BODY,
        "visitor_hash": "visitor-a",
        "submission_token": None,
    }
    fields.update(overrides)
    return services.review_submit(**fields)


def approved(**fields):
    review = make_review(**fields)
    return services.review_approve(review=review, moderator=None)


# Visitors


def test_visitor_hash_is_salted_and_never_the_address():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    digest = services.visitor_hash(request)
    assert "203.0.113.7" not in digest
    assert len(digest) == 64
    with override_settings(VISITOR_HASH_SALT="another salt"):
        assert services.visitor_hash(request) != digest


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_visitor_hash_ignores_forwarded_for_headers_without_trusted_proxies():
    plain = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    spoofed = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert services.visitor_hash(plain) == services.visitor_hash(spoofed)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_visitor_hash_behind_one_proxy_uses_the_address_it_saw():
    first = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert services.visitor_hash(first) != services.visitor_hash(second)


# Submitting


def test_submit_stores_a_pending_review_that_counts_nowhere():
    review = submit(rating=3, submission_token="t" * 32)
    assert review.status == Review.Status.PENDING
    assert review.body_hash == services.body_hash(BODY)
    assert not DrugRating.objects.filter(review_count__gt=0).exists()
    assert_figures_true()


def test_submit_with_a_replayed_token_returns_the_stored_review():
    indication = make_indication()
    first = submit(indication=indication, submission_token="same-token-" + "x" * 20)
    second = submit(indication=indication, submission_token="same-token-" + "x" * 20)
    assert first.pk == second.pk
    assert Review.objects.count() == 1


def test_submit_refuses_the_same_text_for_the_same_drug_even_respaced():
    indication = make_indication()
    submit(indication=indication)
    with pytest.raises(ValidationError) as error:
        submit(indication=indication, body="  " + BODY.upper().replace(" ", "   ") + "\n")
    assert "same text" in str(error.value)
    assert Review.objects.count() == 1


def test_submit_refuses_the_same_text_for_another_drug():
    submit()
    with pytest.raises(ValidationError) as error:
        submit(visitor_hash="visitor-b")
    assert "another drug" in str(error.value)
    assert Review.objects.count() == 1


def test_submit_refuses_an_indication_of_another_drug():
    with pytest.raises(ValidationError):
        submit(drug=make_drug(), indication=make_indication())
    assert not Review.objects.exists()


def test_submit_needs_a_condition_or_another_condition():
    with pytest.raises(ValidationError):
        submit(drug=make_drug(), indication=None, other_condition="  ")
    review = submit(drug=make_drug(), indication=None, other_condition="Rosacea")
    assert review.indication is None
    assert review.other_condition == "Rosacea"


@pytest.mark.parametrize(
    "body",
    [
        "",
        "   \n\t ",
        "too short",
        "x" * (services.BODY_MAX_LENGTH + 1),
        BODY + "\x00",
        "a" * 100_000,
    ],
)
def test_submit_refuses_bad_text(body):
    with pytest.raises(ValidationError):
        submit(body=body)
    assert not Review.objects.exists()


@pytest.mark.parametrize("rating", [0, 11, -1, None])
def test_submit_refuses_a_rating_outside_1_to_10(rating):
    with pytest.raises(ValidationError):
        submit(rating=rating)
    assert not Review.objects.exists()


def test_submit_stores_html_emoji_and_right_to_left_text_as_written():
    body = "<script>alert(1)</script> <b>bold</b> 😀👍 هذا الدواء ساعدني كثيرا في علاج حب الشباب"
    review = submit(body=body)
    review.refresh_from_db()
    assert review.body == body


def test_submit_rate_limit_allows_five_an_hour_per_visitor():
    limit = settings.REVIEW_SUBMIT_LIMIT_PER_VISITOR
    drug_indication = make_indication()
    for n in range(limit):
        submit(indication=drug_indication, body=f"{BODY} Week {n}.")
    with pytest.raises(services.RateLimited):
        submit(indication=drug_indication, body=f"{BODY} Week six.")
    submit(indication=drug_indication, body=f"{BODY} Someone else.", visitor_hash="visitor-b")
    assert Review.objects.count() == limit + 1


def test_submit_replay_does_not_use_up_the_rate_limit():
    indication = make_indication()
    for _ in range(settings.REVIEW_SUBMIT_LIMIT_PER_VISITOR + 3):
        submit(indication=indication, submission_token="a-replayed-token-" + "z" * 16)
    submit(indication=indication, body=f"{BODY} A second one.")
    assert Review.objects.count() == 2


DEAD_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
    }
}


def test_submit_limit_is_counted_in_the_database_with_the_cache_down():
    limit = settings.REVIEW_SUBMIT_LIMIT_PER_VISITOR
    indication = make_indication()
    with override_settings(CACHES=DEAD_CACHE):
        for n in range(limit):
            submit(indication=indication, body=f"{BODY} Entry {n}.")
        with pytest.raises(services.RateLimited):
            submit(indication=indication, body=f"{BODY} One too many.")
    assert Review.objects.count() == limit


# Moderating and the figures


def test_approve_counts_the_review_in_drug_and_indication_figures(moderator):
    indication = make_indication()
    review = make_review(indication=indication, rating=9, effectiveness=4)
    services.review_approve(review=review, moderator=moderator)
    drug_rating = DrugRating.objects.get(drug=indication.drug)
    indication_rating = IndicationRating.objects.get(indication=indication)
    for figures in (drug_rating, indication_rating):
        assert figures.review_count == 1
        assert figures.distribution == [0, 0, 0, 0, 0, 0, 0, 0, 1, 0]
        assert figures.positive_count == 1
        assert figures.effectiveness_sum == 4
        assert str(figures.average_rating) == "9.00"
    review.refresh_from_db()
    assert review.moderated_by is not None
    assert review.moderated_at is not None


def test_reject_needs_a_reason_and_uncounts_an_approved_review(moderator):
    review = approved(rating=2)
    with pytest.raises(ValidationError):
        services.review_reject(review=review, moderator=moderator, reason="  ")
    services.review_reject(review=review, moderator=moderator, reason="Advertising")
    review.refresh_from_db()
    assert review.status == Review.Status.REJECTED
    assert review.rejection_reason == "Advertising"
    assert DrugRating.objects.get(drug=review.drug).review_count == 0
    assert_figures_true()


def test_bulk_approve_and_reject_keep_figures_true(moderator):
    indication = make_indication()
    reviews = [make_review(indication=indication, rating=n) for n in range(1, 11)]
    ids = [r.pk for r in reviews]
    assert (
        services.reviews_approve(queryset=Review.objects.filter(pk__in=ids), moderator=moderator)
        == 10
    )
    assert_figures_true()
    services.reviews_reject(
        queryset=Review.objects.filter(pk__in=ids[:4]), moderator=moderator, reason="Spam"
    )
    assert_figures_true()
    assert DrugRating.objects.get(drug=indication.drug).review_count == 6


def test_one_report_is_recorded_once_per_visitor_and_hides_nothing():
    review = approved(rating=10)
    services.review_report(review=review, reason="spam", details="", visitor_hash="v1")
    services.review_report(review=review, reason="spam", details="", visitor_hash="v1")
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert review.report_count == 1
    assert ReviewReport.objects.count() == 1
    assert DrugRating.objects.get(drug=review.drug).review_count == 1
    assert_figures_true()


def test_report_of_a_pending_review_is_refused():
    review = make_review()
    with pytest.raises(ValidationError):
        services.review_report(review=review, reason="spam", details="", visitor_hash="v1")
    assert not ReviewReport.objects.exists()


def test_report_with_an_unknown_reason_saves_nothing():
    review = approved()
    with pytest.raises(ValidationError):
        services.review_report(review=review, reason="bogus", details="", visitor_hash="v1")
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert review.report_count == 0


def test_delete_one_and_many_keep_figures_true():
    indication = make_indication()
    reviews = [approved(indication=indication, rating=n) for n in (2, 5, 9)]
    services.review_delete(review=reviews[0])
    assert_figures_true()
    services.reviews_delete(queryset=Review.objects.filter(pk__in=[r.pk for r in reviews[1:]]))
    assert_figures_true()
    assert DrugRating.objects.get(drug=indication.drug).review_count == 0


def test_mapping_a_review_to_another_indication_moves_its_figures(moderator):
    drug = make_drug()
    acne = make_indication(drug=drug)
    rosacea = make_indication(drug=drug)
    review = approved(indication=acne, rating=6)
    services.review_set_indication(review=review, indication=rosacea, moderator=moderator)
    assert IndicationRating.objects.get(indication=acne).review_count == 0
    assert IndicationRating.objects.get(indication=rosacea).review_count == 1
    assert DrugRating.objects.get(drug=drug).review_count == 1
    assert_figures_true()


def test_mapping_to_another_drugs_indication_is_refused(moderator):
    review = approved()
    with pytest.raises(ValidationError):
        services.review_set_indication(
            review=review, indication=make_indication(), moderator=moderator
        )
    assert_figures_true()


def test_ratings_recount_of_everything_repairs_stale_figures():
    indication = make_indication()
    for n in (1, 7, 10):
        make_review(indication=indication, rating=n, status=Review.Status.APPROVED)
    DrugRating.objects.create(drug=make_drug(), review_count=5, rating_sum=40)
    services.ratings_recount()
    assert_figures_true()
    assert DrugRating.objects.get(drug=indication.drug).positive_count == 2


# Voting


def test_helpful_vote_counts_once_per_visitor():
    review = approved()
    assert services.review_vote_helpful(review=review, visitor_hash="v1")[:2] == (True, 1)
    assert services.review_vote_helpful(review=review, visitor_hash="v1")[:2] == (False, 1)
    assert services.review_vote_helpful(review=review, visitor_hash="v2")[:2] == (True, 2)
    assert ReviewVote.objects.count() == 2


def test_helpful_vote_on_a_pending_review_is_refused():
    review = make_review()
    with pytest.raises(Review.DoesNotExist):
        services.review_vote_helpful(review=review, visitor_hash="v1")
    assert not ReviewVote.objects.exists()


# Concurrency (PostgreSQL: SQLite serialises writers, so it proves nothing there)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(REVIEW_VOTE_BURST_LIMIT=1000)
def test_fifty_parallel_helpful_votes_count_fifty(on_postgres):
    review = approved()
    errors = run_in_threads(
        50, lambda n: services.review_vote_helpful(review=review, visitor_hash=f"visitor-{n}")
    )
    assert errors == []
    review.refresh_from_db()
    assert review.helpful_count == 50
    assert ReviewVote.objects.filter(review=review).count() == 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_submissions_store_twenty_pending_reviews(on_postgres):
    indication = make_indication()

    def send(n):
        # Each submission is sent twice at once (a double click): one must be stored.
        token = f"token-{n:04d}-" + "k" * 20
        submit(
            indication=indication,
            body=f"{BODY} Patient number {n}.",
            visitor_hash=f"visitor-{n}",
            submission_token=token,
        )

    errors = run_in_threads(40, lambda n: send(n % 20))
    assert errors == []
    assert Review.objects.pending().count() == 20
    assert Review.objects.values("submission_token").distinct().count() == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_moderation_keeps_figures_true(on_postgres, moderator):
    indication = make_indication()
    reviews = [make_review(indication=indication, rating=1 + n % 10) for n in range(20)]
    errors = run_in_threads(
        20, lambda n: services.review_approve(review=reviews[n], moderator=moderator)
    )
    assert errors == []
    assert DrugRating.objects.get(drug=indication.drug).review_count == 20
    assert_figures_true()
