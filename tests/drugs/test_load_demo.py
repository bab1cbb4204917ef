import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from drugs.demo import loader
from drugs.demo.data import DRUGS, INDICATIONS, SIDE_EFFECTS
from drugs.management.commands import load_demo
from drugs.models import (
    ActiveIngredient,
    Condition,
    Drug,
    DrugClass,
    DrugSideEffect,
    Indication,
    IndicationSection,
    PublicationStatus,
    SideEffect,
    TaggedDrug,
    TaggedIndication,
)

pytestmark = pytest.mark.django_db

MODELS = [
    ActiveIngredient,
    DrugClass,
    SideEffect,
    Drug,
    Condition,
    Indication,
    IndicationSection,
    DrugSideEffect,
    TaggedDrug,
    TaggedIndication,
    Tag,
    Drug.similar_drugs.through,
    Drug.drug_classes.through,
    Drug.active_ingredients.through,
]


def run(*args, **options):
    out = StringIO()
    call_command("load_demo", *args, stdout=out, **options)
    return out.getvalue()


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def indication(drug, condition):
    return Indication.objects.get(drug__slug=drug, condition__slug=condition)


@pytest.fixture
def loaded():
    run(verbosity=0)


def test_running_twice_creates_no_duplicates_and_reports_nothing_changed():
    first = run()
    counts = row_counts()

    second = run()

    assert "created" in first and re.search(r"[1-9]\d* created", first)
    assert row_counts() == counts
    assert "nothing created or updated" in second


def test_running_again_puts_edited_rows_back_to_match_the_data(loaded):
    isotretinoin = Drug.objects.get(slug="isotretinoin")
    before = isotretinoin.updated_at
    isotretinoin.tags.add("not-in-the-data")
    isotretinoin.similar_drugs.clear()
    DrugSideEffect.objects.filter(drug=isotretinoin, side_effect__slug="dry-lips").update(
        frequency=DrugSideEffect.Frequency.RARE
    )
    article = indication("isotretinoin", "psoriasis")
    article.approval_status = Indication.ApprovalStatus.APPROVED
    article.save()
    article.sections.all().delete()

    output = run()

    isotretinoin.refresh_from_db()
    article.refresh_from_db()
    assert "not-in-the-data" not in set(isotretinoin.tags.names())
    assert set(isotretinoin.similar_drugs.values_list("slug", flat=True)) == {
        "acitretin",
        "tretinoin",
        "adapalene",
    }
    assert (
        DrugSideEffect.objects.get(drug=isotretinoin, side_effect__slug="dry-lips").frequency
        == DrugSideEffect.Frequency.VERY_COMMON
    )
    assert article.approval_status == Indication.ApprovalStatus.OFF_LABEL
    assert article.sections.exists()
    assert isotretinoin.updated_at > before
    # Several changes to one drug and one article count as one update each.
    assert "0 created, 2 updated" in output
    assert "drugs: 0 created, 1 updated" in output
    assert "indications: 0 created, 1 updated" in output


def test_running_again_restores_edited_fields(loaded):
    Drug.objects.filter(slug="acitretin").update(summary="Edited by hand.")
    Condition.objects.filter(slug="acne").update(status=PublicationStatus.DRAFT)

    output = run()

    assert Drug.objects.get(slug="acitretin").summary.startswith("Acitretin is a retinoid")
    assert Condition.objects.get(slug="acne").status == PublicationStatus.PUBLISHED
    assert "0 created, 2 updated" in output


def test_rows_the_data_does_not_name_are_left_alone(loaded):
    extra = Drug.objects.create(name="Local drug", slug="local-drug", summary="Added by hand.")

    run()

    assert Drug.objects.filter(pk=extra.pk).exists()


def test_dry_run_writes_nothing():
    output = run("--dry-run")

    assert "Dry run" in output
    assert all(count == 0 for name, count in row_counts().items() if name != "Tag")
    assert not Tag.objects.filter(name="retinoid").exists()


def test_dry_run_does_not_restore_edited_rows(loaded):
    Drug.objects.filter(slug="acitretin").update(summary="Edited by hand.")

    output = run("--dry-run")

    assert "update 1" in output
    assert Drug.objects.get(slug="acitretin").summary == "Edited by hand."


def test_verbosity_zero_prints_nothing():
    assert run(verbosity=0) == ""


def test_loading_takes_a_bounded_number_of_queries():
    """Bulk writes: queries depend on the number of models, not of rows (hundreds here)."""
    with CaptureQueriesContext(connection) as queries:
        run(verbosity=0)

    rows = sum(row_counts().values())
    assert rows > 500
    # Includes a fixed number for the reviews' side-effect mention figures.
    assert len(queries) < 100


