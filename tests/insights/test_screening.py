import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.screening import (
    LABEL_FLAGS,
    REDACTED,
    _AllClues,
    redact_personal_data,
    screen_text,
)


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
        "flag_hostile": False,
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
    "idiots", "moron", "is a", "was such an", "their stupidity", "f*** you", "go to hell",
    "inept", "doctor", "double up", "cold turkey", "don't stop", "if you miss", "take 2",
    "ask your doctor for", "taper off", "advice:", "so don't do this", "stopped", "urge you",
    "suicidally", "give up on life", "couldn't die", "my son", "may cause", "lost my will to live",
    "Dr. Diminished", "since 2019", "twice a day",
    "doses", "upset", "turkeys", "Ask your psychiatrist for", "go past", "in half", "in two",
    "more", "Split it", "so don't try this", "wanted to end it", "pray I would not", "wake up",
    "slit my wrists", "42 Church Street", "You'll want to", "I'd say", "Only take", "one",
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


# Labelled cases written for these tests in the style of real patient reviews (the
# labels follow the same definitions as the hand-labelled development set).
LABELLED = [
    # dosing advice to others
    (
        "Been on it two years. Ask your doctor for 40mg, the 20 did nothing for me.",
        {"dosing_advice"},
    ),
    ("If you forget a pill just double up the next day, works fine.", {"dosing_advice"}),
    ("Tip for newbies: double up if you miss one, nobody tells you that.", {"dosing_advice"}),
    ("Whatever you do, don't stop it cold turkey. The withdrawal is brutal.", {"dosing_advice"}),
    ("Start at 25mg and work your way up, trust me.", {"dosing_advice"}),
    ("You can always cut the tablets in half if the full dose is too strong.", {"dosing_advice"}),
    ("My advice: take 2 at night instead of one, you sleep right through.", {"dosing_advice"}),
    ("Don't quit taking it too soon, give it at least a month.", {"dosing_advice"}),
    ("I would suggest taking 5mg twice a day rather than 10mg at once.", {"dosing_advice"}),
    (
        "Anyone struggling should just skip a dose on weekends, I do and feel fine.",
        {"dosing_advice"},
    ),
    ("Honestly you need to take at least 600mg or it won't touch the pain.", {"dosing_advice"}),
    ("Taper off slowly over a few weeks, don't just stop.", {"dosing_advice"}),
    ("If you get the jitters, lower the dose to half a tablet.", {"dosing_advice"}),
    (
        "Please ask your GP to increase you to 150mg, it made all the difference for me.",
        {"dosing_advice"},
    ),
    # own dose, doctor's decisions, timing tips: not advice
    ("I take 20mg twice a day and have had no problems so far.", set()),
    ("My doctor doubled my dose after six weeks and the panic attacks stopped.", set()),
    ("Started on 10mg, now on 30mg. Mild nausea the first week.", set()),
    ("Take it with food, otherwise it upsets your stomach.", set()),
    ("Try taking it at bedtime if it makes you drowsy.", set()),
    ("I stopped taking it after a month because of the headaches.", set()),
    ("I had to cut down to 5mg because of the dizziness.", set()),
    ("Take as prescribed and be patient, it took eight weeks to work for me.", set()),
    ("Don't take this drug, it ruined my summer.", set()),
    ("I would recommend this to anyone with bad acne.", set()),
    ("The usual starting dose is 50mg, which is what I got.", set()),
    # crisis
    ("Within a week on it I was having suicidal thoughts and had to come off.", {"crisis"}),
    ("I wanted to die every single day on this pill.", {"crisis"}),
    ("It made me so low I started cutting myself again.", {"crisis"}),
    ("Two years ago I tried to end my life. This medication gave it back to me.", {"crisis"}),
    ("Honestly felt like there was no point in living anymore while taking it.", {"crisis"}),
    ("I overdosed on my old meds last spring, this one keeps me steady.", {"crisis"}),
    ("Lost my will to live after the dose went up.", {"crisis"}),
    ("Made me suicidal within days, be careful.", {"crisis"}),
    # not crisis
    ("No suicidal thoughts at all, which was my biggest worry.", set()),
    ("The leaflet warns it may cause suicidal thoughts in young people, but I was fine.", set()),
    ("My son became suicidal on it so we stopped straight away.", set()),
    ("This medicine saved my life, no exaggeration.", set()),
    ("The itching was killing me before I found this cream.", set()),
    ("I am done living like this with the side effects, switching next week.", set()),
    # personal data
    ("Dr. Hargreaves at the Elm Street clinic is brilliant, ask for her.", {"personal_data"}),
    ("Happy to talk to anyone, email me at sam.rivers@example.net", {"personal_data"}),
    ("Call me on 0161 496 0732 if you want to know more about my experience.", {"personal_data"}),
    ("My Dr said the rash was nothing to worry about.", set()),
    ("Went to see the Dr. Eventually they switched me to something else.", set()),
    # promotion
    ("Get it cheaper at www.pillsdirect-shop.com no prescription needed!", {"promotion"}),
    ("Use promo code SAVE20 at checkout for 20% off your first order.", {"promotion"}),
    ("I used the manufacturer's savings card and paid ten dollars.", set()),
    # hostile
    ("The idiots who wrote the bad reviews clearly never took it properly.", {"hostile"}),
    ("My incompetent doctor refused to listen for months.", {"hostile"}),
    ("Whoever approved this drug is a moron.", {"hostile"}),
    ("Only take half a tablet the first week or you will feel awful.", {"dosing_advice"}),
    ("Don't go over 20mg, the side effects get much worse above that.", {"dosing_advice"}),
    ("You'll want to up the dose after a fortnight if nothing changes.", {"dosing_advice"}),
    ("Split the pill in half if it makes you sleepy.", {"dosing_advice"}),
    ("I'd say take it twice a day for the best effect.", {"dosing_advice"}),
    ("Take one in the morning and one at night and you'll be fine.", {"dosing_advice"}),
    ("Take it one day at a time, the first month is the worst.", set()),
    ("Some nights I wanted to end it, the lows were that bad.", {"crisis"}),
    ("I used to pray I would not wake up in the morning.", {"crisis"}),
    ("My pharmacy on 42 Church Street always has it in stock.", {"personal_data"}),
    ("I wanted to end it with my old pill because of the spotting.", set()),
    ("Be careful not to overdose, the tablets look alike.", set()),
    (
        "I was terrified of getting suicidal thoughts after reading the leaflet, but none came.",
        set(),
    ),
    ("I accidentally overdosed once by taking the morning pill twice.", set()),
    ("By month two I was having suicidal thoughts every night.", {"crisis"}),
    ("This damn drug gave me the worst headaches of my life.", set()),
    ("I felt like an idiot for waiting so long to try it.", set()),
    ("The side effects are hell but the results are worth it.", set()),
]


