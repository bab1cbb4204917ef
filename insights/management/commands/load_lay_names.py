from django.core.management.base import BaseCommand

from insights.lexicon import DATA_FILE
from insights.services import side_effects_add_lay_names


class Command(BaseCommand):
    """Seed the side-effect dictionary with the lay names patients use."""

    help = (
        "Add the lay names of the shipped lexicon (how patients write side effects: "
        "'gained 20 pounds', 'spotting', 'exhausted') to the other names of the matching "
        "side effects, where editors can then curate them. Names another side effect "
        "already uses are skipped. Affected reviews are rescanned."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be added; change nothing."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        added = side_effects_add_lay_names(dry_run=dry_run)
        if verbosity >= 2:
            for side_effect, names in added:
                self.stdout.write(f"  {side_effect.name}: {', '.join(names)}")
        if verbosity >= 1:
            total = sum(len(names) for _, names in added)
            verb = "Would add" if dry_run else "Added"
            self.stdout.write(
                self.style.SUCCESS(
                    f"{verb} {total} lay names to {len(added)} side effects from {DATA_FILE.name}."
                )
            )
            if dry_run:
                self.stdout.write("Dry run: nothing was changed.")
