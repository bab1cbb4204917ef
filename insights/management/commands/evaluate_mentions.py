from django.core.management.base import BaseCommand, CommandError

from insights.evaluation import (
    EvaluationInputError,
    default_vocabulary,
    evaluate,
    quality_record,
    read_labelled_reviews,
    read_vocabulary,
    vocabulary_terms,
    write_quality,
)


class Command(BaseCommand):
    """Measure the side-effect matcher against reviews labelled by hand."""

    help = (
        "Run the site's side-effect matcher over a JSON Lines file of hand-labelled reviews "
        "and print precision, recall and F1 (micro-averaged over review and side-effect "
        "pairs), a table per side effect, and each false positive and false negative with "
        "the sentence behind it. Needs no demo data: side effects the dictionary lacks are "
        "matched with the shipped lay-name file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Labelled reviews, one JSON object a line.")
        parser.add_argument(
            "--vocabulary",
            help="Side-effect names, one a line (default: every side effect of the lay-name "
            "file). Each is looked up in the side-effect dictionary by name or other name.",
        )
        parser.add_argument(
            "--write-figures",
            action="store_true",
            help="Store the measured precision and recall as the figures readers are shown "
            "beside review-mined side effects.",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=None,
            help="Show at most this many false positives and negatives (default: all).",
        )

    def handle(self, *args, file, vocabulary=None, write_figures=False, limit=None, **options):
        verbosity = options.get("verbosity", 1)
        try:
            names = read_vocabulary(vocabulary) if vocabulary else default_vocabulary()
            reviews = read_labelled_reviews(file, names)
        except EvaluationInputError as error:
            raise CommandError(str(error)) from None
        result = evaluate(reviews, vocabulary_terms(names))
        if verbosity >= 1:
            self._report(result, limit)
        if write_figures:
            write_quality(quality_record(result, measured_on=file.rsplit("/", 1)[-1]))
            if verbosity >= 1:
                self.stdout.write(self.style.SUCCESS("Stored these figures for readers."))
        self.stdout.write(
            f"mentions: precision={result.precision:.3f} recall={result.recall:.3f} "
            f"f1={result.f1:.3f} reviews={result.reviews}"
        )

    def _report(self, result, limit):
        out = self.stdout.write
        out(
            f"{result.reviews} reviews; {result.true_positives} side effects found as labelled, "
            f"{result.false_positives} found but not labelled, {result.false_negatives} "
            "labelled but missed."
        )
        out("")
        width = max(len(name) for name in result.per_term) + 2
        out(f"{'side effect':<{width}}{'tp':>5}{'fp':>5}{'fn':>5}{'prec':>7}{'recall':>8}  names")
        for name, count in sorted(result.per_term.items()):
            tp, fp, fn = count["tp"], count["fp"], count["fn"]
            precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
            recall = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
            out(
                f"{name:<{width}}{tp:>5}{fp:>5}{fn:>5}{precision:>7}{recall:>8}  "
                f"{result.sources[name]}"
            )
        outcomes = sorted(result.outcomes, key=lambda o: (o.kind, o.review.line))
        if limit is not None:
            outcomes = outcomes[:limit]
        for kind in ("false positive", "false negative"):
            shown = [o for o in outcomes if o.kind == kind]
            if not shown:
                continue
            out("")
            out(f"{kind.capitalize()}s:")
            for outcome in shown:
                review = outcome.review
                out(
                    f"  line {review.line} (review {review.id}, {review.drug or 'no drug'}"
                    f" for {review.condition or 'no condition'}): {outcome.term}: "
                    f"{outcome.reason}"
                )
                if outcome.sentence:
                    out(f"      {outcome.sentence}")
        out("")