def labels_of(text):
    screening = screen_text(text)
    return {label for label, flag in LABEL_FLAGS.items() if getattr(screening, flag)}


@pytest.mark.parametrize(("text", "expected"), LABELLED, ids=[t[:40] for t, _ in LABELLED])
def test_screening_labels_real_style_reviews_as_a_moderator_would(text, expected):
    assert labels_of(text) == expected


def test_the_writer_is_shown_crisis_support_only_for_crisis_language():
    assert screen_text("Some nights I wanted to kill myself on it.").needs_crisis_support
    assert not screen_text("It worked and the dry lips were bearable.").needs_crisis_support


def test_each_finding_names_the_sentence_that_raised_it():
    text = "Great for my skin. You should take 80mg, the 40 does nothing. Dry lips though."
    screening = screen_text(text)
    assert screening.sentences("dosing_advice") == ["You should take 80mg, the 40 does nothing."]


# The evaluate_screening command

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "real-reviews" / "dev.jsonl"
SUMMARY = re.compile(
    r"^screening: precision=(\d\.\d{3}) recall=(\d\.\d{3}) crisis_recall=(\d\.\d{3}) "
    r"dosing_recall=(\d\.\d{3}) reviews=(\d+)$"
)


def evaluate(path):
    out = StringIO()
    call_command("evaluate_screening", str(path), stdout=out)
    lines = out.getvalue().splitlines()
    match = SUMMARY.match(lines[-1])
    assert match, lines[-1]
    precision, recall, crisis, dosing = (float(value) for value in match.groups()[:4])
    return precision, recall, crisis, dosing, int(match.group(5)), lines


def write_jsonl(path, items):
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def test_screening_on_the_development_set_does_not_fall_below_what_it_reached():
    # A ratchet: raise these when the screen gets better, never lower them.
    precision, recall, crisis, dosing, reviews, _ = evaluate(DEV_SET)
    assert reviews == 250
    assert precision >= 1.0
    assert recall >= 1.0
    assert crisis >= 1.0
    assert dosing >= 1.0


def test_screening_on_our_own_labelled_cases_does_not_fall_below_what_it_reached(tmp_path):
    items = [{"id": str(n), "text": text, "flags": sorted(flags)} for n, (text, flags) in
             enumerate(LABELLED)]  # fmt: skip
    precision, recall, crisis, dosing, reviews, _ = evaluate(
        write_jsonl(tmp_path / "own.jsonl", items)
    )
    assert reviews == len(LABELLED)
    assert (precision, recall, crisis, dosing) == (1.0, 1.0, 1.0, 1.0)


def test_evaluation_lists_misses_and_false_alarms_with_their_sentences(tmp_path):
    items = [
        {"id": "a", "text": "Fine drug. You should take 80mg daily. Lips dry.", "flags": []},
        {"id": "b", "text": "Nothing to see here, it just worked.", "flags": ["hostile"]},
        {"id": "c", "text": "I wanted to die on it.", "flags": ["crisis"]},
    ]
    precision, recall, crisis, dosing, reviews, lines = evaluate(
        write_jsonl(tmp_path / "mixed.jsonl", items)
    )
    assert (precision, recall, crisis, dosing, reviews) == (0.5, 0.5, 1.0, 0.0, 3)
    output = "\n".join(lines)
    assert "false alarm  dosing_advice (line 1, id a): You should take 80mg daily." in output
    assert "miss  hostile (line 2, id b): Nothing to see here" in output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "holds no reviews"),
        (b"\n   \n", "holds no reviews"),
        (b'{"text": "ok", "flags": []}\n{not json\n', "line 2: not JSON"),
        (b'{"text": "ok", "flags": ["rude"]}\n', "line 1: unknown flag rude"),
        (b'{"text": "ok", "flags": "crisis"}\n', "line 1: 'flags' must be a list"),
        (b'{"text": 12, "flags": []}\n', "line 1: 'text' must be a string"),
        (b"[1, 2]\n", "line 1: expected a JSON object"),
        (b'{"text": "ok", "flags": []}\n{"text": "caf\xe9", "flags": []}\n', "line 2: not UTF-8"),
    ],
)
def test_bad_evaluation_files_name_the_line_without_a_traceback(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("evaluate_screening", str(path), stdout=StringIO())


def test_a_missing_evaluation_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("evaluate_screening", str(tmp_path / "nowhere.jsonl"), stdout=StringIO())


def test_a_byte_order_mark_at_the_start_is_accepted(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": "fine", "flags": []}).encode())
    assert evaluate(path)[4] == 1
