import io

import pytest
from django.core.management import call_command

from drugs.models import SideEffect
from insights import lexicon
from insights.models import DrugMention
from tests.factories import make_drug_side_effect, make_review, make_side_effect

pytestmark = pytest.mark.django_db


def run(*args, verbosity=1):
    out = io.StringIO()
    call_command("load_lay_names", *args, verbosity=verbosity, stdout=out)
    return out.getvalue()


def test_every_side_effect_of_the_lexicon_has_lay_names_and_no_name_twice():
    seen = {}
    for name, names in lexicon.lay_terms().items():
        assert names, name
        for other in [name, *names]:
            key = other.casefold()
            assert seen.setdefault(key, name) == name, f"“{other}” is in {seen[key]} and {name}"


def test_lay_names_are_added_to_matching_side_effects_and_reviews_recounted():
    link = make_drug_side_effect(side_effect=make_side_effect(name="Weight gain"))
    make_review(drug=link.drug, body="I gained 20 pounds in two months.", status="approved")

    output = run()

    side_effect = SideEffect.objects.get(name="Weight gain")
    assert "gained # pounds" in side_effect.other_name_list
    assert "Added" in output
    assert DrugMention.objects.get(drug_side_effect=link).mention_count == 1


def test_editors_names_are_kept_and_a_name_another_side_effect_uses_is_skipped():
    make_side_effect(name="Tiredness", other_names="wiped")
    make_side_effect(name="Exhaustion", other_names="")  # an editor's own entry for "exhausted"
    make_side_effect(name="Sleepy spells", other_names="exhausted")

    run()

    tiredness = SideEffect.objects.get(name="Tiredness")
    assert tiredness.other_name_list[0] == "wiped"
    assert "fatigue" in tiredness.other_name_list
    assert "exhausted" not in tiredness.other_name_list


def test_running_twice_adds_nothing_more():
    make_side_effect(name="Nausea")
    run()
    before = SideEffect.objects.get().other_names
    assert "Would add 0 lay names" in run("--dry-run")
    assert SideEffect.objects.get().other_names == before


def test_dry_run_changes_nothing():
    make_side_effect(name="Nausea")
    output = run("--dry-run", verbosity=2)
    assert "Nausea: " in output and "nothing was changed" in output
    assert SideEffect.objects.get().other_names == ""
