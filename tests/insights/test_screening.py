import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insights.screening import REDACTED, _AllClues, redact_personal_data, screen_text


def flagged(text):
    return {name for name, value in screen_text(text).flags.items() if value}


@pytest.mark.parametrize(
    "text",
    [
        "Worked for me. Email me at jane.doe@example.com if you want to chat.",
        "Happy to talk, call 07700 900123 any evening",
        "My clinic is on +44 (0)20 7946 0958.",
        "text me (555) 123-4567",
        "Dr Okafor was brilliant and explained everything",
        "Dr. Jane Smith at the clinic prescribed it",
        "Saw Professor Alan Whitfield about it",
        "My name is Tom Harding and this drug saved me",
    ],
)
def test_personal_data_is_flagged(text):
    assert "flag_personal_data" in flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "I took 80mg from 2019-2021, then 40 mg until 20/10/2023.",
        "10/10 would recommend, paid 120.50 for three months",
        "My Dr said the dry lips were normal",
        "my doctor was great and my dermatologist too",
        "Doctor Who fan, clear skin, no complaints",
        "Batch 1234 5678 was fine",
    ],
)
def test_doses_dates_and_unnamed_doctors_are_not_personal_data(text):
    assert "flag_personal_data" not in flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "You should take 80mg with food, the 40 does nothing.",
        "Double the dose and you'll see results in a week!",
        "Honestly everyone should just up the dose to 60 mg",
        "Side effects mild. Take two tablets if one does not work.",
        "I recommend taking 40mg at night",
        "If I were you I'd skip a dose when the lips get bad",
        "u should try 20mg first",
    ],
)
def test_dosing_advice_to_others_is_flagged(text):
    assert "flag_dosing_advice" in flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "I had to double the dose after a month.",
        "My doctor doubled my dose in week six.",
        "I take 40mg a day with a fatty meal.",
        "You should take it with food or your stomach hurts.",
        "Ask your doctor before changing anything.",
        "The dose was lowered to 20mg and the nosebleeds stopped.",
    ],
)
def test_reporting_ones_own_dose_is_not_dosing_advice(text):
    assert "flag_dosing_advice" not in flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "Month three I felt suicidal and stopped it.",
        "I wanted to kill myself and nobody noticed",
        "Dark thoughts, I didn't want to live anymore",
        "Started self-harming again on this",
        "I never thought I would want to die but I did",
        "Took an overdose in March",
        "I just want to end it all",
    ],
)
def test_self_harm_and_suicide_mentions_are_flagged(text):
    assert "flag_self_harm" in flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "No suicidal thoughts at all, just dry lips.",
        "I never had any suicidal thoughts, despite the warnings.",
        "The headaches were killing me",
        "This cream is to die for, honestly",
        "My back pain made me feel like dying some days... kidding, it was fine",
    ],
)
def test_denied_or_figurative_mentions_are_not_self_harm(text):
    assert "flag_self_harm" not in flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "Buy isotretinoin online at cheapmeds.com, best prices",
        "See https://example.org/deal for more",
        "visit www.example.net now",
        "great great great great great great",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "It works. It works. It works. It works.",
        "Order without a prescription, message me on WhatsApp",
    ],
)
def test_links_repeated_text_and_advertising_are_spam(text):
    assert "flag_spam" in flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "Amazing!!!!!!!!!!!! My skin is clear for the first time in years.",
        "Used it for 6 months, e.g. on my chin. Side effects were mild.",
        "Dry lips, dry lips, dry skin and more dry lips, but worth it.",
        "It worked. My skin is clear. I am happy.",
    ],
)
def test_ordinary_enthusiastic_reviews_are_not_spam(text):
    assert "flag_spam" not in flagged(text)


def test_an_ordinary_review_raises_no_flag():
    text = (
        "Took isotretinoin 40mg for six months for severe acne. Chapped lips and dry skin "
        "from week two, a few nosebleeds in winter, no headaches. My dermatologist checked "
        "my bloods monthly. Skin has been clear for a year."
    )
    screening = screen_text(text)
    assert not screening.is_flagged
    assert screening.reasons == []


def test_each_flag_comes_with_a_reason_a_moderator_can_read():
    screening = screen_text("Dr Patel said so. You should take 80mg. Visit pills.com")
    assert screening.flags == {
        "flag_personal_data": True,
        "flag_dosing_advice": True,
        "flag_self_harm": False,
        "flag_spam": True,
    }
    assert any("Dr Patel" in reason for reason in screening.reasons)
    assert any("You should take 80mg" in reason for reason in screening.reasons)


