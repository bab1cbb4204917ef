import pytest

from drugs.models import SideEffect
from insights.forms import SideEffectNamesForm, side_effect_name_conflicts
from tests.factories import make_side_effect

pytestmark = pytest.mark.django_db


def form_data(**fields):
    fields.setdefault("name", "Dry lips")
    fields.setdefault("slug", "dry-lips")
    fields.setdefault("other_names", "")
    fields.setdefault("description", "")
    return fields


def test_regex_like_characters_and_empty_names_are_accepted():
    form = SideEffectNamesForm(data=form_data(other_names="(red) lips*, , a+b\n\n[cracked] lips?,"))
    assert form.is_valid(), form.errors
    side_effect = form.save()
    assert side_effect.other_name_list == ["(red) lips*", "a+b", "[cracked] lips?"]


def test_a_name_used_by_another_side_effect_is_a_clear_error():
    make_side_effect(name="Epistaxis", other_names="nosebleed, nose bleed")
    form = SideEffectNamesForm(
        data=form_data(name="Bleeding", slug="bleeding", other_names="bruising, Nose-Bleeds")
    )

    assert not form.is_valid()
    [error] = form.errors["other_names"]
    assert "“Nose-Bleeds” is already a name of the side effect “Epistaxis”" in error
    assert "name" not in form.errors
    assert not SideEffect.objects.filter(slug="bleeding").exists()


def test_a_main_name_used_as_another_side_effects_other_name_is_an_error():
    make_side_effect(name="Cheilitis", other_names="dry lips")
    form = SideEffectNamesForm(data=form_data(name="dry lip"))
    assert not form.is_valid()
    assert "Cheilitis" in form.errors["name"][0]


def test_a_side_effect_may_keep_its_own_names():
    side_effect = make_side_effect(name="Dry lips", other_names="chapped lips")
    form = SideEffectNamesForm(
        instance=side_effect,
        data=form_data(slug=side_effect.slug, other_names="chapped lips, Dry Lips, cracked lips"),
    )
    assert form.is_valid(), form.errors


def test_conflicts_ignore_case_spacing_and_plurals():
    epistaxis = make_side_effect(name="Epistaxis", other_names="nose bleed")
    conflicts = side_effect_name_conflicts(names=["NOSEBLEEDS", "nose-bleeds", "rash"])
    assert conflicts == {"nose-bleeds": epistaxis}
