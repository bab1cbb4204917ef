"""Unpublished, unsigned or out-of-schedule content never reaches the public."""

import datetime

import pytest
from django.utils import timezone

from drugs.models import Drug, Indication, PublicationStatus
from editorial import services
from tests.editorial.conftest import edit
from tests.factories import make_condition, make_drug, make_indication

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_article(editor, reviewer):
    """A signed-off, published article tagged like the hidden ones below."""
    indication = make_indication(tags=["retinoid"], status=PublicationStatus.DRAFT)
    edit(indication, editor, status=PublicationStatus.IN_REVIEW)
    services.page_sign_off(page=indication, reviewer=reviewer)
    services.page_publish(page=indication, user=editor)
    return indication


def hidden_articles():
    now = timezone.now()
    return [
        make_indication(tags=["retinoid"], status=PublicationStatus.DRAFT),
        make_indication(tags=["retinoid"], status=PublicationStatus.IN_REVIEW),
        make_indication(tags=["retinoid"], status=PublicationStatus.ARCHIVED),
        make_indication(tags=["retinoid"], publish_at=now + datetime.timedelta(days=1)),
        make_indication(tags=["retinoid"], unpublish_at=now - datetime.timedelta(minutes=1)),
        make_indication(tags=["retinoid"], drug=make_drug(status=PublicationStatus.DRAFT)),
        make_indication(
            tags=["retinoid"], condition=make_condition(status=PublicationStatus.ARCHIVED)
        ),
    ]


def test_related_articles_show_only_live_pages(live_article):
    visible = make_indication(tags=["retinoid"])
    hidden = hidden_articles()

    related = list(Indication.objects.related_to(live_article))

    assert visible in related
    assert not set(hidden) & set(related)


def test_lists_show_only_live_pages(live_article):
    hidden = hidden_articles()

    cards = set(Indication.objects.for_cards())

    assert live_article in cards
    assert not set(hidden) & cards


def test_article_edited_after_sign_off_stays_listed_with_its_live_content(live_article, editor):
    neighbour = make_indication(tags=["retinoid"])
    edit(live_article, editor, approval_status=Indication.ApprovalStatus.OFF_LABEL)

    cards = {card.pk: card for card in Indication.objects.for_cards()}
    assert cards[live_article.pk].approval_status == Indication.ApprovalStatus.APPROVED
    assert live_article in Indication.objects.related_to(neighbour)


def test_drug_edited_after_sign_off_keeps_its_articles_live(live_article, editor, reviewer):
    drug = live_article.drug
    edit(drug, editor, status=PublicationStatus.IN_REVIEW)
    services.page_sign_off(page=drug, reviewer=reviewer)
    services.page_publish(page=drug, user=editor)
    edit(drug, editor, boxed_warning="New serious warning, not yet reviewed.")

    assert drug in Drug.objects.for_cards()
    assert live_article in Indication.objects.for_cards()
    assert not Drug.objects.filter(boxed_warning__contains="not yet reviewed").exists()


# Public pages


@pytest.fixture
def hidden_uses():
    """Uses of a live drug for live conditions that the public must not see."""
    drug = make_drug(name="Shownazole")
    now = timezone.now()
    return drug, [
        make_indication(drug=drug, condition=make_condition(name="Draftitis"), status="draft"),
        make_indication(drug=drug, condition=make_condition(name="Reviewitis"), status="in_review"),
        make_indication(
            drug=drug,
            condition=make_condition(name="Laterosis"),
            publish_at=now + datetime.timedelta(days=1),
        ),
        make_indication(
            drug=drug,
            condition=make_condition(name="Expiritis", status=PublicationStatus.ARCHIVED),
        ),
    ]


def test_drug_page_lists_no_hidden_use(client, hidden_uses):
    drug, _hidden = hidden_uses

    content = client.get(drug.get_absolute_url()).content.decode()

    for name in ("Draftitis", "Reviewitis", "Laterosis", "Expiritis"):
        assert name not in content


