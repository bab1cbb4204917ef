import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from drugs.models import (
    INDEX_OTHER,
    Drug,
    DrugSideEffect,
    Indication,
    PublicationStatus,
    SideEffectGroups,
)
from tests.factories import (
    make_condition,
    make_drug,
    make_drug_class,
    make_drug_side_effect,
    make_indication,
    make_side_effect,
    make_staff,
    make_user,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


# Related articles ------------------------------------------------------------------


def test_related_articles_order_by_shared_tags_then_same_drug_or_condition():
    article = make_indication(tags=["retinoid", "skin", "oral"])
    one_tag_other_subject = make_indication(title="A one tag", tags=["skin"])
    one_tag_same_drug = make_indication(title="B one tag", drug=article.drug, tags=["oral"])
    two_tags = make_indication(title="C two tags", tags=["retinoid", "skin"])
    same_condition_no_tag = make_indication(title="D no tag", condition=article.condition)
    make_indication(title="E unrelated", tags=["heart"])

    related = list(Indication.objects.related_to(article))

    assert related == [two_tags, one_tag_same_drug, one_tag_other_subject, same_condition_no_tag]
    assert related[0].shared_tags == 2


def test_related_articles_never_include_the_page_itself():
    article = make_indication(tags=["skin"])
    assert article not in Indication.objects.related_to(article)


def test_related_articles_count_only_shared_tags_not_all_tags():
    article = make_indication(tags=["skin"])
    many_tags_one_shared = make_indication(
        title="A", drug=article.drug, tags=["skin", "x", "y", "z"]
    )
    two_shared = make_indication(title="B", tags=["skin"])
    article.tags.add("heart")
    two_shared.tags.add("heart")
    assert list(Indication.objects.related_to(article)) == [two_shared, many_tags_one_shared]


def test_related_articles_are_published_only():
    article = make_indication(tags=["skin"])
    make_indication(tags=["skin"], status=DRAFT)
    make_indication(tags=["skin"], drug=make_drug(status=DRAFT))
    make_indication(tags=["skin"], condition=make_condition(status=DRAFT))
    visible = make_indication(tags=["skin"])
    assert list(Indication.objects.related_to(article)) == [visible]


def test_related_articles_are_bounded():
    article = make_indication(tags=["skin"])
    for _ in range(12):
        make_indication(tags=["skin"])
    assert len(Indication.objects.related_to(article)) == 8
    assert len(Indication.objects.related_to(article, limit=3)) == 3


def test_related_articles_for_an_untagged_article_are_those_about_the_same_drug():
    article = make_indication()
    sibling = make_indication(drug=article.drug)
    make_indication(tags=["skin"])
    assert list(Indication.objects.related_to(article)) == [sibling]


# Similar drugs -----------------------------------------------------------------------


def test_similar_drugs_are_editors_choices_first_then_class_mates():
    retinoids = make_drug_class()
    drug = make_drug(classes=[retinoids])
    class_mate = make_drug(name="Aaa class mate", classes=[retinoids])
    chosen = make_drug(name="Zzz chosen")
    drug.similar_drugs.add(chosen)
    make_drug(name="Unrelated")
    assert list(Drug.objects.similar_to(drug)) == [chosen, class_mate]


def test_similar_drugs_are_published_bounded_and_never_the_drug_itself():
    retinoids = make_drug_class()
    drug = make_drug(classes=[retinoids])
    drug.similar_drugs.add(drug)
    make_drug(classes=[retinoids], status=DRAFT)
    for _ in range(8):
        make_drug(classes=[retinoids])
    similar = list(Drug.objects.similar_to(drug))
    assert len(similar) == 6
    assert drug not in similar
    assert all(d.status == PublicationStatus.PUBLISHED for d in similar)


def test_similar_drug_sharing_two_classes_is_listed_once():
    first, second = make_drug_class(), make_drug_class()
    drug = make_drug(classes=[first, second])
    other = make_drug(classes=[first, second])
    assert list(Drug.objects.similar_to(drug)) == [other]


# Visibility --------------------------------------------------------------------------


def test_article_about_an_unpublished_drug_is_hidden_from_the_public_but_not_staff():
    article = make_indication(drug=make_drug(status=DRAFT))
    assert article not in Indication.objects.visible_to(make_user())
    assert article in Indication.objects.visible_to(make_staff())


def test_inactive_staff_get_no_preview():
    drug = make_drug(status=DRAFT)
    assert drug not in Drug.objects.visible_to(make_staff(is_active=False))


# A–Z index -----------------------------------------------------------------------------


def test_index_letters_cover_names_starting_with_a_digit_or_lower_case():
    make_drug(name="acitretin")
    make_drug(name="5-fluorouracil")
    assert Drug.objects.index_letters() == {"A", INDEX_OTHER}
    assert list(Drug.objects.starting_with("a").values_list("name", flat=True)) == ["acitretin"]


# Side effect grouping ------------------------------------------------------------------


def test_side_effect_groups_put_serious_ones_apart_from_common_ones():
    drug = make_drug()
    mild_common = make_drug_side_effect(drug=drug, frequency=DrugSideEffect.Frequency.COMMON)
    serious_common = make_drug_side_effect(
        drug=drug,
        frequency=DrugSideEffect.Frequency.COMMON,
        seriousness=DrugSideEffect.Seriousness.SERIOUS,
    )
    mild_rare = make_drug_side_effect(
        drug=drug, frequency=DrugSideEffect.Frequency.RARE, advice="Rest."
    )
    groups = SideEffectGroups(DrugSideEffect.objects.filter(drug=drug).for_page())
    assert groups.common == [mild_common]
    assert groups.less_common_or_serious == [serious_common, mild_rare]
    assert groups.with_advice == [mild_rare]


def test_frequency_scale_fills_more_steps_for_more_common_effects():
    link = make_drug_side_effect(frequency=DrugSideEffect.Frequency.VERY_COMMON)
    assert link.frequency_steps == [True, True, True, True]
    assert link.frequency_word == "Very common"
    assert link.frequency_detail == "more than 1 in 10 people"
    link.frequency = DrugSideEffect.Frequency.NOT_KNOWN
    assert link.frequency_steps == [False, False, False, False]


# Constraints ----------------------------------------------------------------------------


def test_database_refuses_two_articles_for_the_same_drug_and_condition():
    article = make_indication()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_indication(drug=article.drug, condition=article.condition)


def test_model_validation_reports_a_duplicate_drug_and_condition():
    article = make_indication()
    duplicate = Indication(
        drug=article.drug,
        condition=article.condition,
        title="Again",
        approval_status=Indication.ApprovalStatus.APPROVED,
        summary="S",
        what_it_is="W",
        how_it_works="H",
        benefits="B",
        what_to_expect="E",
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_database_refuses_a_duplicate_drug_slug():
    make_drug(slug="isotretinoin")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_drug(slug="isotretinoin")


def test_database_refuses_the_same_side_effect_twice_for_a_drug():
    link = make_drug_side_effect()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_drug_side_effect(drug=link.drug, side_effect=link.side_effect)


def test_same_side_effect_may_be_linked_to_two_drugs():
    side_effect = make_side_effect()
    make_drug_side_effect(side_effect=side_effect)
    make_drug_side_effect(side_effect=side_effect)
    assert side_effect.drug_links.count() == 2


def test_unpublish_time_must_follow_publish_time():
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    drug = make_drug(publish_at=now, unpublish_at=now - timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        drug.full_clean()
    assert "unpublish_at" in error.value.message_dict


def test_article_of_a_drug_scheduled_for_later_is_not_live():
    from datetime import timedelta

    from django.utils import timezone

    later = make_drug(publish_at=timezone.now() + timedelta(days=1))
    withdrawn = make_condition(unpublish_at=timezone.now() - timedelta(days=1))
    hidden = [make_indication(drug=later), make_indication(condition=withdrawn)]
    shown = make_indication()
    assert list(Indication.objects.live()) == [shown]
    assert not set(hidden) & set(Indication.objects.visible_to(None))


def test_recently_updated_articles_are_newest_first():
    first = make_indication()
    second = make_indication()
    first.save()
    assert list(Indication.objects.recently_updated()) == [first, second]
