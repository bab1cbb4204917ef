from django.core.management.base import BaseCommand

from caching import invalidate, invalidate_all


class Command(BaseCommand):
    help = (
        "Invalidate cached pages: every page (run it after deploying a release, whose "
        "templates may render differently), or only those depending on the given keys."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "keys", nargs="*", help="dependency keys, e.g. drugs.drug:12 listing:drugs"
        )

    def handle(self, *args, keys, verbosity, **options):
        if keys:
            invalidate(*keys)
        else:
            invalidate_all()
        if verbosity:
            what = ", ".join(keys) if keys else "every page"
            self.stdout.write(self.style.SUCCESS(f"Invalidated {what}."))