def test_other_scripts_and_odd_characters_never_break_screening():
    for text in ["", "日本語のレビュー", "\x00\u200b😀", "Привет " * 3, "+" * 500, "1" * 5000]:
        screen_text(text)


def test_redaction_removes_personal_data_and_keeps_the_rest():
    text = (
        "Dr. Jane Smith (jane@clinic.org, 07700 900123) was great. "
        "Chapped lips from week two, 40mg daily since 2021-03-01."
    )
    redacted = redact_personal_data(text)
    assert "Jane" not in redacted and "Smith" not in redacted
    assert "jane@clinic.org" not in redacted and "07700" not in redacted
    assert f"Dr. {REDACTED}" in redacted
    assert "Chapped lips from week two, 40mg daily since 2021-03-01." in redacted
    assert not screen_text(redacted).personal_data


def test_redaction_leaves_clean_text_unchanged():
    text = "Didn’t get any headaches. My doctor was kind."
    assert redact_personal_data(text) == text


def test_screening_stays_fast_on_long_pathological_text():
    import time

    started = time.perf_counter()
    for text in ["a" * 5000, "1" * 5000, "x." * 2500, "a-" * 2500, "you should take " * 300]:
        screen_text(text)
        redact_personal_data(text)
    # Linear patterns take milliseconds here; a quadratic one took seconds.
    assert time.perf_counter() - started < 3


def test_own_name_needs_a_capitalised_name():
    assert screen_text("MY NAME IS Tom Harding").personal_data
    assert not screen_text("my name is not important, the drug is").personal_data


# Pieces of every kind the patterns look for, and near misses, for generated reviews.
_PIECES = [
    "you", "should", "take", "80mg", "40 mg", "two tablets", "the dose", "dosage", "Take",
    "I recommend", "my advice", "if I were you", "double", "up", "everyone", "needs to",
    "Dr", "Dr.", "Doctor", "Nurse", "Prof", "Patel", "Smith", "My name is", "call me", "Tom",
    "jane@example.com", "07700 900123", "+44 20 7946 0958", "2019-2021", "٠٧٧٠٠٩٠٠١٢٣",
    "suicidal", "SELF-HARM", "self harm", "overdose", "no", "never had any", "kill myself",
    "want to die", "can't go on", "ending it all", "don't want to live", "better off dead",
    "no point in living", "take my own life", "wish I was dead", "not wanting to be alive",
    "cutting myself", "end my life", "didnt want to be here",
    "www.pills.shop", "example.com", "http://x.io", "buy it online", "without a prescription",
    "promo code", "WhatsApp", "click here", "aaaaaaaaaaaa", "AAAAAaaaaa", "spam", "spam spam",
    "İlaç", "suıcidal", "ǰǰǰǰǰǰǰǰǰǰǰǰ", "ß", "headache", "and", "the", "it", "I",
    "trust me", "I'd tell you", "I would suggest", "were", "SPLİT", "dİe", "İ", "onlİne",
]  # fmt: skip


@given(
    st.lists(
        st.tuples(
            st.sampled_from(_PIECES),
            st.sampled_from([" ", "  ", ", ", ". ", "\n", "! ", "-", "", " you "]),
        ),
        max_size=40,
    )
)
@settings(max_examples=600, deadline=None)
def test_skipping_patterns_by_clues_never_changes_the_flags(pieces):
    text = "".join(piece + separator for piece, separator in pieces)
    assert screen_text(text) == screen_text(text, clues=_AllClues)


@pytest.mark.parametrize(
    "text",
    [
        "You should take 80mg.",
        "Everyone needs to double the dose",
        "my advice is 2 tablets",
        "Dr Patel, call 07700 900123 or jane@example.com",
        "My name is Tom Harding",
        "I wanted to die. Self-harm too.",
        "Some days there is no point in living.",
        "buy pills online at www.pills.shop",
        "great great great great great great",
        "so good so good so good so good so good",
        "Noooooooooooooo",
        "İlaç İlaç İlaç İlaç İlaç",
        # A dotted capital I matches "i" in the patterns, but folds to "i" and a dot.
        "I want to dİe",
        "You should SPLİT 2 tablets.",
    ],
)
def test_texts_that_need_their_patterns_still_get_flagged_on_the_fast_path(text):
    fast, thorough = screen_text(text), screen_text(text, clues=_AllClues)
    assert fast.is_flagged
    assert fast == thorough
