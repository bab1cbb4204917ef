"""Measure moderation screening against hand-labelled reviews."""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from reviews.screening import LABEL_FLAGS, screen_text


def read_labelled(path):
    """(line number, text, set of labels) for each line of a JSONL file.

    Raises CommandError naming the line for anything that is not a review with a
    text and a list of known labels, and for a file with no review at all.
    """
    try:
        with open(path, "rb") as stream:
            raw_lines = stream.read().split(b"\n")
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from None
    reviews = []
    for number, raw in enumerate(raw_lines, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise CommandError(f"{path}, line {number}: not UTF-8 text.") from None
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise CommandError(f"{path}, line {number}: not JSON ({error.msg}).") from None
        if not isinstance(item, dict):
            raise CommandError(f"{path}, line {number}: expected a JSON object.")
        text, flags = item.get("text"), item.get("flags")
        if not isinstance(text, str):
            raise CommandError(f"{path}, line {number}: 'text' must be a string.")
        if not isinstance(flags, list) or not all(isinstance(flag, str) for flag in flags):
            raise CommandError(f"{path}, line {number}: 'flags' must be a list of names.")
        unknown = sorted(set(flags) - set(LABEL_FLAGS))
        if unknown:
            known = ", ".join(LABEL_FLAGS)
            raise CommandError(
                f"{path}, line {number}: unknown flag {', '.join(unknown)} (known: {known})."
            )
        reviews.append((number, str(item.get("id", number)), text, set(flags)))
    if not reviews:
        raise CommandError(f"{path} holds no reviews.")
    return reviews


def ratio(part, whole):
    return part / whole if whole else 0.0


class Command(BaseCommand):
    """Run the site's screening over labelled reviews and print how well it does."""

    help = (
        "Screen every review in a JSONL file (one object per line with 'text' and a "
        "'flags' list drawn from dosing_advice, crisis, personal_data, promotion, "
        "hostile) exactly as the site does, and print precision and recall per reason, "
        "each miss and false alarm with the sentence behind it, and a summary line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL file of labelled reviews.")

    def handle(self, *args, file, verbosity=1, **options):
        reviews = read_labelled(file)
        counts = {label: {"tp": 0, "fp": 0, "fn": 0} for label in LABEL_FLAGS}
        misses, alarms = [], []
        started = time.perf_counter()
        for number, review_id, text, labels in reviews:
            screening = screen_text(text)
            for label, flag in LABEL_FLAGS.items():
                raised = bool(getattr(screening, flag))
                wanted = label in labels
                if raised and wanted:
                    counts[label]["tp"] += 1
                elif raised:
                    counts[label]["fp"] += 1
                    alarms.append((label, number, review_id, screening.sentences(flag)))
                elif wanted:
                    counts[label]["fn"] += 1
                    misses.append((label, number, review_id, text))
        elapsed = time.perf_counter() - started

        if verbosity >= 1:
            self.stdout.write("reason          precision  recall  labelled  flagged")
            for label, c in counts.items():
                flagged, labelled = c["tp"] + c["fp"], c["tp"] + c["fn"]
                self.stdout.write(
                    f"{label:<15} {ratio(c['tp'], flagged):9.3f}  {ratio(c['tp'], labelled):6.3f}"
                    f"  {labelled:8d}  {flagged:7d}"
                )
            for label, number, review_id, text in misses:
                excerpt = " ".join(text.split())[:200]
                self.stdout.write(f"miss  {label} (line {number}, id {review_id}): {excerpt}")
            for label, number, review_id, sentences in alarms:
                said = " | ".join(sentences)
                self.stdout.write(f"false alarm  {label} (line {number}, id {review_id}): {said}")
            per_review = 1e6 * elapsed / len(reviews)
            self.stdout.write(f"screened {len(reviews)} reviews, {per_review:.0f} µs each")

        tp = sum(c["tp"] for c in counts.values())
        fp = sum(c["fp"] for c in counts.values())
        fn = sum(c["fn"] for c in counts.values())

        def recall(label):
            c = counts[label]
            return ratio(c["tp"], c["tp"] + c["fn"])

        self.stdout.write(
            f"screening: precision={ratio(tp, tp + fp):.3f} recall={ratio(tp, tp + fn):.3f} "
            f"crisis_recall={recall('crisis'):.3f} dosing_recall={recall('dosing_advice'):.3f} "
            f"reviews={len(reviews)}"
        )
