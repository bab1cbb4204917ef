"""A write renders the cached pages it changes before it commits: readers find them current."""

import time

import pytest

from caching import figures_key, generation, row_key
from editorial import services as editorial
from reviews import services
from tests.caching.test_dependencies import drug_pages, warm
from tests.drugs.test_views import full_indication
from tests.factories import make_drug, make_review, make_staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.page_cache,
    pytest.mark.page_refresh,
]


@pytest.fixture(params=["memory", "redis"], autouse=True)
def backend(request):
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return request.param


def fresh(client, settings, url):
    settings.PAGE_CACHE_ENABLED = False
    try:
        return client.get(url).content
    finally:
        settings.PAGE_CACHE_ENABLED = True


def publish_title(indication, title):
    """An editor retitles the article; another member of staff signs it off and publishes."""
    editor, reviewer = make_staff(is_superuser=True), make_staff(is_superuser=True)
    with editorial.page_editing(page=indication, user=editor) as change:
        indication.title = title
        indication.save()
        change.saved = True
    editorial.page_sign_off_and_publish(page=indication, user=reviewer)


def test_an_approval_leaves_the_pages_it_changes_cached_and_current(client, settings):
    indication = full_indication()
    review = make_review(indication=indication, body="Clearer skin after ten weeks of use.")
    urls = drug_pages(indication)
    warm(client, urls)

    services.review_approve(review=review, moderator=None)

    served = [client.get(url) for url in urls]
    assert [response["X-Cache"] for response in served] == ["hit"] * len(urls)
    assert [response.content for response in served] == [fresh(client, settings, u) for u in urls]
    assert b"Clearer skin after ten weeks" in served[4].content


def test_a_published_title_is_on_the_cached_pages_at_once(client, settings):
    indication = full_indication()
    urls = [indication.get_absolute_url(), indication.drug.get_absolute_url()]
    warm(client, urls)

    publish_title(indication, "Isotretinoin and psoriasis: what the evidence says")

    served = [client.get(url) for url in urls]
    assert [response["X-Cache"] for response in served] == ["hit", "hit"]
    assert b"what the evidence says" in served[0].content
    assert [response.content for response in served] == [fresh(client, settings, u) for u in urls]


