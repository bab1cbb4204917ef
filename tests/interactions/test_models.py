import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from interactions.models import Interaction
from tests.factories import make_drug
from tests.interactions.factories import make_interaction

pytestmark = pytest.mark.django_db


def _row(drug, other, **fields):
    return Interaction(
        drug=drug,
        other_drug=other,
        slug=fields.pop("slug", f"pair-{drug.pk}-{other.pk}"),
        severity=Interaction.Severity.MAJOR,
        summary="Risky.",
        what_happens="Bad [1].",
        what_to_do="Avoid [1].",
        **fields,
    )


def test_database_refuses_a_drug_interacting_with_itself():
    drug = make_drug()
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.bulk_create([_row(drug, drug)])
    assert not Interaction.objects.exists()


def test_database_refuses_the_same_pair_in_either_order():
    first, second = make_drug(), make_drug()
    Interaction.objects.bulk_create([_row(first, second, slug="one")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.bulk_create([_row(first, second, slug="two")])
    # Reversed, the pair breaks the lower-id-first rule, so it cannot slip past the unique one.
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.bulk_create([_row(second, first, slug="three")])
    assert Interaction.objects.count() == 1


def test_database_refuses_the_same_substance_twice_for_a_drug_whatever_the_case():
    drug = make_drug()
    make_interaction(drug=drug, kind=Interaction.Kind.ALCOHOL, other_name="Alcohol")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_interaction(drug=drug, kind=Interaction.Kind.ALCOHOL, other_name="alcohol")


def test_database_refuses_a_substance_interaction_that_also_names_a_drug():
    drug, other = sorted([make_drug(), make_drug()], key=lambda d: d.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Interaction.objects.bulk_create(
            [_row(drug, other, kind=Interaction.Kind.FOOD, other_name="Grapefruit")]
        )


def test_clean_stores_a_pair_entered_in_reverse_with_the_lower_id_first():
    first, second = make_drug(), make_drug()
    interaction = _row(second, first, slug="")
    interaction.full_clean()
    assert (interaction.drug, interaction.other_drug) == (first, second)
    assert interaction.slug


def test_clean_refuses_a_pair_already_recorded_in_the_other_order():
    first, second = make_drug(), make_drug()
    make_interaction(drug=first, other_drug=second)
    duplicate = _row(second, first, slug="again")
    with pytest.raises(ValidationError, match="already exists"):
        duplicate.full_clean()


def test_clean_refuses_a_drug_with_itself_with_a_message_on_the_field():
    drug = make_drug()
    with pytest.raises(ValidationError) as error:
        _row(drug, drug).full_clean()
    assert "cannot interact with itself" in str(error.value.message_dict["other_drug"])


def test_live_hides_interactions_whose_drug_is_unpublished():
    hidden = make_interaction(other_drug=make_drug(status="draft"))
    shown = make_interaction()
    assert list(Interaction.objects.live()) == [shown]
    assert hidden not in Interaction.objects.live()


def test_among_finds_pairs_within_the_list_and_substances_of_its_drugs():
    a, b, c = make_drug(), make_drug(), make_drug()
    pair = make_interaction(drug=a, other_drug=b)
    make_interaction(drug=a, other_drug=c)
    alcohol = make_interaction(drug=b, kind=Interaction.Kind.ALCOHOL, other_name="Alcohol")
    found = set(Interaction.objects.among([a, b]))
    assert found == {pair, alcohol}


def test_demo_interactions_cite_only_their_own_sources_and_include_the_retinoid_pairs():
    from django.core.management import call_command

    from drugs.citations import cited_numbers

    call_command("load_demo", verbosity=0)
    interactions = Interaction.objects.prefetch_related("sources").select_related("drug")
    assert interactions.count() >= 15
    for interaction in interactions:
        for label, text in interaction.citable_sections():
            cited = cited_numbers(text)
            assert cited and max(cited) <= len(interaction.sources.all()), (interaction, label)
    pair = Interaction.objects.select_related("drug", "other_drug").get(
        slug="isotretinoin-doxycycline"
    )
    assert {pair.drug.slug, pair.other_drug.slug} == {"isotretinoin", "doxycycline"}
    assert pair.severity == Interaction.Severity.MAJOR
    call_command("load_demo", verbosity=0)
    assert Interaction.objects.count() == interactions.count()
