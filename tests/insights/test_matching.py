import pytest

from insights.matching import Matcher, conflict_key, name_key, name_pattern, usable_names

DRY_LIPS, HEADACHE, RASH, NOSEBLEED, NAUSEA, DRY_SKIN, DIARRHOEA, DIZZINESS = range(8)

MATCHER = Matcher(
    {
        DRY_LIPS: ["Dry lips", "chapped lips", "cracked lips"],
        HEADACHE: ["Headache"],
        RASH: ["Rash"],
        NOSEBLEED: ["Epistaxis", "nosebleed", "nose bleed"],
        NAUSEA: ["Nausea", "feeling sick"],
        DRY_SKIN: ["Dry skin"],
        DIARRHOEA: ["Diarrhoea"],
        DIZZINESS: ["Dizziness", "dizzy"],
    }
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Month 2 and my lips are so chapped. Chapped lips all day, every day.", {DRY_LIPS}),
        ("Terrible HEADACHES the first week, then a rash on my arms.", {HEADACHE, RASH}),
        ("Got a nose bleed twice in the first month", {NOSEBLEED}),
        ("nose-bleeds most mornings in winter", {NOSEBLEED}),
        ("Nosebleeds were the worst part", {NOSEBLEED}),
        ("The diarrhea lasted a week", {DIARRHOEA}),
        ("bad diarhea at first", {DIARRHOEA}),
        ("some diziness when standing up", {DIZZINESS}),
        ("Felt dizzy and had Dry-Skin", {DIZZINESS, DRY_SKIN}),
        ("It didn't help my acne and I got a rash", {RASH}),
        ("I had no idea the headaches would be this bad", {HEADACHE}),
    ],
)
def test_mentions_are_found_across_case_plurals_hyphens_and_spellings(text, expected):
    assert MATCHER.find(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "No headaches at all!",
        "I didn't get any dry skin, which surprised me.",
        "I didn’t get any dry skin (curly apostrophe).",
        "Took it without nausea if I ate first.",
        "I never had nosebleeds, thankfully.",
        "no headaches, nausea or dizziness",
        "Headaches were not an issue.",
        "Nausea: none.",
        "Completely free of headaches now.",
        "Haven't had a single rash.",
    ],
)
def test_denied_mentions_do_not_count(text):
    assert MATCHER.find(text) == set()


def test_an_exception_after_a_negation_counts():
    assert MATCHER.find("No problems except dry lips.") == {DRY_LIPS}
    assert MATCHER.find("No side effects apart from chapped lips") == {DRY_LIPS}


def test_negation_stops_at_the_end_of_its_clause():
    text = "No headaches, but the nausea was bad. Never had a rash; dry skin though."
    assert MATCHER.find(text) == {NAUSEA, DRY_SKIN}


def test_a_new_subject_after_a_comma_ends_the_negation():
    assert MATCHER.find("Didn't have nausea, my skin got dry and I had a rash") == {RASH}


def test_word_boundaries_are_respected():
    assert MATCHER.find("My car crash was unrelated; brash words from my GP.") == set()
    assert MATCHER.find("headachey days") == set()


def test_names_with_regex_characters_are_plain_text():
    matcher = Matcher({1: ["(red) eyes*", "a+b", "C. diff", "[", ".*"], 2: ["pain|swelling"]})
    assert matcher.find("my (red) eyes* were sore") == {1}
    assert matcher.find("red eyes") == set()
    assert matcher.find("C. diff infection") == {1}
    assert matcher.find("Cx diff") == set()
    assert matcher.find("any text at all") == set()
    assert matcher.find("pain or swelling") == set()
    assert matcher.find("pain|swelling") == {2}


def test_empty_and_punctuation_only_names_are_ignored():
    matcher = Matcher({1: ["", "  ", ",", "-", "Rash"], 2: ["", "   "]})
    assert matcher.find("a rash") == {1}
    assert matcher.find("- , anything") == set()
    assert not Matcher({1: ["", "!!"]})


def test_other_scripts_are_matched_as_plain_text():
    matcher = Matcher({1: ["сыпь", "rash"], 2: ["脱毛"], 3: ["Übelkeit"], 4: ["صداع"]})
    assert matcher.find("У меня была сыпь на руках") == {1}
    assert matcher.find("Сыпь прошла") == {1}
    assert matcher.find("副作用は脱毛でした") == {2}
    assert matcher.find("Starke ÜBELKEIT am Anfang") == {3}
    assert matcher.find("عانيت من صداع شديد") == {4}
    assert matcher.find("Ελληνικά κείμενο χωρίς τίποτα") == set()


def test_text_in_other_scripts_never_breaks_an_english_matcher():
    assert MATCHER.find("😀 Ǆ ﬁ \u200b \x00 日本語 rash") == {RASH}
    assert MATCHER.find("") == set()
    assert MATCHER.find(None) == set()


def test_longer_names_win_over_shorter_ones_at_the_same_place():
    matcher = Matcher({1: ["skin"], 2: ["dry skin"]})
    assert matcher.find("terrible dry skin") == {2}


def test_mentions_explain_each_match():
    assert MATCHER.mentions("No rash. Headache.") == [
        (RASH, "rash", True),
        (HEADACHE, "headache", False),
    ]


def test_names_compare_without_case_spacing_or_plural():
    assert name_key("Nose-Bleed") == name_key("nose  bleed")
    assert conflict_key("Dry lips") == conflict_key("dry-lip")
    assert conflict_key("dizziness") != conflict_key("dizzines")
    assert usable_names(["Rash", "rash", " ", "RASH", "Hives"]) == ["Rash", "Hives"]


def test_name_pattern_escapes_every_character():
    assert name_pattern("a.b") is not None
    assert "\\." in name_pattern("a.b")
    assert name_pattern("   ") is None
