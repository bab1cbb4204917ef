import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from insights import evaluation
from tests.factories import make_side_effect

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "real-reviews"
DEV = DATA / "dev.jsonl"
VOCABULARY = DATA / "VOCABULARY.txt"

# What the matcher reached on the development set. A ratchet: raise these when the
# matcher improves, never lower them.
RATCHET_PRECISION = 0.913
RATCHET_RECALL = 0.919

LAST_LINE = re.compile(
    r"^mentions: precision=(\d\.\d{3}) recall=(\d\.\d{3}) f1=(\d\.\d{3}) reviews=(\d+)$"
)


def run(*args, **options):
    out = io.StringIO()
    call_command("evaluate_mentions", *[str(arg) for arg in args], stdout=out, **options)
    return out.getvalue()


def write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def review_line(**fields):
    record = {"id": "1", "drug": "Drug", "condition": "Acne", "text": "", "reported": []}
    record.update(fields)
    return json.dumps(record) + "\n"


@pytest.fixture(scope="module")
def dev_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return run(DEV, vocabulary=VOCABULARY)


def test_development_set_scores_at_least_what_the_matcher_reached(dev_output):
    match = LAST_LINE.match(dev_output.rstrip("\n").splitlines()[-1])
    assert match, dev_output[-300:]
    precision, recall, _, reviews = match.groups()
    assert int(reviews) == 250
    assert float(precision) >= RATCHET_PRECISION
    assert float(recall) >= RATCHET_RECALL


def test_report_has_a_table_per_side_effect_and_the_sentences_behind_errors(dev_output):
    assert re.search(r"^weight gain\s+\d+\s+\d+\s+\d+", dev_output, re.MULTILINE)
    assert "lay-name file" in dev_output
    assert "False positives:" in dev_output and "False negatives:" in dev_output
    # Each error names its line and review, then quotes its sentence on the next line.
    assert re.search(r"^  line \d+ \(review \d+, .+\): .+\n      \S", dev_output, re.MULTILINE)


def test_the_dictionary_names_are_used_when_the_database_has_the_side_effect(tmp_path):
    make_side_effect(name="Headache", other_names="thumping skull")
    vocabulary = write(tmp_path, "vocabulary.txt", "headache\nnausea\n")
    reviews = write(
        tmp_path,
        "reviews.jsonl",
        review_line(id="1", text="A thumping skull every morning.", reported=["headache"])
        + review_line(id="2", text="Felt queasy for a week.", reported=["nausea"]),
    )

    output = run(reviews, vocabulary=vocabulary)

    assert re.search(r"^headache\s+1\s+0\s+0 .* dictionary$", output, re.MULTILINE)
    assert re.search(r"^nausea\s+1\s+0\s+0 .* lay-name file$", output, re.MULTILINE)
    assert output.splitlines()[-1] == ("mentions: precision=1.000 recall=1.000 f1=1.000 reviews=2")


def test_without_a_vocabulary_every_side_effect_of_the_lay_name_file_is_a_candidate(tmp_path):
    reviews = write(tmp_path, "r.jsonl", review_line(text="Gained 20 pounds.", reported=[]))
    output = run(reviews)
    assert output.splitlines()[-1].endswith("reviews=1")
    assert "weight gain: “gained 20 pounds”" in output


def test_write_figures_stores_what_readers_are_shown(tmp_path, monkeypatch):
    target = tmp_path / "quality.json"
    monkeypatch.setattr(evaluation, "QUALITY_FILE", target)
    reviews = write(
        tmp_path,
        "r.jsonl",
        review_line(id="1", text="Gained 20 pounds.", reported=["weight gain"])
        + review_line(id="2", text="Terrible headaches.", reported=[]),
    )

    run(reviews, write_figures=True)

    stored = json.loads(target.read_text())
    assert (stored["precision"], stored["recall"], stored["reviews"]) == (0.5, 1.0, 2)
    quality = evaluation.measured_quality()
    assert (quality.right_in_ten, quality.found_in_ten) == (5, 10)
    evaluation.measured_quality.cache_clear()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (review_line(id="1") + "{not json\n", "line 2: not a JSON object"),
        (review_line(id="1") + "[1, 2]\n", "line 2: not a JSON object"),
        (review_line(reported=["spontaneous combustion"]), "line 1: reported side effect"),
        (review_line(reported="headache"), "line 1: “reported” must be a list"),
        (review_line(text=None), "line 1: “text” must be text and is missing"),
        (review_line(id="7") + review_line(id="7"), "line 2: review id 7 repeats line 1"),
        ("", "no reviews in it (the file is empty)"),
        ("\n\n", "no reviews in it (the file is empty)"),
        (review_line(id="1").encode() + "caf\xe9\n".encode("latin-1"), "line 2: not UTF-8"),
    ],
)
def test_bad_input_is_refused_with_the_line_named(tmp_path, content, message):
    reviews = write(tmp_path, "reviews.jsonl", content)
    with pytest.raises(CommandError, match=re.escape(message)):
        run(reviews, vocabulary=VOCABULARY)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "no side-effect names in it"),
        ("headache\nnausea\nHeadache\n", "line 3: “Headache” repeats line 1"),
        (b"headache\n\xff\xfe\n", "line 2: not UTF-8"),
    ],
)
def test_a_bad_vocabulary_is_refused_with_the_line_named(tmp_path, content, message):
    vocabulary = write(tmp_path, "vocabulary.txt", content)
    reviews = write(tmp_path, "reviews.jsonl", review_line())
    with pytest.raises(CommandError, match=re.escape(message)):
        run(reviews, vocabulary=vocabulary)


def test_a_missing_file_is_refused_without_a_traceback(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.jsonl")


def test_command_has_help():
    with pytest.raises(SystemExit):
        call_command("evaluate_mentions", "--help", stdout=io.StringIO())
