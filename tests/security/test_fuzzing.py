"""Property-based fuzzing of every public query parameter and form (bounded for CI)."""

import itertools
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .crafted import HANDLED, build_world, stored_rows

pytestmark = pytest.mark.django_db

_readers = itertools.count(1)

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Every query parameter some page reads, and a few that none should honour.
PARAMETERS = [
    "q",
    "page",
    "letter",
    "sort",
    "rating",
    "condition",
    "next",
    "ordering",
    "o",
    "format",
    "status",
    "owner__password__startswith",
]

# Raw bytes, so invalid UTF-8 and NUL get through the test client untouched.
raw_values = st.one_of(
    st.binary(max_size=40),
    st.text(max_size=40).map(lambda text: text.encode("utf-8")),
    st.integers(min_value=-(2**70), max_value=2**70).map(lambda n: str(n).encode()),
    st.sampled_from([b"", b"0", b"-1", b"1e999", b"last", b"A", b"0-9", b"other", b"newest"]),
)


def is_text(raw):
    try:
        return "\x00" not in raw.decode("utf-8")
    except UnicodeDecodeError:
        return False


@pytest.fixture
def world():
    return build_world()


@FUZZ
@given(
    pairs=st.lists(st.tuples(st.sampled_from(PARAMETERS), raw_values), min_size=1, max_size=4),
    index=st.integers(min_value=0),
)
def test_no_query_string_makes_any_public_page_fail(world, pairs, index):
    url = world.urls[index % len(world.urls)]
    query = "&".join(f"{name}={quote_from_bytes(value, safe='')}" for name, value in pairs)
    before = stored_rows()

    response = Client().get(f"{url}?{query}")

    assert response.status_code in HANDLED, (url, query, response.status_code)
    if not all(is_text(value) for _, value in pairs):
        assert response.status_code == 400, (url, query)
    assert stored_rows() == before


@FUZZ
@given(segment=st.binary(min_size=1, max_size=60), index=st.integers(min_value=0))
def test_no_path_segment_makes_any_public_page_fail(world, segment, index):
    url = world.urls[index % len(world.urls)]
    crafted = url.replace(world.drug.slug, quote_from_bytes(segment, safe=""), 1)
    response = Client().get(crafted)
    assert response.status_code in HANDLED, (crafted, response.status_code)


@FUZZ
@given(
    headers=st.dictionaries(
        st.sampled_from(
            [
                "HTTP_X_FORWARDED_FOR",
                "HTTP_USER_AGENT",
                "HTTP_ACCEPT",
                "HTTP_REFERER",
                "HTTP_ORIGIN",
                "HTTP_COOKIE",
                "HTTP_IF_NONE_MATCH",
                "HTTP_IF_MODIFIED_SINCE",
            ]
        ),
        st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=255), max_size=60),
        max_size=4,
    ),
    index=st.integers(min_value=0),
)
def test_no_header_makes_any_public_page_fail(world, headers, index):
    url = world.urls[index % len(world.urls)]
    response = Client().get(url, **headers)
    assert response.status_code in HANDLED, (url, headers, response.status_code)


form_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", "8", "other", "0", "11", "99999999999999999999", "spam", "\x00"]),
)


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            name: form_text
            for name in [
                "condition",
                "other_condition",
                "rating",
                "body",
                "effectiveness",
                "ease_of_use",
                "satisfaction",
                "duration",
                "age_range",
                "sex",
                "role",
                "nickname",
                "website",
                "status",
            ]
        },
    ),
    valid_token=st.booleans(),
)
def test_review_form_fuzz_is_stored_whole_or_not_at_all(world, data, valid_token):
    from reviews.forms import submission_token_issue
    from reviews.models import Review

    if valid_token:
        data["token"] = submission_token_issue()
    before = Review.objects.count()

    response = Client().post(f"/drugs/{world.drug.slug}/reviews/new/", data)

    assert response.status_code in {303, 400, 429}, (data, response.status_code)
    stored = Review.objects.count() - before
    if response.status_code == 303 and not data.get("website"):
        assert stored == 1
        review = Review.objects.latest("pk")
        assert review.status == Review.Status.PENDING
        assert review.body == data["body"].strip()
    else:
        assert stored == 0


@FUZZ
@given(reason=form_text, details=form_text)
def test_report_form_fuzz_is_stored_whole_or_not_at_all(world, reason, details):
    from reviews.models import ReviewReport

    before = ReviewReport.objects.count()
    # A new reader each time (one visitor reports a review once), all in one network,
    # so together they count as one reporter and never hide the review.
    reader = f"2001:db8:0:{next(_readers):x}::1"
    response = Client(REMOTE_ADDR=reader).post(
        f"/reviews/{world.review.pk}/report/", {"reason": reason, "details": details}
    )
    assert response.status_code in {303, 400, 404}, response.status_code
    assert ReviewReport.objects.count() - before == (1 if response.status_code == 303 else 0)


@FUZZ
@given(query=form_text, page=form_text)
def test_search_fuzz_never_fails(world, query, page):
    for url in ["/search/", "/search/autocomplete/"]:
        response = Client().get(url, {"q": query, "page": page})
        assert response.status_code in {200, 400}, (url, query, page, response.status_code)