def test_required_drugs_conditions_and_enough_articles_exist(loaded):
    drugs = set(Drug.objects.values_list("slug", flat=True))
    conditions = set(Condition.objects.values_list("slug", flat=True))

    assert {"isotretinoin", "acitretin", "methotrexate", "adalimumab"} <= drugs
    assert {"psoriasis", "acne", "rosacea", "atopic-dermatitis"} <= conditions
    assert Drug.objects.published().count() >= 14
    assert Condition.objects.published().count() >= 10
    assert Indication.objects.live().count() >= 22


@pytest.mark.parametrize(
    ("drug", "condition", "status"),
    [
        ("isotretinoin", "acne", Indication.ApprovalStatus.APPROVED),
        ("isotretinoin", "psoriasis", Indication.ApprovalStatus.OFF_LABEL),
        ("isotretinoin", "rosacea", Indication.ApprovalStatus.OFF_LABEL),
        ("acitretin", "psoriasis", Indication.ApprovalStatus.APPROVED),
        ("methotrexate", "psoriasis", Indication.ApprovalStatus.APPROVED),
        ("hydrocortisone-cream", "perioral-dermatitis", Indication.ApprovalStatus.NOT_RECOMMENDED),
        ("apremilast", "hidradenitis-suppurativa", Indication.ApprovalStatus.INVESTIGATIONAL),
    ],
)
def test_articles_carry_the_right_approval_status(loaded, drug, condition, status):
    assert indication(drug, condition).approval_status == status


def test_every_approval_status_is_shown_by_some_live_article(loaded):
    statuses = set(Indication.objects.live().values_list("approval_status", flat=True))

    assert statuses == set(Indication.ApprovalStatus.values)


def test_isotretinoin_for_psoriasis_says_it_is_not_a_standard_treatment(loaded):
    article = indication("isotretinoin", "psoriasis")

    assert "not a standard treatment" in article.approval_note
    assert article.is_published


def test_every_article_has_all_its_sections_filled(loaded):
    for article in Indication.objects.all():
        for field in [
            "title",
            "approval_note",
            "summary",
            "what_it_is",
            "what_to_expect",
            "audience_heading",
            "audience_text",
        ]:
            assert getattr(article, field).strip(), f"{article}: {field} is empty"
        assert article.how_it_works_points, f"{article}: no how-it-works points"
        assert article.benefit_points, f"{article}: no benefit points"
        assert article.tags.exists(), f"{article}: no tags"


def test_every_published_article_is_live_and_every_condition_has_one(loaded):
    published = Indication.objects.published()

    assert published.count() == Indication.objects.live().count()
    for condition in Condition.objects.published():
        assert condition.indications.live().exists(), f"{condition} has no live article"


def test_draft_content_stays_unpublished(loaded):
    draft_drug = Drug.objects.get(slug="azelaic-acid")
    draft_article = indication("spironolactone", "hidradenitis-suppurativa")

    assert draft_drug.status == PublicationStatus.DRAFT
    assert draft_article.status == PublicationStatus.DRAFT
    assert not Drug.objects.published().filter(pk=draft_drug.pk).exists()
    assert not Indication.objects.live().filter(pk=draft_article.pk).exists()
    assert Drug.objects.exclude(status=PublicationStatus.PUBLISHED).count() == 1
    assert Indication.objects.exclude(status=PublicationStatus.PUBLISHED).count() == 1


def test_published_drugs_never_point_at_unpublished_similar_drugs(loaded):
    for drug in Drug.objects.published().prefetch_related("similar_drugs"):
        assert all(other.is_published for other in drug.similar_drugs.all()), drug


def test_every_drug_given_a_pregnancy_warning_has_a_non_empty_one(loaded):
    with_warning = [item["slug"] for item in DRUGS if "pregnancy_warning" in item]

    assert {"isotretinoin", "acitretin", "methotrexate"} <= set(with_warning)
    for drug in Drug.objects.filter(slug__in=with_warning):
        assert drug.pregnancy_warning.strip(), f"{drug}: empty pregnancy warning"


def test_oral_retinoids_warn_of_birth_defects_and_pregnancy_prevention(loaded):
    for drug in Drug.objects.filter(slug__in=["isotretinoin", "acitretin"]):
        assert "birth defects" in drug.boxed_warning
        assert "birth defects" in drug.pregnancy_warning
        assert "pregnancy prevention programme" in drug.pregnancy_warning
        assert "pregnancy-risk" in set(drug.tags.names())


def test_no_article_pairs_a_retinoid_with_pregnancy_birth_control_or_abortion(loaded):
    dangerous = re.compile(r"pregnan|birth control|contracept|abortion|termination", re.IGNORECASE)
    retinoid_articles = Indication.objects.filter(
        drug__slug__in=["isotretinoin", "acitretin"]
    ).select_related("condition")

    for article in retinoid_articles:
        assert not dangerous.search(article.title), article.title
        assert not dangerous.search(article.condition.name), article.title
    # The data itself, in case a title is left to its default.
    for item in INDICATIONS:
        if item["drug"] in {"isotretinoin", "acitretin"}:
            assert not dangerous.search(item["condition"])
            assert not dangerous.search(item.get("title", ""))