def test_pages_are_refreshed_as_asked_for_with_their_host_port_and_query(client, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    indication = full_indication()
    review = make_review(indication=indication, body="Clearer skin after ten weeks of use.")
    url = drug_pages(indication)[2] + "?sort=newest"
    client.get(url, HTTP_HOST="localhost:8000")

    services.review_approve(review=review, moderator=None)

    response = client.get(url, HTTP_HOST="localhost:8000")
    assert response["X-Cache"] == "hit"
    assert b"Clearer skin after ten weeks" in response.content
    assert b"localhost:8000" in response.content


def test_a_refreshed_page_nobody_read_is_left_cold_by_the_next_write(client):
    indication = full_indication()
    first, second = (make_review(indication=indication) for _ in range(2))
    url = drug_pages(indication)[0]
    warm(client, [url])

    services.review_approve(review=first, moderator=None)
    time.sleep(generation.CLOCK_MARGIN_NS / 1e9)
    services.review_approve(review=second, moderator=None)

    assert client.get(url)["X-Cache"] == "miss"


def test_a_refreshed_page_read_once_is_refreshed_again(client):
    indication = full_indication()
    first, second = (make_review(indication=indication) for _ in range(2))
    url = drug_pages(indication)[0]
    warm(client, [url])

    services.review_approve(review=first, moderator=None)
    assert client.get(url)["X-Cache"] == "hit"
    # A render beginning within the clock margin of a change is never stored.
    time.sleep(generation.CLOCK_MARGIN_NS / 1e9)
    services.review_approve(review=second, moderator=None)

    assert client.get(url)["X-Cache"] == "hit"


def test_the_pages_read_most_are_refreshed_first(client, settings):
    settings.PAGE_CACHE_REFRESH_PAGES = 1
    indication = full_indication()
    review = make_review(indication=indication)
    quiet, busy = drug_pages(indication)[:2]
    warm(client, [quiet, busy])
    for _ in range(5):
        client.get(busy)

    services.review_approve(review=review, moderator=None)

    assert client.get(busy)["X-Cache"] == "hit"
    assert client.get(quiet)["X-Cache"] == "miss"


def test_a_page_that_cannot_be_rendered_is_skipped_and_the_write_still_commits(client):
    from django.core.cache import cache

    from caching import refresh
    from reviews.models import Review

    indication = full_indication()
    review = make_review(indication=indication)
    url = drug_pages(indication)[0]
    warm(client, [url])
    # A page listed once, whose drug has gone since: it answers 404 now.
    refresh.register("http|page:testserver:/drugs/gone/", {figures_key(indication.drug)})

    services.review_approve(review=review, moderator=None)

    assert Review.objects.get(pk=review.pk).status == Review.Status.APPROVED
    assert client.get(url)["X-Cache"] == "hit"
    assert cache.get("page:testserver:/drugs/gone/") is None


def test_readers_writes_and_publishes_each_refresh_up_to_their_own_limit(client, settings):
    settings.PAGE_CACHE_REFRESH_PAGES, settings.PAGE_CACHE_PUBLISH_REFRESH_PAGES = 0, 2
    indication = full_indication()
    review = make_review(indication=indication)
    urls = [indication.get_absolute_url(), indication.drug.get_absolute_url()]
    warm(client, urls)

    services.review_approve(review=review, moderator=None)

    assert [client.get(url)["X-Cache"] for url in urls] == ["miss", "miss"]
    publish_title(indication, "Isotretinoin and psoriasis: what the evidence says")

    assert [client.get(url)["X-Cache"] for url in urls] == ["hit", "hit"]
    settings.PAGE_CACHE_PUBLISH_REFRESH_PAGES = 0
    publish_title(indication, "Isotretinoin for psoriasis")

    assert [client.get(url)["X-Cache"] for url in urls] == ["miss", "miss"]


def test_pages_another_write_cancelled_are_rendered_again_once_both_are_committed(
    client, settings, monkeypatch
):
    indication = full_indication()
    review = make_review(indication=indication, body="Clearer skin after ten weeks of use.")
    urls = drug_pages(indication)
    warm(client, urls)
    # A wide clock margin makes "another write committed just before" certain.
    monkeypatch.setattr(generation, "CLOCK_MARGIN_NS", 1_000_000_000)
    time.sleep(1.5)
    # Another write to the drug's figures commits as the approval begins: what the
    # approval renders before its commit may predate it, so none of it is stored.
    generation.move([figures_key(indication.drug)])

    services.review_approve(review=review, moderator=None)

    served = [client.get(url) for url in urls]
    assert [response["X-Cache"] for response in served] == ["hit"] * len(urls)
    assert [response.content for response in served] == [fresh(client, settings, u) for u in urls]
    assert b"Clearer skin after ten weeks" in served[4].content


def page(drug):
    return ("page:testserver:/x/", {row_key(drug), generation.SITE}, (None, b"x", {}, True))


def test_a_page_whose_key_moved_while_it_was_rendered_is_not_stored():
    drug = make_drug()
    rendered_from = time.time_ns()
    generation.move([row_key(drug)])

    assert generation.move(["listing:other"], [page(drug)], rendered_from) == []


def test_a_page_rendered_after_its_keys_last_moved_is_stored_with_the_new_versions():
    drug = make_drug()
    generation.move([row_key(drug)])
    time.sleep(generation.CLOCK_MARGIN_NS / 1e9)
    rendered_from = time.time_ns()

    stored = generation.move(["listing:other"], [page(drug)], rendered_from)

    assert stored == ["page:testserver:/x/"]
    site, _any, entry, found = generation.lookup("page:testserver:/x/", [row_key(drug)])
    assert entry[0] == {row_key(drug): found[row_key(drug)], generation.SITE: site}


def test_a_page_rendered_after_this_process_moved_its_keys_is_stored_at_once():
    drug = make_drug()
    moved_at = time.time_ns()
    generation.move([row_key(drug)], now=moved_at)
    rendered_from = time.time_ns()

    assert generation.store_rendered([page(drug)], rendered_from, moved_at) == [
        "page:testserver:/x/"
    ]
    _site, _any, entry, _found = generation.lookup("page:testserver:/x/")
    assert entry[0][row_key(drug)] == moved_at


def test_a_page_rendered_after_this_process_moved_is_not_stored_if_another_moved_since():
    drug = make_drug()
    moved_at = time.time_ns()
    generation.move([row_key(drug)], now=moved_at)
    rendered_from = time.time_ns()
    generation.move([row_key(drug)])

    assert generation.store_rendered([page(drug)], rendered_from, moved_at) == []
