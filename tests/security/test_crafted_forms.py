"""Hostile submissions to every public form: a form error or a 4xx, and nothing half-saved."""

from urllib.parse import urlencode

import pytest
from django.test import Client

from reviews.forms import submission_token_issue
from reviews.models import Review, ReviewReport

from .crafted import assert_vote_counters_equal_rows, build_world, stored_rows

pytestmark = pytest.mark.django_db

BODY = "Four months in, my skin is clearer; dry lips and a sore back were the price."


@pytest.fixture
def world():
    return build_world()


def review_form(world, **overrides):
    data = {
        "condition": world.indication.condition.slug,
        "rating": "8",
        "body": BODY,
        "token": submission_token_issue(),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def create_url(world):
    return f"/drugs/{world.drug.slug}/reviews/new/"


REVIEW_ATTACKS = [
    pytest.param({"token": None}, id="no-token"),
    pytest.param({"token": "forged"}, id="forged-token"),
    pytest.param({"token": "a" * 5000}, id="huge-token"),
    pytest.param({"token": submission_token_issue() + "x"}, id="altered-token"),
    pytest.param({"rating": None}, id="no-rating"),
    pytest.param({"rating": "0"}, id="rating-zero"),
    pytest.param({"rating": "11"}, id="rating-eleven"),
    pytest.param({"rating": "99999999999999999999"}, id="rating-huge"),
    pytest.param({"rating": "-1"}, id="rating-negative"),
    pytest.param({"rating": "8.5"}, id="rating-fraction"),
    pytest.param({"rating": "\u0668"}, id="rating-arabic-digit"),
    pytest.param({"effectiveness": "6"}, id="sub-rating-out-of-range"),
    pytest.param({"effectiveness": "99999999999999999999"}, id="sub-rating-huge"),
    pytest.param({"condition": None}, id="no-condition"),
    pytest.param({"condition": "no-such-condition"}, id="unknown-condition"),
    pytest.param({"condition": "other", "other_condition": ""}, id="other-without-name"),
    pytest.param({"condition": "other", "other_condition": "x" * 1000}, id="other-huge"),
    pytest.param({"body": None}, id="no-body"),
    pytest.param({"body": "too short"}, id="body-short"),
    pytest.param({"body": "x" * 100_000}, id="body-huge"),
    pytest.param({"body": " \t\n " * 50}, id="body-blank"),
    pytest.param({"nickname": "n" * 500}, id="nickname-huge"),
    pytest.param({"duration": "forever"}, id="duration-unknown"),
    pytest.param({"sex": "__all__"}, id="sex-unknown"),
    pytest.param({"age_range": "' OR 1=1--"}, id="age-injection"),
]


@pytest.mark.parametrize("overrides", REVIEW_ATTACKS)
def test_a_bad_review_submission_is_a_form_error_and_stores_nothing(client, world, overrides):
    before = stored_rows()
    response = client.post(create_url(world), review_form(world, **overrides))
    assert response.status_code == 400
    assert b"form-errors" in response.content or b"form-field__error" in response.content
    assert stored_rows() == before


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({"status": "approved"}, id="status"),
        pytest.param({"helpful_count": "999"}, id="helpful-count"),
        pytest.param({"visitor_hash": "x"}, id="visitor-hash"),
        pytest.param({"drug": "1", "indication": "1"}, id="foreign-keys"),
        pytest.param({"submitted_at": "2000-01-01"}, id="timestamp"),
    ],
)
def test_unknown_fields_cannot_set_what_a_visitor_may_not(client, world, extra):
    response = client.post(create_url(world), review_form(world, **extra))
    assert response.status_code == 303
    review = Review.objects.get(body=BODY)
    assert review.status == Review.Status.PENDING
    assert review.helpful_count == 0
    assert review.visitor_hash != "x"


def test_a_double_click_stores_one_review_not_two(client, world):
    data = review_form(world)
    first = client.post(create_url(world), data)
    second = client.post(create_url(world), data)
    assert first.status_code == second.status_code == 303
    assert Review.objects.filter(body=BODY).count() == 1


def test_repeated_values_in_a_review_form_are_answered_without_error(client, world):
    data = review_form(world)
    data["rating"] = ["8", "not-a-number"]
    data["condition"] = [world.indication.condition.slug, "no-such"]
    response = client.post(create_url(world), data)
    # QueryDict.get reads the last value: here an invalid one, so a form error.
    assert response.status_code == 400
    assert not Review.objects.filter(body=BODY).exists()


def test_a_honeypot_submission_looks_accepted_and_stores_nothing(client, world):
    before = stored_rows()
    response = client.post(create_url(world), review_form(world, website="http://spam.example"))
    assert response.status_code == 303
    assert stored_rows() == before


