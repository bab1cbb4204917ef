"""A change refreshes exactly the cached pages that show it; a cold page is rendered once."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from caching import invalidate, page_depends_on, row_key
from caching.dependencies import keys_from_context, page_dependencies
from caching.middleware import PageCacheMiddleware
from drugs.views import DrugDetailView
from reviews import services
from tests.factories import make_drug, make_drug_side_effect, make_indication, make_review

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]


def drug_pages(indication):
    drug = indication.drug
    return [
        drug.get_absolute_url(),
        reverse("drugs:drug-side-effects", kwargs={"slug": drug.slug}),
        reverse("reviews:drug-reviews", kwargs={"slug": drug.slug}),
        indication.get_absolute_url(),
        reverse(
            "reviews:indication-reviews",
            kwargs={"drug_slug": drug.slug, "condition_slug": indication.condition.slug},
        ),
        indication.condition.get_absolute_url(),
    ]


def warm(client, urls):
    for url in urls:
        client.get(url)
    states = [client.get(url)["X-Cache"] for url in urls]
    assert states == ["hit"] * len(urls)


def test_approving_a_review_of_one_drug_refreshes_only_that_drugs_pages(client):
    approved_for = make_indication(drug=make_drug(name="Alphazol"))
    untouched = make_indication(drug=make_drug(name="Betamab"))
    for indication in (approved_for, untouched):
        make_drug_side_effect(drug=indication.drug)
    review = make_review(indication=approved_for, body="Worked well after a month of use.")
    warm(client, drug_pages(approved_for) + drug_pages(untouched) + ["/drugs/?letter=b"])

    services.review_approve(review=review, moderator=None)

    assert [client.get(url)["X-Cache"] for url in drug_pages(approved_for)] == ["miss"] * 6
    assert [client.get(url)["X-Cache"] for url in drug_pages(untouched)] == ["hit"] * 6
    # A listing that does not show the drug keeps its cached copy.
    assert client.get("/drugs/?letter=b")["X-Cache"] == "hit"


def test_approving_a_review_refreshes_listings_of_its_figures_not_those_naming_the_drug(client):
    indication = make_indication(drug=make_drug(name="Alphazol"))
    review = make_review(indication=indication)
    condition_page = indication.condition.get_absolute_url()
    warm(client, ["/drugs/?letter=a", condition_page])

    services.review_approve(review=review, moderator=None)

    # The condition's list of drugs shows each one's rating; the A–Z list only its name.
    response = client.get(condition_page)
    assert response["X-Cache"] == "miss"
    assert "1 review" in response.content.decode()
    assert client.get("/drugs/?letter=a")["X-Cache"] == "hit"


def test_editing_one_article_leaves_other_drugs_pages_cached(client):
    edited = make_indication(tags=["acne"])
    other = make_indication(tags=["eczema"])
    warm(client, drug_pages(edited) + drug_pages(other))

    edited.title = "A clearer title for this article"
    edited.save()

    assert client.get(edited.get_absolute_url())["X-Cache"] == "miss"
    assert client.get(edited.drug.get_absolute_url())["X-Cache"] == "miss"
    assert [client.get(url)["X-Cache"] for url in drug_pages(other)] == ["hit"] * 6


def test_publishing_an_article_refreshes_articles_sharing_its_tags(client):
    from drugs.models import PublicationStatus

    page = make_indication(tags=["retinoid"])
    newcomer = make_indication(
        tags=["retinoid"], title="Newly published article", status=PublicationStatus.DRAFT
    )
    elsewhere = make_indication(tags=["antifungal"])
    warm(client, [page.get_absolute_url(), elsewhere.get_absolute_url()])

    newcomer.status = PublicationStatus.PUBLISHED
    newcomer.save()

    response = client.get(page.get_absolute_url())
    assert response["X-Cache"] == "miss"
    assert b"Newly published article" in response.content
    assert client.get(elsewhere.get_absolute_url())["X-Cache"] == "hit"


def test_a_page_depends_on_the_rows_its_context_loaded():
    drug = make_drug()
    indication = make_indication(drug=drug)
    from drugs.models import Indication

    loaded = Indication.objects.select_related("drug", "condition").filter(pk=indication.pk)
    list(loaded)
    unevaluated = Indication.objects.all()

    keys = keys_from_context({"indications": loaded, "later": unevaluated, "title": "x"})

    assert keys == {row_key(indication), row_key(drug), row_key(indication.condition)}


def test_rows_grouped_in_a_helper_object_are_dependencies_too():
    from drugs.models import DrugSideEffect, SideEffectGroups

    link = make_drug_side_effect()
    groups = SideEffectGroups(DrugSideEffect.objects.filter(pk=link.pk).for_page())

    keys = keys_from_context({"groups": groups})

    assert row_key(link.side_effect) in keys


def test_a_row_that_changes_only_with_its_parent_is_left_to_the_parent():
    from drugs.models import DrugSideEffect

    link = make_drug_side_effect()
    drug = link.drug
    links = list(DrugSideEffect.objects.filter(pk=link.pk).select_related("side_effect"))

    with_parent = keys_from_context({"drug": drug, "links": links})
    alone = keys_from_context({"links": list(DrugSideEffect.objects.filter(pk=link.pk))})

    assert row_key(link) not in with_parent
    assert {row_key(drug), row_key(link.side_effect)} <= with_parent
    assert row_key(link) in alone


def test_declared_dependencies_are_kept_with_the_page(rf):
    request = rf.get("/anything/")
    page_depends_on(request, "listing:drugs", "drugs.drug:7")

    keys = page_dependencies(request, response=None)

    assert keys == {"listing:drugs", "drugs.drug:7", "site"}


def test_a_page_declaring_nothing_follows_every_change(rf):
    assert page_dependencies(rf.get("/feed/"), response=None) == {"any", "site"}


def test_a_declared_key_refreshes_the_page_when_invalidated(client, monkeypatch):
    drug = make_drug()
    get = DrugDetailView.get

    def get_declaring(self, request, *args, **kwargs):
        page_depends_on(request, "listing:featured")
        return get(self, request, *args, **kwargs)

    monkeypatch.setattr(DrugDetailView, "get", get_declaring)
    warm(client, [drug.get_absolute_url()])

    invalidate("listing:featured")

    assert client.get(drug.get_absolute_url())["X-Cache"] == "miss"


def test_every_response_says_whether_it_came_from_the_cache(client):
    from tests.factories import make_staff

    drug = make_drug()
    url = drug.get_absolute_url()
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
    assert client.get("/drugs/no-such-drug/")["X-Cache"] == "bypass"
    assert client.post(url)["X-Cache"] == "bypass"
    client.force_login(make_staff())
    assert client.get(url)["X-Cache"] == "bypass"


def test_many_readers_of_one_cold_page_cause_one_render(monkeypatch):
    readers = 8
    drug = make_drug()
    renders = []
    waiting = threading.Semaphore(0)
    get = DrugDetailView.get
    wait = PageCacheMiddleware._wait

    def counted_get(self, request, *args, **kwargs):
        renders.append(1)
        # Hold the render until every other reader is waiting for it, so they
        # all arrive while the page is still cold.
        for _ in range(readers - 1):
            waiting.acquire(timeout=30)
        return get(self, request, *args, **kwargs)

    def counted_wait(key):
        waiting.release()
        return wait(key)

    monkeypatch.setattr(DrugDetailView, "get", counted_get)
    monkeypatch.setattr(PageCacheMiddleware, "_wait", staticmethod(counted_wait))
    monkeypatch.setattr("caching.middleware.WAIT_SECONDS", 60.0)
    responses = [None] * readers

    def read(index):
        try:
            responses[index] = Client().get(drug.get_absolute_url())
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(i,)) for i in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(renders) == 1
    assert sorted(response["X-Cache"] for response in responses) == ["hit"] * 7 + ["miss"]
    assert len({response.content for response in responses}) == 1


def test_readers_waiting_for_a_page_that_is_never_stored_render_it_themselves(monkeypatch):
    """A page that may not be shared (here: raced by a change) frees the waiters at once."""
    drug = make_drug()
    url = drug.get_absolute_url()
    client = Client()
    get = DrugDetailView.get

    def get_raced_by_a_change(self, request, *args, **kwargs):
        response = get(self, request, *args, **kwargs)
        invalidate(row_key(drug))
        return response

    monkeypatch.setattr(DrugDetailView, "get", get_raced_by_a_change)

    assert client.get(url)["X-Cache"] == "miss"
    monkeypatch.setattr(DrugDetailView, "get", get)
    # Not stored (it may show the state before the change), and the lock is gone.
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"


def test_the_invalidate_command_refreshes_every_page_or_the_keys_given(client):
    from django.core.management import call_command

    drug, other = make_drug(), make_drug()
    warm(client, [drug.get_absolute_url(), other.get_absolute_url()])

    call_command("pagecache_invalidate", row_key(drug), verbosity=0)
    assert client.get(drug.get_absolute_url())["X-Cache"] == "miss"
    assert client.get(other.get_absolute_url())["X-Cache"] == "hit"

    call_command("pagecache_invalidate", verbosity=0)
    assert client.get(other.get_absolute_url())["X-Cache"] == "miss"


def test_a_row_changed_without_save_refreshes_what_a_save_would(client):
    from caching import invalidate_row
    from drugs.models import Drug

    changed, other = make_drug(name="Oldname"), make_drug()
    warm(client, [changed.get_absolute_url(), other.get_absolute_url(), "/drugs/?letter=o"])

    Drug.objects.filter(pk=changed.pk).update(name="Othername")
    invalidate_row(Drug.objects.get(pk=changed.pk))

    response = client.get(changed.get_absolute_url())
    assert response["X-Cache"] == "miss"
    assert b"Othername" in response.content
    assert client.get("/drugs/?letter=o")["X-Cache"] == "miss"
    assert client.get(other.get_absolute_url())["X-Cache"] == "hit"


def test_a_data_migration_saving_rows_is_left_to_the_release_invalidation():
    from django.apps import apps
    from django.db.migrations.state import ProjectState

    historical = ProjectState.from_apps(apps).apps.get_model("drugs", "Drug")
    drug = make_drug()

    row = historical.objects.get(pk=drug.pk)
    row.name = "Renamed by a migration"
    row.save()

    assert historical.objects.get(pk=drug.pk).name == "Renamed by a migration"


def test_approving_a_review_moves_its_drugs_figures_and_leaves_its_content_alone():
    from django.core.cache import cache

    from caching import figures_key, generation
    from drugs.models import Drug
    from reviews.models import Review

    indication = make_indication()
    review = make_review(indication=indication)
    keys = [
        figures_key(indication.drug),
        row_key(Review, review.pk),
        row_key(Drug, indication.drug_id),
        row_key(indication),
        generation.CONTENT,
    ]
    before = generation.versions(keys, 1)

    services.review_approve(review=review, moderator=None)

    after = {key: cache.get(generation.version_key(key)) for key in keys}
    moved = {key for key in keys if after[key] != before[key]}
    assert moved == {figures_key(indication.drug), row_key(Review, review.pk)}


def test_a_vote_lifting_a_review_to_the_top_refreshes_the_pages_ranking_by_votes(client):
    indication = make_indication()
    # The article reads its three most helpful reviews; the fourth is not among them.
    leaders = [make_review(indication=indication, nickname=f"Leader {n}") for n in range(3)]
    follower = make_review(indication=indication, body="The fourth review, about to overtake.")
    for review in (*leaders, follower):
        services.review_approve(review=review, moderator=None)
    for number, leader in enumerate(leaders):
        services.review_vote_helpful(review=leader, visitor_hash=f"early-voter-{number}")
    article = indication.get_absolute_url()
    newest = reverse("reviews:drug-reviews", kwargs={"slug": indication.drug.slug})
    warm(client, [article, f"{newest}?sort=newest"])

    for number in (1, 2):
        services.review_vote_helpful(review=follower, visitor_hash=f"voter-{number}")

    response = client.get(article)
    assert response["X-Cache"] == "miss"
    assert "about to overtake" in response.content.decode()


def test_publishing_a_new_version_puts_the_article_on_the_recently_updated_list(client):
    from editorial import services as editorial
    from tests.factories import make_staff

    articles = [make_indication() for _ in range(9)]
    oldest = min(articles, key=lambda article: article.updated_at)
    warm(client, ["/"])
    assert oldest.title not in client.get("/").content.decode()

    editor, reviewer = make_staff(is_superuser=True), make_staff(is_superuser=True)
    with editorial.page_editing(page=oldest, user=editor) as change:
        oldest.summary = "A corrected summary."
        oldest.save()
        change.saved = True
    editorial.page_sign_off_and_publish(page=oldest, user=reviewer)

    response = client.get("/")
    assert response["X-Cache"] == "miss"
    assert oldest.title in response.content.decode()