def test_condition_page_lists_no_hidden_use(client, hidden_uses):
    drug, hidden = hidden_uses

    for indication in hidden[:3]:
        content = client.get(indication.condition.get_absolute_url()).content.decode()
        assert "Shownazole" not in content


def test_hidden_pages_are_404_for_the_public_and_previewed_by_staff(client, hidden_uses, editor):
    _drug, hidden = hidden_uses

    for indication in hidden:
        assert client.get(indication.get_absolute_url()).status_code == 404
    client.force_login(editor)
    preview = client.get(hidden[0].get_absolute_url())
    assert preview.status_code == 200
    assert "Preview:" in preview.content.decode()


def test_drug_list_shows_no_hidden_drug(client):
    make_drug(name="Publicillin")
    make_drug(name="Draftillin", status=PublicationStatus.DRAFT)
    make_drug(name="Reviewillin", status=PublicationStatus.IN_REVIEW)
    make_drug(name="Futurillin", publish_at=timezone.now() + datetime.timedelta(hours=1))

    content = client.get("/drugs/").content.decode()

    assert "Publicillin" in content
    for name in ("Draftillin", "Reviewillin", "Futurillin"):
        assert name not in content


def test_related_article_links_on_a_page_are_live(client, live_article):
    for indication in hidden_articles():
        indication.title = f"Hidden {indication.pk}"
        indication.save()

    content = client.get(live_article.get_absolute_url()).content.decode()

    assert "Hidden " not in content


# Sitemaps and search (when installed)


def reverse_or_skip(name, **kwargs):
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, **kwargs)
    except NoReverseMatch:
        pytest.skip(f"{name} is not installed in this build")


def sitemap_locations(client):
    import re

    index = client.get(reverse_or_skip("search:sitemap"))
    assert index.status_code == 200
    locations = set()
    for section in re.findall(r"<loc>([^<]+)</loc>", index.content.decode()):
        path = section.split("://", 1)[-1].split("/", 1)[-1]
        page = client.get("/" + path)
        assert page.status_code == 200
        locations |= set(re.findall(r"<loc>([^<]+)</loc>", page.content.decode()))
    return {loc.split("://", 1)[-1].split("/", 1)[-1] for loc in locations}


def test_sitemaps_list_live_pages_only(client, live_article, editor):
    hidden = hidden_articles()
    edited = make_indication(title="Edited after sign-off", status=PublicationStatus.DRAFT)
    edit(edited, editor, status=PublicationStatus.IN_REVIEW)

    paths = {"/" + path for path in sitemap_locations(client)}

    assert live_article.get_absolute_url() in paths
    for indication in [*hidden, edited]:
        assert indication.get_absolute_url() not in paths


def test_search_finds_live_pages_only(client, editor, reviewer):
    url = reverse_or_skip("search:search")
    make_drug(name="Zorblax Live")
    make_drug(name="Zorblax Draft", status=PublicationStatus.DRAFT)
    make_drug(name="Zorblax Review", status=PublicationStatus.IN_REVIEW)
    make_drug(name="Zorblax Archived", status=PublicationStatus.ARCHIVED)
    make_drug(name="Zorblax Later", publish_at=timezone.now() + datetime.timedelta(days=1))
    changed = make_drug(name="Zorblax Changed", status=PublicationStatus.DRAFT)
    edit(changed, editor, status=PublicationStatus.IN_REVIEW)
    services.page_sign_off(page=changed, reviewer=reviewer)
    services.page_publish(page=changed, user=editor)
    edit(changed, editor, name="Zorblax Renamed In Draft")

    response = client.get(url, {"q": "Zorblax"})

    found = [str(row) for group in response.context["groups"] for row in group["rows"]]
    assert "Zorblax Live" in found
    assert "Zorblax Changed" in found
    for name in ("Draft", "Review", "Archived", "Later", "Renamed In Draft"):
        assert f"Zorblax {name}" not in found
        assert f"Zorblax {name}" not in response.content.decode()
