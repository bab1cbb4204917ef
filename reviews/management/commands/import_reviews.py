import os

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from reviews.importing import DEFAULT_SOURCE, ImportFileError, reviews_import


class Command(BaseCommand):
    """Import patient reviews from a drug-review export (tab- or comma-separated)."""

    help = (
        "Import reviews from a tab- or comma-separated export with a header row: an "
        "unnamed id column, drugName, condition, review, rating (1-10), date "
        "('May 20, 2012') and usefulCount. Imported reviews are approved unless screening "
        "holds them for a moderator. Drug and condition names resolve through the drug "
        "dictionary; rows with a name that does not resolve wait in the unmatched-names "
        "queue for an editor, and missing indications are created as drafts. Bad rows "
        "are skipped and listed (with --atomic nothing is saved if any row is bad). "
        "Running the same file again updates the reviews instead of duplicating them."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the export file.")
        parser.add_argument(
            "--source",
            default=DEFAULT_SOURCE,
            help=f"Name of the data source; ids are unique per source (default: {DEFAULT_SOURCE}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and count everything, then save nothing.",
        )
        parser.add_argument(
            "--atomic",
            action="store_true",
            help="Save nothing at all if any row is bad.",
        )
        parser.add_argument(
            "--encoding",
            help="The file's text encoding when it is not UTF-8 (e.g. cp1252, latin-1).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            help="Rows written per batch (default depends on the database).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            help="Processes that screen review texts beside the import (0: none; "
            "default: one per spare core for files over 16 MB).",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        path = options["file"]
        if options["workers"] is not None and not 0 <= options["workers"] <= 64:
            raise CommandError("--workers must be a whole number from 0 to 64.")
        if options["batch_size"] is not None and options["batch_size"] < 1:
            raise CommandError("--batch-size must be 1 or more.")
        if len(options["source"]) > 50 or not options["source"].strip():
            raise CommandError("--source must be 1 to 50 characters.")
        try:
            total = os.path.getsize(path)
        except OSError as error:
            raise CommandError(f"Cannot open {path}: {error.strerror}.") from None
        progress = tqdm(
            total=total,
            unit="B",
            unit_scale=True,
            desc="Importing reviews",
            disable=verbosity == 0,
            file=self.stderr._out,
            leave=False,
        )
        try:
            summary = reviews_import(
                path=path,
                source=options["source"],
                atomic=options["atomic"],
                dry_run=options["dry_run"],
                encoding=options["encoding"],
                on_progress=progress.update,
                batch_size=options["batch_size"],
                screening_workers=options["workers"],
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        finally:
            progress.close()

        if summary.errors and verbosity > 0:
            self.stdout.write(self.style.WARNING(f"{summary.skipped} bad row(s) skipped:"))
            for error in summary.errors:
                self.stdout.write(f"  {error}")
            if summary.skipped > len(summary.errors):
                self.stdout.write(f"  … and {summary.skipped - len(summary.errors)} more.")

        lines = (
            f"Rows read: {summary.rows}. Created {summary.created}, updated "
            f"{summary.updated}, unchanged {summary.unchanged}, skipped {summary.skipped} "
            f"({summary.error_count} error(s)); queued for unmatched names: {summary.queued}.",
            f"New reviews published: {summary.published}; held for moderation: {summary.held}.",
            *self.name_lines("Drug", summary.drug_names, verbosity),
            *self.name_lines("Condition", summary.condition_names, verbosity),
            f"New draft indications for editors: {summary.draft_indications}.",
        )
        if options["atomic"] and summary.skipped:
            raise CommandError(
                " ".join(lines) + f" Nothing was saved: {summary.skipped} bad row(s) and --atomic."
            )
        if summary.rebuilt_list_indexes:
            lines += ("The review list indexes were built afresh.",)
        if verbosity > 0:
            for line in lines:
                self.stdout.write(line)
            if options["dry_run"]:
                self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
            else:
                self.stdout.write(self.style.SUCCESS("Import finished."))

    @staticmethod
    def name_lines(label, outcomes, verbosity):
        """How each distinct name resolved: counts, then the queued names (every
        name with -v 2)."""
        matched = {name: o for name, o in outcomes.items() if o.matched_to}
        queued = {name: o for name, o in outcomes.items() if not o.matched_to}
        lines = [
            f"{label} names: {len(matched)} matched ({sum(o.rows for o in matched.values())} "
            f"row(s)), {len(queued)} queued ({sum(o.rows for o in queued.values())} row(s))."
        ]
        shown = sorted(queued.items(), key=lambda item: (-item[1].rows, item[0]))
        limit = None if verbosity >= 2 else 20
        for name, outcome in shown[:limit]:
            lines.append(f"  queued: {name} ({outcome.rows} row(s))")
        if limit is not None and len(shown) > limit:
            lines.append(f"  … and {len(shown) - limit} more queued name(s) (-v 2 lists all).")
        if verbosity >= 2:
            for name, outcome in sorted(matched.items()):
                lines.append(
                    f"  matched: {name} → {outcome.matched_to} by {outcome.step} "
                    f"({outcome.rows} row(s))"
                )
        return lines
