"""Measuring the side-effect matcher against reviews labelled by hand.

Reads a JSON Lines file of labelled reviews (one object a line with "id", "drug",
"condition", "text" and "reported", the side effects the writer says they had, named
from a vocabulary) and runs the matcher the site uses over each text. The database is
read only for the side-effect dictionary: a vocabulary name found there (by name or
other name) is matched with the dictionary's names, so editors' lay synonyms count;
a name the dictionary lacks is matched with the shipped lay-name file.
"""

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from drugs.models import SideEffect, split_names

from . import lexicon
from .assertion import ASSERTED
from .matching import Matcher
from .text import name_key

QUALITY_FILE = Path(__file__).resolve().parent / "data" / "mention_quality.json"
MAX_TEXT = 100_000


class EvaluationInputError(ValueError):
    """A labelled-reviews or vocabulary file that cannot be read; the message names the line."""


@dataclass
class LabelledReview:
    line: int
    id: str
    drug: str
    condition: str
    text: str
    reported: frozenset


def _lines(path, what):
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise EvaluationInputError(f"{what} {path}: no such file.") from None
    except IsADirectoryError:
        raise EvaluationInputError(f"{what} {path}: is a folder, not a file.") from None
    except OSError as error:
        raise EvaluationInputError(f"{what} {path}: cannot be read ({error.strerror}).") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            yield number, line.decode("utf-8").rstrip("\r")
        except UnicodeDecodeError as error:
            raise EvaluationInputError(
                f"{what} {path}, line {number}: not UTF-8 text (byte {error.start + 1} "
                "of the line). Save the file as UTF-8 and try again."
            ) from None


def read_vocabulary(path):
    """The side-effect names of a vocabulary file, one a line (blank lines and # comments skipped)."""
    names = []
    seen = {}
    for number, line in _lines(path, "Vocabulary"):
        name = line.strip()
        if not name or name.startswith("#"):
            continue
        key = name_key(name)
        if key in seen:
            raise EvaluationInputError(
                f"Vocabulary {path}, line {number}: “{name}” repeats line {seen[key]}."
            )
        seen[key] = number
        names.append(name)
    if not names:
        raise EvaluationInputError(f"Vocabulary {path}: no side-effect names in it.")
    return names


def _field(record, name, path, number, *, kind=str, required=True):
    value = record.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, kind):
        expected = "a list of names" if kind is list else "text"
        raise EvaluationInputError(
            f"{path}, line {number}: “{name}” must be {expected}"
            + (" and is missing." if value is None else f", not {type(value).__name__}.")
        )
    return value


def read_labelled_reviews(path, vocabulary):
    """The reviews of a JSON Lines file, checked: every reported name must be in `vocabulary`."""
    known = {name_key(name): name for name in vocabulary}
    reviews = []
    ids = {}
    for number, line in _lines(path, "Reviews file"):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise EvaluationInputError(
                f"{path}, line {number}: not a JSON object ({error.msg} at column {error.colno})."
            ) from None
        if not isinstance(record, dict):
            raise EvaluationInputError(f"{path}, line {number}: not a JSON object.")
        review_id = record.get("id")
        if not isinstance(review_id, str | int) or isinstance(review_id, bool):
            raise EvaluationInputError(f"{path}, line {number}: “id” is missing.")
        review_id = str(review_id)
        if review_id in ids:
            raise EvaluationInputError(
                f"{path}, line {number}: review id {review_id} repeats line {ids[review_id]}."
            )
        ids[review_id] = number
        text = _field(record, "text", path, number)
        if len(text) > MAX_TEXT:
            raise EvaluationInputError(
                f"{path}, line {number}: the text is longer than {MAX_TEXT:,} characters."
            )
        reported = _field(record, "reported", path, number, kind=list)
        names = set()
        for name in reported:
            if not isinstance(name, str) or name_key(name) not in known:
                raise EvaluationInputError(
                    f"{path}, line {number}: reported side effect “{name}” is not in the "
                    "vocabulary."
                )
            names.add(known[name_key(name)])
        reviews.append(
            LabelledReview(
                line=number,
                id=review_id,
                drug=_field(record, "drug", path, number, required=False),
                condition=_field(record, "condition", path, number, required=False),
                text=text,
                reported=frozenset(names),
            )
        )
    if not reviews:
        raise EvaluationInputError(f"{path}: no reviews in it (the file is empty).")
    return reviews


def default_vocabulary():
    """Every side effect of the shipped lay-name file, when no vocabulary file is given."""
    return list(lexicon.lay_terms())


