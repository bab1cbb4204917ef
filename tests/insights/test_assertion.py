"""The context rules, one behaviour at a time, on sentences written like real reviews."""

import pytest

from insights import lexicon
from insights.assertion import (
    ASSERTED,
    HYPOTHETICAL,
    IMPROVED,
    NEGATED,
    NOT_A_SIDE_EFFECT,
    OTHER_TIME_OR_DRUG,
    SOMEONE_ELSE,
    TREATED_CONDITION,
)
from insights.matching import Matcher

MATCHER = Matcher({name: lexicon.lay_names(name) for name in lexicon.lay_terms()})


def verdicts(text, condition=None):
    return {(m.key, m.status) for m in MATCHER.explain(text, condition)}


def found(text, condition=None):
    return MATCHER.find(text, condition)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Three months in and I have gained 14 pounds.", {"weight gain"}),
        ("I gained about twenty pounds on it", {"weight gain"}),
        ("Put on weight fast.", {"weight gain"}),
        ("I have been bleeding constantly since the second pack", {"irregular bleeding"}),
        ("Spotting on and off every week", {"irregular bleeding"}),
        ("Exhausted by lunchtime every single day", {"tiredness"}),
        ("I'm so moody my partner barely recognises me", {"mood swings"}),
        ("Honestly no sex drive at all on this pill", {"low sex drive"}),
        ("Started losing clumps of hair in the shower", {"hair loss"}),
        ("The shot gave me the worst diahrrea of my life", {"diarrhoea"}),
        ("Woke up drenched with night sweats", {"sweating"}),
        ("My mouth gets so dry I keep water by the bed", {"dry mouth"}),
    ],
)
def test_lay_wording_is_recognised(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "No weight gain so far.",
        "I didn't get any headaches, which surprised me.",
        "I haven't noticed any weight gain or increase in appetite at all.",
        "Never had a single nosebleed on it.",
        "Headaches were not an issue for me.",
        "Nausea: none at all.",
    ],
)
def test_denied_side_effects_do_not_count(text):
    assert found(text) == set()
    assert {status for _, status in verdicts(text)} == {NEGATED}


def test_a_negation_reaches_across_a_list_but_not_past_a_new_item():
    assert found("No headaches, nausea or dizziness.") == set()
    assert found("No weight gain, some headaches and fatigue.") == {"headache", "tiredness"}
    assert found("No cramps, just a little bloating.") == {"bloating"}


def test_a_name_that_states_an_absence_counts_and_does_not_negate_the_next_one():
    assert found("Zero appetite, feeling sick all day.") == {"decreased appetite", "nausea"}
    assert found("I have not had a period since the implant.") == {"no periods"}


def test_a_comparison_with_the_past_is_not_a_denial():
    assert found("I have never had headaches like this before.") == {"headache"}


@pytest.mark.parametrize(
    "text",
    [
        "I was scared I would gain weight on it.",
        "My doctor warned me about hair loss.",
        "I was hoping to avoid nausea on the higher dose.",
        "I read that it can cause insomnia.",
        "Is it normal to get headaches on this?",
    ],
)
def test_feared_warned_and_asked_about_side_effects_do_not_count(text):
    assert found(text) == set()
    assert HYPOTHETICAL in {status for _, status in verdicts(text)}


@pytest.mark.parametrize(
    "text",
    [
        "On my old pill I had headaches every week.",
        "Since stopping it I have terrible acne.",
        "Before I started this I had awful cramps.",
        "When I was tapering off I couldn't sleep.",
        "The spotting was due to the procedure, the doctor said.",
        "I have had migraines for over 20 years.",
    ],
)
def test_other_drugs_and_other_times_do_not_count(text):
    assert found(text) == set()
    assert OTHER_TIME_OR_DRUG in {status for _, status in verdicts(text)}


def test_a_history_the_drug_made_worse_counts():
    assert found("I'm prone to insomnia and this made it so much worse.") == {"insomnia"}


