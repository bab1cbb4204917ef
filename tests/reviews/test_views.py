import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drugs.models import PublicationStatus
from reviews import services
from reviews.forms import submission_token_issue
from reviews.models import Review, ReviewReport
from tests.factories import make_drug, make_indication, make_review

from .figures import assert_figures_true

pytestmark = pytest.mark.django_db

BODY = "Three months in, my skin is much clearer. Dry lips were the worst part of it."


def approve_all():
    services.reviews_approve(queryset=Review.objects.pending(), moderator=None)


def drug_reviews_url(drug, **query):
    url = reverse("reviews:drug-reviews", kwargs={"slug": drug.slug})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def indication_reviews_url(indication):
    return reverse(
        "reviews:indication-reviews",
        kwargs={"drug_slug": indication.drug.slug, "condition_slug": indication.condition.slug},
    )


def create_url(drug):
    return reverse("reviews:review-create", kwargs={"slug": drug.slug})


def form_data(indication, **overrides):
    data = {
        "condition": indication.condition.slug,
        "rating": "8",
        "body": BODY,
        "token": submission_token_issue(),
        "website": "",
    }
    data.update(overrides)
    return data


# Reading


def test_drug_reviews_show_approved_reviews_only(client):
    indication = make_indication()
    make_review(indication=indication, body="An approved experience, written at length here.")
    approve_all()
    make_review(indication=indication, body="A pending experience that must stay hidden.")
    make_review(
        indication=indication,
        body="A rejected experience that must stay hidden.",
        status=Review.Status.REJECTED,
    )
    response = client.get(drug_reviews_url(indication.drug))
    assert response.status_code == 200
    assert b"An approved experience" in response.content
    assert b"pending experience" not in response.content
    assert b"rejected experience" not in response.content


def test_indication_reviews_show_only_that_condition(client):
    drug = make_drug()
    acne, rosacea = make_indication(drug=drug), make_indication(drug=drug)
    make_review(indication=acne, body="About acne: it cleared up after four months.")
    make_review(indication=rosacea, body="About rosacea: the redness faded slowly.")
    approve_all()
    response = client.get(indication_reviews_url(acne))
    assert response.status_code == 200
    assert b"About acne" in response.content
    assert b"About rosacea" not in response.content


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, PublicationStatus.ARCHIVED])
def test_review_pages_of_unpublished_content_are_not_found(client, status):
    drug = make_drug(status=status)
    indication = make_indication(drug=make_drug(), status=status)
    assert client.get(drug_reviews_url(drug)).status_code == 404
    assert client.get(indication_reviews_url(indication)).status_code == 404
    assert client.get(create_url(drug)).status_code == 404


def test_review_pages_of_unknown_drugs_or_conditions_are_not_found(client):
    indication = make_indication()
    assert client.get("/drugs/no-such-drug/reviews/").status_code == 404
    assert client.get(f"/drugs/{indication.drug.slug}/for/no-such/reviews/").status_code == 404
    # NUL in a path is refused before any view runs (pages.middleware).
    assert client.get("/drugs/%00/reviews/").status_code == 400
    assert client.get("/drugs/no-such-drug/reviews/new/").status_code == 404


def _ordered_bodies(client, drug, **query):
    response = client.get(drug_reviews_url(drug, **query))
    assert response.status_code == 200
    return [review.body for review in response.context["reviews"]]


def test_review_list_sorts(client):
    indication = make_indication()
    low = make_review(indication=indication, rating=2, body="low " * 12)
    high = make_review(indication=indication, rating=10, body="high " * 12)
    mid = make_review(indication=indication, rating=6, body="mid " * 12)
    approve_all()
    Review.objects.filter(pk=mid.pk).update(helpful_count=5)
    drug = indication.drug
    assert _ordered_bodies(client, drug, sort="highest") == [high.body, mid.body, low.body]
    assert _ordered_bodies(client, drug, sort="lowest") == [low.body, mid.body, high.body]
    assert _ordered_bodies(client, drug, sort="newest") == [mid.body, high.body, low.body]
    assert _ordered_bodies(client, drug, sort="helpful")[0] == mid.body
    assert _ordered_bodies(client, drug)[0] == mid.body
    assert _ordered_bodies(client, drug, rating=10) == [high.body]


@pytest.mark.parametrize(
    "query",
    [
        "sort=rating",
        "sort=-id",
        "ordering=x&sort=__",
        "rating=0",
        "rating=11",
        "rating=ten",
        "rating=-1",
        "rating=%C2%B2",
        "rating=%D9%A1",
        "rating=%00",
        "rating=" + "9" * 400,
        "sort=%00",
    ],
)
def test_review_list_refuses_bad_sort_or_rating_with_400(client, query):
    drug = make_drug()
    response = client.get(drug_reviews_url(drug) + "?" + query)
    assert response.status_code == 400


