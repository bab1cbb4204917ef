import time

from django.core.management.base import BaseCommand

from insights.services import BATCH_SIZE, mentions_recompute_all


class Command(BaseCommand):
    """Rebuild every side-effect mention and stored figure from approved reviews."""

    help = (
        "Rescan every approved review for side-effect mentions and rebuild the stored "
        "'Patients mention' figures. Safe to run at any time: pages keep showing the old "
        "figures until the new ones are committed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Scan and report what would be stored, without changing anything.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Reviews read and mentions written per batch (default {BATCH_SIZE}).",
        )

    def handle(self, *args, dry_run=False, batch_size=BATCH_SIZE, verbosity=1, **options):
        if batch_size < 1:
            self.stderr.write(self.style.ERROR("--batch-size must be at least 1."))
            return
        started = time.monotonic()
        next_report = 0.0

        def progress(done, total):
            nonlocal next_report
            # Every tenth of the work by default, every batch at verbosity 2 and above.
            if verbosity >= 2 or (verbosity == 1 and done / max(total, 1) >= next_report):
                self.stdout.write(f"  {done:,} of {total:,} reviews scanned")
                next_report = done / max(total, 1) + 0.1

        result = mentions_recompute_all(dry_run=dry_run, batch_size=batch_size, progress=progress)
        seconds = time.monotonic() - started
        if verbosity >= 1:
            verb = "Would store" if dry_run else "Stored"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{verb} {result.mentions:,} mentions from {result.reviews:,} approved "
                    f"reviews: {result.drug_figures:,} drug and {result.indication_figures:,} "
                    f"indication figures ({seconds:.1f}s)."
                )
            )
            if dry_run:
                self.stdout.write("Dry run: nothing was changed.")