def test_a_review_form_without_a_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    before = stored_rows()
    response = client.post(create_url(world), review_form(world))
    assert response.status_code == 403
    assert stored_rows() == before


@pytest.mark.parametrize(
    "condition", ["%00", "no-such", "x" * 300, "%ED%A0%80", "other&condition=acne"]
)
def test_a_crafted_condition_in_the_form_link_is_a_4xx(client, world, condition):
    response = client.get(f"{create_url(world)}?condition={condition}")
    assert response.status_code in {400, 404}


def vote_url(pk):
    return f"/reviews/{pk}/helpful/"


@pytest.mark.parametrize(
    "pk", ["99999999999999999999", "9223372036854775808", "2147483648", "0", "999999"]
)
def test_a_vote_for_a_review_that_cannot_exist_is_not_found(client, world, pk):
    before = stored_rows()
    response = client.post(vote_url(pk))
    assert response.status_code == 404
    assert stored_rows() == before


def test_a_vote_for_a_pending_review_is_not_found(client, world):
    world.review.status = Review.Status.PENDING
    world.review.save()
    assert client.post(vote_url(world.review.pk)).status_code == 404
    assert stored_rows()["reviews.ReviewVote"] == 0


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"HTTP_ORIGIN": "https://evil.example"}, id="foreign-origin"),
        pytest.param({"HTTP_REFERER": "https://evil.example/page"}, id="foreign-referer"),
        pytest.param({"HTTP_ORIGIN": "null"}, id="null-origin"),
        pytest.param({}, id="neither-origin-nor-referer"),
    ],
)
def test_cross_site_votes_are_refused(world, headers):
    # A browser enforcing CSRF, as real ones are: without this site's token nothing counts.
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(vote_url(world.review.pk), **headers)
    assert response.status_code == 403
    assert stored_rows()["reviews.ReviewVote"] == 0


@pytest.mark.parametrize(
    "next_url", ["//evil.example/", "javascript:alert(1)", "https://evil.example/", "\\\\evil"]
)
def test_a_vote_never_redirects_off_site(client, world, next_url):
    response = client.post(vote_url(world.review.pk), {"next": next_url})
    assert response.status_code == 303
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith("//")


def test_repeated_votes_count_once_and_counters_equal_rows(client, world):
    for _ in range(5):
        client.post(vote_url(world.review.pk), HTTP_ACCEPT="application/json")
    world.review.refresh_from_db()
    assert world.review.helpful_count == 1
    assert_vote_counters_equal_rows()


def report_url(pk):
    return f"/reviews/{pk}/report/"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({}, id="empty"),
        pytest.param({"reason": "no-such-reason"}, id="unknown-reason"),
        pytest.param({"reason": ["spam", "x"] * 50}, id="repeated-reason"),
        pytest.param({"reason": "spam", "details": "d" * 10_000}, id="details-huge"),
    ],
)
def test_a_bad_report_is_a_form_error_and_stores_nothing(client, world, data):
    before = stored_rows()
    response = client.post(report_url(world.review.pk), data)
    assert response.status_code == 400
    assert stored_rows() == before
    world.review.refresh_from_db()
    assert world.review.status == Review.Status.APPROVED


@pytest.mark.parametrize("pk", ["99999999999999999999", "0"])
def test_a_report_of_a_review_that_cannot_exist_is_not_found(client, world, pk):
    response = client.post(report_url(pk), {"reason": "spam"})
    assert response.status_code == 404
    assert not ReviewReport.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("username", "editor\u0000"),
        ("username", "x" * 10_000),
        ("password", "x" * 10_000),
        ("next", "\u0000"),
        ("username", "' OR 1=1--"),
    ],
)
def test_crafted_sign_in_forms_are_refused_without_error(client, world, field, value):
    data = {"username": "editor", "password": "wrong"}
    data[field] = value
    for encoding in ("multipart", "urlencoded"):
        if encoding == "multipart":
            response = client.post("/admin/login/", data)
        else:
            body = urlencode(data)
            response = client.post(
                "/admin/login/", body, content_type="application/x-www-form-urlencoded"
            )
        assert response.status_code in {200, 400}, encoding
        assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "query",
    ["q=%00", "q=" + "a" * 5000, "q=%25%25%25", "q=a&q=b&page=x", "q=%F0%9F%92%8A", "q=a:*|!&"],
)
def test_crafted_searches_are_answered_without_error(client, world, query):
    for url in ["/search/", "/search/autocomplete/"]:
        response = client.get(f"{url}?{query}")
        assert response.status_code in {200, 400}, (url, query, response.status_code)