@pytest.mark.parametrize("page", ["0", "999", "abc", "-1"])
def test_review_list_bad_page_is_not_found(client, page):
    indication = make_indication()
    make_review(indication=indication)
    approve_all()
    assert client.get(drug_reviews_url(indication.drug, page=page)).status_code == 404


def test_review_list_paginates_with_the_stored_count(client):
    indication = make_indication()
    for n in range(25):
        make_review(indication=indication, rating=1 + n % 10, body=f"Review number {n} " * 4)
    approve_all()
    response = client.get(drug_reviews_url(indication.drug, page=2))
    assert response.status_code == 200
    assert len(response.context["reviews"]) == 5
    assert response.context["paginator"].count == 25
    assert b"Page 2 of 2" in response.content
    filtered = client.get(drug_reviews_url(indication.drug, rating=3))
    assert filtered.context["paginator"].count == 3


def test_review_text_is_shown_escaped_with_line_breaks(client):
    indication = make_indication()
    make_review(
        indication=indication,
        body="<script>alert('x')</script> line one\nline two 😀 هذا جيد",
        nickname="<b>Sam</b>",
    )
    approve_all()
    content = client.get(drug_reviews_url(indication.drug)).content.decode()
    assert "<script>alert" not in content
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; line one<br>line two 😀 هذا جيد"
        in content
    )
    assert "&lt;b&gt;Sam&lt;/b&gt;" in content


def test_rating_summary_shows_average_bars_positive_share_and_small_sample_note(client):
    indication = make_indication()
    for rating in (10, 8, 3):
        make_review(indication=indication, rating=rating, effectiveness=4, body=f"{rating} " * 20)
    approve_all()
    content = client.get(drug_reviews_url(indication.drug)).content.decode()
    assert "7.0</strong> out of 10 on average from 3 reviews" in content
    assert "67% of reviewers gave a positive rating" in content
    assert "Small sample" in content
    assert "1 (33%)" in content
    assert "Effectiveness" in content and "4.0 out of 5" in content
    assert "personal experiences, not medical advice" in content


def test_rating_summary_drops_the_small_sample_note_from_ten_reviews(client):
    indication = make_indication()
    for n in range(10):
        make_review(indication=indication, body=f"Experience {n} " * 5)
    approve_all()
    content = client.get(drug_reviews_url(indication.drug)).content.decode()
    assert "Small sample" not in content


def test_review_list_queries_do_not_grow_with_reviews_or_conditions(client):
    drug = make_drug()
    indication = make_indication(drug=drug)
    make_review(indication=indication)
    approve_all()
    urls = [drug_reviews_url(drug), indication_reviews_url(indication)]
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        few[url] = len(queries)
    for n in range(30):
        make_review(indication=indication, rating=1 + n % 10, effectiveness=3, body=f"R{n} " * 20)
    for _ in range(5):
        other = make_indication(drug=drug)
        make_review(indication=other, body="Another condition entirely, at some length.")
    make_review(drug=drug, other_condition="Something unlisted", body="Unlisted " * 10)
    approve_all()
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == few[url], url
        assert len(queries) <= 4


# Writing


def test_review_form_offers_the_drugs_live_conditions_and_other(client):
    drug = make_drug()
    live = make_indication(drug=drug)
    draft = make_indication(drug=drug, status=PublicationStatus.DRAFT)
    response = client.get(create_url(drug))
    assert response.status_code == 200
    choices = dict(response.context["form"].fields["condition"].choices)
    assert live.condition.slug in choices
    assert draft.condition.slug not in choices
    assert "other" in choices
    preselected = client.get(create_url(drug) + f"?condition={live.condition.slug}")
    assert preselected.context["form"].initial["condition"] == live.condition.slug
    assert client.get(create_url(drug) + "?condition=nope").status_code == 404
    assert client.get(create_url(drug) + f"?condition={draft.condition.slug}").status_code == 404


def test_review_form_fields_are_labelled_and_errors_tied_to_fields(client):
    indication = make_indication()
    response = client.post(create_url(indication.drug), form_data(indication, rating=""))
    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_rating_error"' in content
    assert 'aria-describedby="id_rating_error' in content
    assert '<label for="id_body">' in content


def test_sending_a_review_stores_it_pending_and_confirms(client):
    indication = make_indication()
    response = client.post(create_url(indication.drug), form_data(indication))
    assert response.status_code == 303
    assert response["Location"] == reverse(
        "reviews:review-thanks", kwargs={"slug": indication.drug.slug}
    )
    review = Review.objects.get()
    assert review.status == Review.Status.PENDING
    assert review.indication == indication
    assert review.visitor_hash == services.visitor_hash(response.wsgi_request)
    thanks = client.get(response["Location"])
    assert b"waiting for moderation" in thanks.content
    # Pending reviews are shown nowhere.
    assert BODY.encode() not in client.get(drug_reviews_url(indication.drug)).content