def test_sentences_after_a_passage_about_a_previous_drug_belong_to_it():
    text = "My previous pill was a nightmare for me. Moody, always hungry. Then I switched."
    assert found(text) == set()
    text = "My previous pill was fine. Now I'm moody all the time on this one."
    assert found(text) == {"mood swings"}


@pytest.mark.parametrize(
    "text",
    [
        "My cramps are gone completely.",
        "It cleared up my acne in a month.",
        "It really helped my anxiety.",
        "Much less bloating than before.",
        "The headaches have improved a lot.",
    ],
)
def test_improvements_do_not_count(text):
    assert found(text) == set()
    assert IMPROVED in {status for _, status in verdicts(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I stopped taking it because of the headaches.", {"headache"}),
        ("It took a while to get used to the dizziness.", {"dizziness"}),
        ("I hope these headaches go away soon.", {"headache"}),
        ("I've been on it for 2 years and gained 30 pounds.", {"weight gain"}),
        ("I don't like it because it gives me headaches.", {"headache"}),
        ("I can't stand the nausea.", {"nausea"}),
        ("I didn't expect the nausea to be this bad.", {"nausea"}),
        ("I took it for my acne and got terrible headaches.", {"headache"}),
        ("I have never had such bad headaches.", {"headache"}),
    ],
)
def test_words_that_look_like_triggers_but_are_not(text, expected):
    assert found(text) == expected


def test_a_side_effect_that_passed_still_counts():
    assert found("The nausea went away after a week.") == {"nausea"}


@pytest.mark.parametrize(
    "text",
    [
        "My sister got migraines on it.",
        "Some people get terrible acne from this.",
        "To those who feel dizzy, take it at night.",
    ],
)
def test_someone_elses_side_effects_do_not_count(text):
    assert found(text) == set()
    assert SOMEONE_ELSE in {status for _, status in verdicts(text)}


def test_the_writer_is_back_as_subject_after_someone_else():
    assert found("I went out with my boyfriend and I was nauseous all night.") == {"nausea"}


def test_a_carer_describing_their_child_counts():
    assert found("My 7 year old started vomiting the day after his first dose.") == {"vomiting"}


def test_the_treated_condition_counts_only_when_the_drug_made_it_worse():
    assert found("I still have acne on my chin.", condition="Acne") == set()
    assert (("acne", TREATED_CONDITION)) in verdicts("Acne on my chin.", condition="Acne")
    assert found("It made my acne so much worse at first.", condition="Acne") == {"acne"}
    assert found("I still have acne on my chin.", condition="Birth Control") == {"acne"}


def test_the_aim_of_the_drug_is_not_a_side_effect():
    assert found("Lost 15 pounds in the first month!", condition="Obesity") == set()
    assert found("Sleepy within half an hour.", condition="Insomnia") == set()
    assert found("Lost 15 pounds in the first month!", condition="Depression") == {"weight loss"}


def test_taking_it_for_a_symptom_is_not_having_it_as_a_side_effect():
    assert found("I was prescribed this for my insomnia.") == set()
    assert found("I take it for migraines and it works.") == set()


@pytest.mark.parametrize(
    "text",
    [
        "I'm sick and tired of waiting rooms.",
        "I'm tired of trying new pills.",
        "The first week was a nightmare to get through.",
    ],
)
def test_phrases_that_only_look_like_side_effects_do_not_count(text):
    assert found(text) == set()
    assert NOT_A_SIDE_EFFECT in {status for _, status in verdicts(text)}


def test_a_verdict_for_every_name_explains_the_reading():
    mentions = MATCHER.explain("No rash. Terrible headache.")
    assert [(m.key, m.status) for m in mentions] == [("rash", NEGATED), ("headache", ASSERTED)]
    assert mentions[1].sentence == "terrible headache"


def test_a_new_predicate_after_and_ends_a_denial():
    assert found("It did nothing for my pain and gave me a headache.") == {"headache"}


def test_patients_of_the_writer_are_someone_else():
    assert found("As a nurse, many of my patients complain of dry mouth.") == set()


def test_the_writer_speaking_again_ends_what_others_said():
    text = "Everyone says it causes weight gain and sure enough I gained 15 lbs."
    assert found(text) == {"weight gain"}
