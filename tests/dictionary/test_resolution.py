import pytest

from dictionary.models import UnmatchedName
from dictionary.resolution import (
    drug_ids_matching,
    drug_suggestions,
    resolve_condition,
    resolve_drug,
    resolve_drugs,
)
from drugs.models import Drug, PublicationStatus
from tests.dictionary.helpers import make_combination_pill, make_drug_name, make_isotretinoin
from tests.factories import make_condition, make_drug, make_ingredient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "Isotretinoin",
        "isotretinoin",
        "ISOTRETINOIN",
        "Accutane",
        "roaccutane",
        "ABSORICA",
        "isotretinoine",
        "Isotrétinoïne",
        "isotretinion",
        "Acutane",
        "Roacutane",
    ],
)
def test_brand_names_other_spellings_and_misspellings_resolve_to_the_generic(name):
    drug = make_isotretinoin()

    assert resolve_drug(name) == drug


def test_a_combination_resolves_by_its_ingredients_in_any_order_and_spelling():
    combination, single = make_combination_pill()

    assert resolve_drug("Ethinyl estradiol / norethindrone") == combination
    assert resolve_drug("Norethindrone / ethinyl estradiol") == combination
    assert resolve_drug("ethinylestradiol + norethindrone") == combination
    assert resolve_drug("Junel Fe 1 / 20") == combination
    assert resolve_drug("Norethindrone") == single


def test_an_ingredient_alone_never_resolves_to_a_combination_it_is_part_of():
    combination, _single = make_combination_pill()

    assert resolve_drug("ethinylestradiol") is None
    assert drug_ids_matching("ethinylestradiol") == [combination.pk]


def test_a_combination_of_ingredients_no_drug_has_does_not_resolve():
    make_combination_pill()
    make_ingredient(name="Levonorgestrel")

    assert resolve_drug("Ethinyl estradiol / levonorgestrel") is None


def test_unknown_and_short_names_do_not_resolve_by_guessing():
    make_drug(name="Xanax", slug="xanax")

    assert resolve_drug("Nexplanon") is None
    # Two edits would turn many short names into each other.
    assert resolve_drug("Zanac") is None
    assert resolve_drug("") is None


def test_a_misspelling_as_close_to_two_drugs_resolves_to_neither():
    make_drug(name="Abcdefgh", slug="abcdefgh")
    make_drug(name="Abcdefij", slug="abcdefij")

    assert resolve_drug("Abcdefxx") is None


def test_archived_drugs_are_not_resolved_and_a_queryset_narrows_the_answer():
    drug = make_isotretinoin()
    draft = make_drug(name="Spironolactone", status=PublicationStatus.DRAFT)

    assert resolve_drug("Spironolactone") == draft
    assert resolve_drug("Spironolactone", queryset=Drug.objects.published()) is None
    assert resolve_drug("Accutane", queryset=Drug.objects.published()) == drug
    Drug.objects.filter(pk=drug.pk).update(status=PublicationStatus.ARCHIVED)
    assert resolve_drug("Accutane") is None


def test_names_added_after_a_lookup_resolve_at_once():
    drug = make_isotretinoin()
    assert resolve_drug("Claravis") is None

    make_drug_name(drug, "Claravis", regions="US")

    assert resolve_drug("Claravis") == drug


def test_a_name_mapped_from_the_queue_resolves():
    drug = make_isotretinoin()
    UnmatchedName.objects.create(kind="drug", name="Iso 20mg", key="iso20mg", mapped_drug=drug)

    assert resolve_drug("ISO 20 mg") == drug


def test_resolve_drugs_answers_in_order_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    drug = make_isotretinoin()
    resolve_drug("warm the index")

    with django_assert_max_num_queries(6):
        answers = resolve_drugs(["Accutane", "nothing like it", "isotretinion"] * 50)

    assert answers[:3] == [("Accutane", drug), ("nothing like it", None), ("isotretinion", drug)]


def test_search_candidates_put_the_resolved_drug_first_then_close_names():
    drug = make_isotretinoin()
    other = make_drug(name="Tretinoin", slug="tretinoin")

    assert drug_ids_matching("Accutane")[0] == drug.pk
    assert drug_ids_matching("isotretinion")[0] == drug.pk
    assert drug_ids_matching("tretinoine") == [other.pk]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bipolar Disorder", "Bipolar disorder"),
        ("Bipolar Disorde", "Bipolar disorder"),
        ("bipolar disorder", "Bipolar disorder"),
        ("Manic depression", "Bipolar disorder"),
        ("Overactive Bladde", "Overactive bladder"),
        ("Panic Disorde", "Panic disorder"),
    ],
)
def test_conditions_resolve_by_name_other_names_and_names_the_export_cut_short(name, expected):
    make_condition(name="Bipolar disorder", other_names="Manic depression")
    make_condition(name="Overactive bladder")
    make_condition(name="Panic disorder")

    assert resolve_condition(name).name == expected


def test_a_cut_short_name_that_starts_two_conditions_does_not_resolve():
    make_condition(name="Panic disorder")
    make_condition(name="Panic attacks")

    assert resolve_condition("Panic ") is None
    assert resolve_condition("Pani") is None


def test_suggestions_name_close_drugs_and_can_leave_drafts_out():
    make_isotretinoin()
    draft = make_drug(name="Isotretinoin gel", status=PublicationStatus.DRAFT)

    every = drug_suggestions("Isotretinoin gell")
    public = drug_suggestions("Isotretinoin gell", queryset=Drug.objects.published())

    assert [pk for _, pk in every][:1] == [draft.pk]
    assert draft.pk not in [pk for _, pk in public]
    assert all(label for label, _ in every)