def test_sending_a_review_with_optional_fields_and_another_condition(client):
    indication = make_indication()
    data = form_data(
        indication,
        condition="other",
        other_condition="Hidradenitis suppurativa",
        effectiveness="4",
        ease_of_use="5",
        satisfaction="3",
        duration="1to6m",
        age_range="25-34",
        sex="female",
        role="carer",
        nickname="  Jo  ",
    )
    assert client.post(create_url(indication.drug), data).status_code == 303
    review = Review.objects.get()
    assert review.indication is None
    assert review.other_condition == "Hidradenitis suppurativa"
    assert (review.effectiveness, review.ease_of_use, review.satisfaction) == (4, 5, 3)
    assert review.nickname == "Jo"
    assert review.role == "carer"


def test_a_double_submit_stores_one_review_and_confirms_both_times(client):
    indication = make_indication()
    data = form_data(indication)
    first = client.post(create_url(indication.drug), data)
    second = client.post(create_url(indication.drug), data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Review.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rating", "0", "rating from 1 to 10"),
        ("rating", "11", "rating from 1 to 10"),
        ("rating", "ten", "rating from 1 to 10"),
        ("rating", "", "rating from 1 to 10"),
        ("body", "", "write about your experience"),
        ("body", "   \n\t  ", "write about your experience"),
        ("body", "Too short.", "at least 40 characters"),
        ("body", "x" * 100_000, "at most 5000 characters"),
        ("condition", "not-a-condition", "choose a condition from the list"),
        ("condition", "", "choose the condition"),
        ("effectiveness", "6", "Select a valid choice"),
        ("sex", "unknown", "Select a valid choice"),
        ("nickname", "n" * 51, "at most 50 characters"),
        ("token", "forged", "expired or was altered"),
    ],
)
def test_bad_review_input_gets_a_form_error_and_saves_nothing(client, field, value, message):
    indication = make_indication()
    response = client.post(create_url(indication.drug), form_data(indication, **{field: value}))
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert not Review.objects.exists()


def test_a_review_with_nul_is_a_bad_request_and_saves_nothing(client):
    # Refused before the view runs (pages.middleware); the form refuses NUL as well.
    indication = make_indication()
    response = client.post(create_url(indication.drug), form_data(indication, body=BODY + "\x00"))
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_missing_rating_field_gets_a_form_error(client):
    indication = make_indication()
    data = form_data(indication)
    del data["rating"]
    response = client.post(create_url(indication.drug), data)
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_another_condition_needs_a_name(client):
    indication = make_indication()
    response = client.post(create_url(indication.drug), form_data(indication, condition="other"))
    assert response.status_code == 400
    assert b"Please name the condition" in response.content


@pytest.mark.parametrize(
    "body",
    [
        "<p>Worked well</p><script>alert(1)</script> for my skin after about ten weeks of use.",
        "😀😀 Worked really well for me, my skin is clear now and I feel so much better 👍",
        "הטיפול עזר לי מאוד, העור שלי נקי יותר אחרי שלושה חודשים של טיפול יומיומי",
    ],
)
def test_html_emoji_and_right_to_left_text_are_accepted_as_plain_text(client, body):
    indication = make_indication()
    response = client.post(create_url(indication.drug), form_data(indication, body=body))
    assert response.status_code == 303
    assert Review.objects.get().body == body


def test_the_same_text_twice_for_a_drug_is_refused(client):
    indication = make_indication()
    client.post(create_url(indication.drug), form_data(indication))
    response = client.post(create_url(indication.drug), form_data(indication))
    assert response.status_code == 400
    assert b"same text has already been sent" in response.content
    assert Review.objects.count() == 1


def test_honeypot_submissions_look_accepted_but_store_nothing(client):
    indication = make_indication()
    data = form_data(indication, website="http://spam.example")
    response = client.post(create_url(indication.drug), data)
    assert response.status_code == 303
    assert not Review.objects.exists()


def test_review_form_needs_a_csrf_token():
    indication = make_indication()
    client = Client(enforce_csrf_checks=True)
    response = client.post(create_url(indication.drug), form_data(indication))
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_the_sixth_review_within_an_hour_is_refused_with_429(client):
    limit = settings.REVIEW_SUBMIT_LIMIT_PER_VISITOR
    indication = make_indication()
    for n in range(limit):
        data = form_data(indication, body=f"{BODY} Entry number {n}.")
        assert client.post(create_url(indication.drug), data).status_code == 303
    response = client.post(create_url(indication.drug), form_data(indication, body=BODY + " 6"))
    assert response.status_code == 429
    assert b"try again later" in response.content
    assert Review.objects.count() == limit


