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


def test_article_edited_after_sign_off_leaves_lists_and_related(live_article, editor):
    neighbour = make_indication(tags=["retinoid"])
    edit(live_article, editor, approval_status=Indication.ApprovalStatus.OFF_LABEL)
    services.page_content_changed(page=live_article, user=editor)

    assert live_article not in Indication.objects.for_cards()
    assert live_article not in Indication.objects.related_to(neighbour)


def test_drug_edited_after_sign_off_takes_its_articles_down(live_article, editor, reviewer):
    drug = live_article.drug
    edit(drug, editor, status=PublicationStatus.IN_REVIEW)
    services.page_sign_off(page=drug, reviewer=reviewer)
    services.page_publish(page=drug, user=editor)
    edit(drug, editor, boxed_warning="New serious warning.")
    services.page_content_changed(page=drug, user=editor)

    assert drug not in Drug.objects.for_cards()
    assert live_article not in Indication.objects.for_cards()
