from django.core.management.base import BaseCommand, CommandError

from dictionary.services import DEFAULT_FILES, DictionaryFileError, dictionary_import


class Command(BaseCommand):
    help = (
        "Import or refresh drug names (brands, other names and spellings) for the drugs on the "
        "site from tab-separated files (name, drug, kind, regions; gzip allowed). Without FILE, "
        "the bundled reference dictionary and the brand regions file. Names an editor added, "
        "changed or marked wrong are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; save nothing."
        )

    def handle(self, *args, files, dry_run, verbosity, **options):
        try:
            summary = dictionary_import(paths=files or DEFAULT_FILES, dry_run=dry_run)
        except DictionaryFileError as error:
            raise CommandError(str(error)) from None
        if verbosity >= 1:
            verb = "Would add" if dry_run else "Added"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{verb} {summary.added} name(s), updated {summary.updated}, removed "
                    f"{summary.removed}; {summary.drugs_matched} drug(s) of the dictionary are "
                    f"on the site; kept {summary.kept_for_editors} name(s) editors changed."
                )
            )
            if dry_run:
                self.stdout.write("Dry run: nothing was saved.")
        if verbosity >= 2:
            for conflict in summary.conflicts[:50]:
                self.stdout.write(f"Same name under two drugs, first kept: {conflict}")