# Voting


def helpful_url(review):
    return reverse("reviews:review-helpful", kwargs={"pk": review.pk})


def test_helpful_vote_without_javascript_redirects_back_to_the_review(client):
    review = make_review()
    approve_all()
    response = client.post(helpful_url(review), {"next": "//evil.example/x"})
    assert response.status_code == 303
    assert response["Location"].endswith(f"#review-{review.pk}")
    review.refresh_from_db()
    assert review.helpful_count == 1


def test_helpful_vote_with_javascript_gets_json_and_counts_once(client):
    review = make_review()
    approve_all()
    first = client.post(helpful_url(review), HTTP_ACCEPT="application/json")
    second = client.post(helpful_url(review), HTTP_ACCEPT="application/json")
    assert first.json() == {"counted": True, "helpful_count": 1, "status": "counted"}
    assert second.json() == {"counted": False, "helpful_count": 1, "status": "already_voted"}


def test_helpful_vote_needs_a_csrf_token_even_without_origin_or_referer():
    review = make_review()
    approve_all()
    browser = Client(enforce_csrf_checks=True)
    for headers in ({}, {"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_REFERER": "null"}):
        response = browser.post(helpful_url(review), HTTP_ACCEPT="application/json", **headers)
        assert response.status_code == 403
    review.refresh_from_db()
    assert review.helpful_count == 0
    assert not review.votes.exists()


def test_vote_script_gets_a_token_for_this_visitor_and_its_vote_counts():
    review = make_review()
    approve_all()
    browser = Client(enforce_csrf_checks=True)
    token = browser.get(helpful_url(review), HTTP_ACCEPT="application/json").json()["csrf_token"]
    response = browser.post(
        helpful_url(review), HTTP_ACCEPT="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.json()["counted"] is True
    review.refresh_from_db()
    assert review.helpful_count == 1


def test_vote_without_script_confirms_on_a_page_with_a_token():
    review = make_review()
    approve_all()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(helpful_url(review), {"next": "//evil.example/x"})
    assert page.status_code == 200
    assert b"csrfmiddlewaretoken" in page.content
    assert b"evil.example" not in page.content
    token = page.context["csrf_token"]
    response = browser.post(helpful_url(review), {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 303
    assert response["Location"].endswith(f"#review-{review.pk}")
    review.refresh_from_db()
    assert review.helpful_count == 1


def test_helpful_vote_on_unapproved_or_unknown_reviews_is_not_found(client):
    pending = make_review()
    assert client.post(helpful_url(pending)).status_code == 404
    assert client.post("/reviews/999999/helpful/").status_code == 404
    assert client.post(f"/reviews/{10**30}/helpful/").status_code == 404
    assert client.get(helpful_url(pending)).status_code == 404


# Reporting


def report_url(review):
    return reverse("reviews:review-report", kwargs={"pk": review.pk})


def test_one_report_is_recorded_for_moderators_and_the_review_stays_up(client):
    review = make_review(rating=9)
    approve_all()
    assert client.get(report_url(review)).status_code == 200
    response = client.post(report_url(review), {"reason": "personal", "details": "A name."})
    assert response.status_code == 303
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert review.report_count == 1
    assert ReviewReport.objects.get().details == "A name."
    assert_figures_true()


def test_report_needs_a_valid_reason(client):
    review = make_review()
    approve_all()
    response = client.post(report_url(review), {"reason": "because"})
    assert response.status_code == 400
    assert b"choose a reason" in response.content.lower()
    assert not ReviewReport.objects.exists()


def test_reporting_unapproved_or_unknown_reviews_is_not_found(client):
    pending = make_review()
    assert client.get(report_url(pending)).status_code == 404
    assert client.post(report_url(pending), {"reason": "spam"}).status_code == 404
    assert client.get("/reviews/999999/report/").status_code == 404
    assert client.get(f"/reviews/{10**30}/report/").status_code == 404


def test_review_pages_carry_no_inline_script_or_style(client):
    import re

    indication = make_indication()
    review = make_review(indication=indication, body="Some <b>bold</b> claim, written at length.")
    approve_all()
    urls = [
        drug_reviews_url(indication.drug),
        indication_reviews_url(indication),
        create_url(indication.drug),
        reverse("reviews:review-thanks", kwargs={"slug": indication.drug.slug}),
        report_url(review),
        indication.get_absolute_url(),
    ]
    for url in urls:
        content = client.get(url).content.decode()
        assert " style=" not in content, url
        assert "<style" not in content, url
        # Scripts are files; JSON-LD blocks are data, which the policy allows.
        inline = [
            tag
            for tag in re.findall(r"<script\b[^>]*>", content)
            if "src=" not in tag and "application/ld+json" not in tag
        ]
        assert inline == [], url