def vocabulary_terms(vocabulary):
    """{vocabulary name: (names to match, where they came from)}.

    One query: the dictionary's side effects, each compared by name and other names.
    """
    by_key = {}
    for side_effect in SideEffect.objects.only("name", "other_names").order_by("name"):
        names = [side_effect.name, *split_names(side_effect.other_names)]
        for name in names:
            by_key.setdefault(name_key(name), names)
    terms = {}
    for name in vocabulary:
        names = by_key.get(name_key(name))
        if names:
            terms[name] = (names, "dictionary")
            continue
        entry = lexicon.entry_for([name])
        if entry:
            terms[name] = ([name, *lexicon.lay_names(entry)], "lay-name file")
        else:
            terms[name] = ([name], "its name only")
    return terms


@dataclass
class Outcome:
    review: LabelledReview
    term: str
    kind: str  # "false positive" or "false negative"
    sentence: str
    reason: str = ""


@dataclass
class Evaluation:
    reviews: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    per_term: dict = field(default_factory=dict)
    outcomes: list = field(default_factory=list)
    sources: dict = field(default_factory=dict)

    @property
    def precision(self):
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self):
        reported = self.true_positives + self.false_negatives
        return self.true_positives / reported if reported else 0.0

    @property
    def f1(self):
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(reviews, terms):
    """Run the matcher over each review for its condition and compare with the hand labels."""
    matcher = Matcher({name: names for name, (names, _) in terms.items()})
    result = Evaluation(reviews=len(reviews), sources={n: s for n, (_, s) in terms.items()})
    counts = {name: Counter() for name in terms}
    for review in reviews:
        mentions = matcher.explain(review.text, review.condition)
        found = {m.key for m in mentions if m.status == ASSERTED}
        for name in terms:
            reported = name in review.reported
            if name in found and reported:
                counts[name]["tp"] += 1
            elif name in found:
                counts[name]["fp"] += 1
                first = next(m for m in mentions if m.key == name and m.status == ASSERTED)
                result.outcomes.append(
                    Outcome(review, name, "false positive", first.sentence, f"“{first.text}”")
                )
            elif reported:
                counts[name]["fn"] += 1
                aside = next((m for m in mentions if m.key == name), None)
                result.outcomes.append(
                    Outcome(
                        review,
                        name,
                        "false negative",
                        aside.sentence if aside else "",
                        f"“{aside.text}” set aside: {aside.status}"
                        if aside
                        else "no name of it found",
                    )
                )
    for name, count in counts.items():
        result.per_term[name] = count
        result.true_positives += count["tp"]
        result.false_positives += count["fp"]
        result.false_negatives += count["fn"]
    return result


def _floor(value, places=3):
    """Round down, so a stored figure never claims more than was measured."""
    factor = 10**places
    return math.floor(value * factor) / factor


def quality_record(result, *, measured_on):
    """What readers are told about the matcher's measured quality, as stored in QUALITY_FILE."""
    return {
        "precision": _floor(result.precision),
        "recall": _floor(result.recall),
        "f1": _floor(result.f1),
        "reviews": result.reviews,
        "reported": result.true_positives + result.false_negatives,
        "found": result.true_positives + result.false_positives,
        "measured_on": measured_on,
        "measured_at": datetime.now(UTC).date().isoformat(),
    }


def write_quality(record, path=None):
    """Store `record` as the figures readers are shown (QUALITY_FILE unless `path`)."""
    path = Path(path or QUALITY_FILE)
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    measured_quality.cache_clear()


def _load_quality(path):
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    try:
        precision = float(record["precision"])
        recall = float(record["recall"])
        reviews = int(record["reviews"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (0 <= precision <= 1 and 0 <= recall <= 1 and reviews > 0):
        return None
    return MeasuredQuality(precision=precision, recall=recall, reviews=reviews)


@dataclass(frozen=True)
class MeasuredQuality:
    """The matcher's last measured precision and recall on hand-labelled reviews."""

    precision: float
    recall: float
    reviews: int

    @property
    def right_in_ten(self):
        """Of ten side effects the software counts, how many the writer reported (rounded down)."""
        return math.floor(self.precision * 10)

    @property
    def right_percent(self):
        return math.floor(self.precision * 100)

    @property
    def found_percent(self):
        return math.floor(self.recall * 100)

    @property
    def found_in_ten(self):
        """Of ten side effects writers reported, how many the software counts (rounded down)."""
        return math.floor(self.recall * 10)


@cache
def measured_quality():
    """The stored quality figures (MeasuredQuality), or None when never measured or unreadable."""
    return _load_quality(QUALITY_FILE)