def test_isotretinoin_side_effects_have_the_right_frequency_and_seriousness(loaded):
    effects = {
        link.side_effect.slug: link
        for link in DrugSideEffect.objects.filter(drug__slug="isotretinoin").select_related(
            "side_effect"
        )
    }

    assert effects["dry-lips"].frequency == DrugSideEffect.Frequency.VERY_COMMON
    assert effects["dry-skin"].frequency == DrugSideEffect.Frequency.VERY_COMMON
    assert effects["raised-blood-fats"].frequency == DrugSideEffect.Frequency.VERY_COMMON
    assert effects["nosebleeds"].frequency == DrugSideEffect.Frequency.COMMON
    assert effects["mood-changes"].is_serious
    assert all(link.advice for link in effects.values())


def test_side_effects_list_the_words_patients_use(loaded):
    dry_lips = SideEffect.objects.get(slug="dry-lips")
    nosebleeds = SideEffect.objects.get(slug="nosebleeds")

    assert {"chapped lips", "cracked lips"} <= set(dry_lips.other_name_list)
    assert {"nosebleed", "epistaxis"} <= set(nosebleeds.other_name_list)


def test_tags_make_related_articles_meaningful(loaded):
    article = indication("isotretinoin", "psoriasis")

    related = list(Indication.objects.related_to(article))

    assert related, "no related articles"
    assert indication("acitretin", "psoriasis") in related[:3]
    assert all(other.pk != article.pk for other in related)
    assert related[0].shared_tags >= 3


def loader_adding_a_tag(*, tally, stdout, verbosity):
    Tag.objects.get_or_create(name="from-an-app-loader", slug="from-an-app-loader")
    tally.create("app rows", ("from-an-app-loader",))
    if verbosity >= 1:
        stdout.write("Hello from an app loader")


def test_app_loaders_run_after_the_content_inside_the_same_transaction(monkeypatch):
    monkeypatch.setattr(load_demo, "APP_LOADERS", [f"{__name__}.loader_adding_a_tag"])

    dry = run("--dry-run")
    assert not Tag.objects.filter(slug="from-an-app-loader").exists()

    real = run()
    assert Tag.objects.filter(slug="from-an-app-loader").exists()
    assert "app rows: 1 created" in dry
    assert "app rows: 1 created" in real
    assert "Hello from an app loader" in real


def test_tags_typed_in_the_admin_with_another_slug_are_reused():
    typed = Tag.objects.create(name="Retinoid", slug="retinoid-typed-by-hand")

    run(verbosity=0)

    assert typed in Drug.objects.get(slug="isotretinoin").tags.all()
    assert Tag.objects.filter(name__iexact="retinoid").count() == 1


def test_a_clash_with_hand_made_content_stops_with_a_clear_error_and_writes_nothing():
    SideEffect.objects.create(name="Dry lips", slug="lips-dry")

    with pytest.raises(CommandError, match="nothing changed"):
        run(verbosity=0)

    assert not Drug.objects.exists()
    assert SideEffect.objects.count() == 1


def test_invalid_data_names_the_row_and_writes_nothing(monkeypatch):
    broken = [dict(INDICATIONS[0], approval_status="miracle cure"), *INDICATIONS[1:]]
    monkeypatch.setattr(loader, "INDICATIONS", broken)

    with pytest.raises(CommandError, match="miracle cure"):
        run(verbosity=0)

    assert not Drug.objects.exists()


def test_a_typo_in_a_slug_is_reported_by_name(monkeypatch):
    broken = [dict(INDICATIONS[0], condition="psoriasiss"), *INDICATIONS[1:]]
    monkeypatch.setattr(loader, "INDICATIONS", broken)

    with pytest.raises(CommandError, match="Unknown condition 'psoriasiss'"):
        run(verbosity=0)


def test_sections_added_by_hand_to_a_demo_article_are_brought_back_to_the_data(loaded):
    article = indication("isotretinoin", "acne")
    wanted = list(article.sections.values_list("heading", flat=True))
    IndicationSection.objects.create(indication=article, heading="Extra", body="x", position=0)
    IndicationSection.objects.create(indication=article, heading="Extra 2", body="y", position=0)

    run(verbosity=0)

    assert list(article.sections.values_list("heading", flat=True)) == wanted


def test_no_word_names_two_side_effects():
    """Reviews are matched against these names: one word on two side effects would count twice."""

    def key(name):
        # Compared as review matching reads them: case, spaces, hyphens and a plural "s" aside.
        key = re.sub(r"[\s-]+", "", name.lower())
        return key[:-1] if len(key) > 3 and key.endswith("s") and not key.endswith("ss") else key

    owner = {}
    for side_effect in SIDE_EFFECTS:
        for name in [side_effect["name"], *side_effect.get("other_names", ())]:
            assert owner.setdefault(key(name), side_effect["slug"]) == side_effect["slug"], name
