import json
import re
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from drugs.demo import loader
from drugs.demo.files import DataFileError, Entry, prose
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


DATA = loader.read()


@pytest.fixture
def loaded():
    run(verbosity=0)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of the data files that the command loads instead, for a test to break."""
    copy = tmp_path / "data"
    shutil.copytree(loader.DATA_DIR, copy)
    monkeypatch.setattr(loader, "DATA_DIR", copy)
    return copy


def edit_entries(path, change):
    """Rewrite a data file after `change(entries)` edits its parsed entries in place."""
    entries = json.loads(path.read_text())
    change(entries)
    path.write_text(json.dumps(entries, indent=2))


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


def drug_entry(slug, side_effects, tags):
    data = {
        "slug": slug,
        "name": slug.title(),
        "summary": "A drug written for this test.",
        "tags": tags,
        "side_effects": [
            {"effect": effect, "frequency": "common", "seriousness": "mild", "advice": "Rest."}
            for effect in side_effects
        ],
    }
    return Entry(data=data, file="test", number=1, key=(slug,))


def test_a_drug_page_is_written_in_the_same_number_of_queries_however_long_its_lists(loaded):
    vocabulary = loader.write_vocabulary(DATA, loader.Tally())
    effects = sorted(vocabulary["side_effects"])
    few_entry = drug_entry("few-drug", effects[:1], ["one"])
    many_entry = drug_entry("many-drug", effects[:12], ["one", "two", "three", "four"])

    with CaptureQueriesContext(connection) as few:
        loader._write_drug(few_entry, vocabulary=vocabulary, tally=loader.Tally())
    with CaptureQueriesContext(connection) as many:
        loader._write_drug(many_entry, vocabulary=vocabulary, tally=loader.Tally())

    assert Drug.objects.get(slug="many-drug").side_effects.count() == 12
    assert len(many) == len(few)


def test_loading_the_content_again_unchanged_writes_nothing():
    loader.load()

    with CaptureQueriesContext(connection) as queries:
        tally = loader.load()

    writes = [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert all(created == updated == 0 for _label, created, updated in tally.rows())


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
    with_warning = [
        entry["slug"] for entry in DATA.drugs.values() if "pregnancy_warning" in entry.data
    ]

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
    for item in DATA.indications.values():
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


def test_an_unknown_choice_names_the_file_entry_and_field_and_writes_nothing(data_copy):
    edit_entries(
        data_copy / "indications" / "acne.json",
        lambda entries: entries[1].update(approval_status="miracle cure"),
    )

    with pytest.raises(CommandError) as error:
        run(verbosity=0)

    message = str(error.value)
    assert "acne.json, entry 2 (tretinoin/acne)" in message
    assert "'approval_status' must be one of 'approved'" in message
    assert "miracle cure" in message
    assert not Drug.objects.exists()


def test_a_typo_in_a_slug_is_reported_by_file_entry_and_name(data_copy):
    edit_entries(
        data_copy / "indications" / "psoriasis.json",
        lambda entries: entries[0].update(condition="psoriasiss"),
    )

    with pytest.raises(CommandError) as error:
        run(verbosity=0)

    assert re.search(r"psoriasis\.json, entry 1 \(\S+/psoriasiss\)", str(error.value))
    assert "Unknown condition 'psoriasiss'" in str(error.value)
    assert not Drug.objects.exists()
    assert not SideEffect.objects.exists()


def test_a_file_that_is_not_valid_json_is_named_with_its_line_and_nothing_is_written(data_copy):
    path = data_copy / "drugs.json"
    path.write_text(path.read_text().replace('"slug": "acitretin",', '"slug": "acitretin"', 1))

    with pytest.raises(CommandError, match=r"drugs\.json: not valid JSON: .* at line \d+"):
        run(verbosity=0)

    assert row_counts()["ActiveIngredient"] == 0


def test_a_wrongly_shaped_entry_lists_every_problem_by_entry(data_copy):
    def break_entries(entries):
        entries[2]["summmary"] = entries[2].pop("summary")
        entries[3]["side_effects"][0]["frequency"] = "often"
        entries[4]["brand_names"] = "Brand A, Brand B"

    edit_entries(data_copy / "drugs.json", break_entries)

    with pytest.raises(CommandError) as error:
        run(verbosity=0)

    message = str(error.value)
    third, fourth, fifth = (DATA.drugs[key] for key in list(DATA.drugs)[2:5])
    assert f"entry 3 ({third['slug']}): field 'summary' is missing" in message
    assert f"entry 3 ({third['slug']}): unknown field 'summmary'" in message
    assert f"entry 4 ({fourth['slug']}): side_effects: item 1: field 'frequency'" in message
    assert f"entry 5 ({fifth['slug']}): field 'brand_names' must be a list" in message
    assert not Drug.objects.exists()


def test_an_article_given_twice_names_both_places(data_copy):
    acne = json.loads((data_copy / "indications" / "acne.json").read_text())
    (data_copy / "indications" / "zz-repeated.json").write_text(json.dumps([acne[0]]))

    with pytest.raises(CommandError) as error:
        run(verbosity=0)

    assert "zz-repeated.json, entry 1 (isotretinoin/acne)" in str(error.value)
    assert "already given in " in str(error.value)
    assert "acne.json, entry 1" in str(error.value)


def test_prose_lists_are_paragraphs_and_consecutive_bullets_one_list():
    assert prose("One paragraph.") == "One paragraph."
    assert prose(["First.", "- one", "- two", "Last."]) == "First.\n\n- one\n- two\n\nLast."
    assert prose(None) == ""


def test_loaded_pages_match_the_data_files_field_by_field(loaded):
    for (slug,), entry in DATA.side_effects.items():
        side_effect = SideEffect.objects.get(slug=slug)
        assert side_effect.name == entry["name"]
        assert side_effect.other_names == ", ".join(entry.get("other_names", []))
        assert side_effect.description == prose(entry.get("description"))
    for model, entries in [(ActiveIngredient, DATA.ingredients), (DrugClass, DATA.drug_classes)]:
        for (slug,), entry in entries.items():
            row = model.objects.get(slug=slug)
            assert (row.name, row.description) == (entry["name"], prose(entry.get("description")))
    for (slug,), entry in DATA.drugs.items():
        drug = Drug.objects.get(slug=slug)
        assert drug.name == entry["name"]
        assert drug.generic_name == entry.get("generic_name", "")
        assert drug.brand_name_list == entry.get("brand_names", [])
        assert drug.availability == entry.get("availability", "rx")
        assert drug.status == entry.get("status", "published")
        for field in ["summary", "boxed_warning", "pregnancy_warning", "side_effect_advice"]:
            assert getattr(drug, field) == prose(entry.get(field)), (slug, field)
        for field in ["active_ingredients", "drug_classes", "similar_drugs"]:
            linked = getattr(drug, field).values_list("slug", flat=True)
            assert set(linked) == set(entry.get(field, [])), (slug, field)
        assert set(drug.tags.names()) == set(entry.get("tags", []))
        stored = {
            link.side_effect.slug: (
                DrugSideEffect.Frequency(link.frequency).name.lower(),
                DrugSideEffect.Seriousness(link.seriousness).name.lower(),
                link.advice,
            )
            for link in drug.side_effects.select_related("side_effect")
        }
        assert stored == {
            item["effect"]: (item["frequency"], item["seriousness"], prose(item.get("advice")))
            for item in entry.get("side_effects", [])
        }
    for (slug,), entry in DATA.conditions.items():
        condition = Condition.objects.get(slug=slug)
        assert condition.name == entry["name"]
        assert condition.other_names == ", ".join(entry.get("other_names", []))
        assert condition.summary == prose(entry["summary"])
        assert condition.status == entry.get("status", "published")
        assert set(condition.tags.names()) == set(entry.get("tags", []))
    assert Indication.objects.count() == len(DATA.indications)
    for (drug, condition), entry in DATA.indications.items():
        article = indication(drug, condition)
        assert article.approval_status == entry["approval_status"]
        assert article.status == entry.get("status", "published")
        assert article.audience_heading == entry.get("audience_heading", "")
        for field in ["approval_note", "summary", "what_it_is", "what_to_expect", "audience_text"]:
            assert getattr(article, field) == prose(entry.get(field)), (drug, condition, field)
        assert article.how_it_works_points == entry["how_it_works"]
        assert article.benefit_points == entry["benefits"]
        assert set(article.tags.names()) == set(entry.get("tags", []))
        assert [(s.heading, s.body) for s in article.sections.all()] == [
            (section["heading"], prose(section["body"])) for section in entry.get("sections", [])
        ]


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
    for side_effect in DATA.side_effects.values():
        for name in [side_effect["name"], *side_effect.get("other_names", ())]:
            assert owner.setdefault(key(name), side_effect["slug"]) == side_effect["slug"], name


def test_a_broken_demo_reviews_file_names_the_article_review_and_field(tmp_path):
    from reviews import demo as reviews_demo

    articles = json.loads(reviews_demo.DATA_FILE.read_text())
    articles[1]["reviews"][2]["rating"] = "ten"
    articles[1]["reviews"][2]["role"] = "doctor"
    broken = tmp_path / "reviews.json"
    broken.write_text(json.dumps(articles))

    with pytest.raises(DataFileError) as error:
        reviews_demo.read_reviews(broken)

    where = f"entry 2 ({articles[1]['drug']}/{articles[1]['condition']})"
    assert f"{where}: reviews: item 3: field 'rating' must be a whole number" in str(error.value)
    assert f"{where}: reviews: item 3: field 'role' must be one of" in str(error.value)


def test_demo_sources_naming_an_unknown_source_are_refused_by_page(tmp_path):
    from editorial import demo as editorial_demo

    shutil.copytree(editorial_demo.DATA_DIR, tmp_path, dirs_exist_ok=True)
    edit_entries(
        tmp_path / "page-sources.json",
        lambda pages: pages.append(
            {"drug": "isotretinoin", "condition": "rosacea", "sources": ["nice-ng1998"]}
        ),
    )

    with pytest.raises(
        DataFileError, match=r"\(isotretinoin/rosacea\): unknown source 'nice-ng1998'"
    ):
        editorial_demo.read_demo_data(tmp_path)


def test_demo_sources_and_staff_read_from_their_files_as_the_pages_list_them():
    from editorial import demo as editorial_demo

    users, drug_sources, indication_sources = editorial_demo.read_demo_data()

    assert {"demo-editor", "demo-reviewer", "demo-moderator"} <= {u["username"] for u in users}
    assert [s["title"] for s in drug_sources["isotretinoin"]][0] == "Isotretinoin"
    acne = indication_sources[("isotretinoin", "acne")]
    assert acne[0]["url"] == "https://www.nice.org.uk/guidance/ng198"
    assert "key" not in acne[0]


def test_a_value_the_model_refuses_names_the_file_entry_and_field(data_copy):
    edit_entries(
        data_copy / "side-effects.json",
        lambda entries: entries[0].update(name="Dry lips " * 30),
    )

    with pytest.raises(CommandError) as error:
        run(verbosity=0)

    assert "side-effects.json, entry 1 (dry-lips): name: Ensure this value has at most" in str(
        error.value
    )
    assert not SideEffect.objects.exists()
