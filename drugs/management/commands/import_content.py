import sys

from django.core.management.base import BaseCommand, CommandError

from drugs.content_io import ContentFileError, content_import, read_content_file


class Command(BaseCommand):
    """Load a content export from another site: create or update by slug, all or nothing."""

    help = (
        "Import a file written by export_content. Rows are matched by slug (an "
        "indication by its drug and condition): missing ones are created, existing ones "
        "updated. Everything is saved in one transaction, so a bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export file ('-' for standard input).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the whole file, then save nothing."
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            if path == "-":
                data = read_content_file(sys.stdin)
            else:
                with open(path, encoding="utf-8") as stream:
                    data = read_content_file(stream)
            summary = content_import(data=data, dry_run=options["dry_run"])
        except OSError as error:
            raise CommandError(f"Cannot open {path}: {error.strerror}.") from None
        except ContentFileError as error:
            raise CommandError(f"{path}: {error} Nothing was imported.") from None

        if options["verbosity"] > 0:
            for section, counts in summary.counts.items():
                self.stdout.write(
                    f"{section.replace('_', ' ').capitalize()}: {counts['created']} created, "
                    f"{counts['updated']} updated."
                )
            if summary.unknown_users:
                names = ", ".join(sorted(summary.unknown_users))
                self.stdout.write(
                    self.style.WARNING(f"Users not on this site (left empty): {names}.")
                )
            if summary.saved:
                self.stdout.write(self.style.SUCCESS("Content imported."))
            else:
                self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
