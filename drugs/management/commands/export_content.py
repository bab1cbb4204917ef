from django.core.management.base import BaseCommand, CommandError

from drugs.content_io import content_export_json


class Command(BaseCommand):
    """Write all published content, with tags and sources, as JSON with natural keys."""

    help = (
        "Export published drugs, conditions, indications, side effects, classes, "
        "ingredients and their tags as JSON keyed by slugs, for import_content on "
        "another site. Writes to standard output unless --output is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        path = options["output"]
        if not path or path == "-":
            content_export_json(self.stdout._out)
            return
        try:
            with open(path, "w", encoding="utf-8") as stream:
                content_export_json(stream)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        if options["verbosity"] > 0:
            self.stderr.write(self.style.SUCCESS(f"Content exported to {path}."))
