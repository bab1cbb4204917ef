"""`python manage.py load_demo`: fill the site with demo content, safely and repeatably."""

import inspect

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from drugs.demo import Tally, load

# Further demo loaders, run in this order after the content core, in the same
# transaction. Each entry is the dotted path of a function in an app's
# `demo.py`; see the command's docstring for the contract.
APP_LOADERS = [
    "reviews.demo.load",
    "leaflets.demo.load",
    "editorial.demo.load",
    "interactions.demo.load",
]


class Command(BaseCommand):
    """Load the demo drugs, conditions, drug-for-condition articles and side effects.

    The command is idempotent: each row is found by its natural key (slugs), so a
    second run creates nothing and changes nothing, and a run after the data
    changed updates the stored rows to match it. Rows the data does not name are
    left alone. Everything happens in one transaction; `--dry-run` rolls it back
    after counting what would change.

    Other apps add their demo content (reviews, sources, staff users, sign-offs)
    with a loader of their own, listed in `APP_LOADERS` as a dotted path such as
    ``"reviews.demo.load"``. A loader is a function taking keyword-only
    arguments ``tally`` (a `drugs.demo.Tally`), ``stdout`` (this command's output,
    for anything a newcomer must see, such as demo passwords) and ``verbosity``.
    It runs after the content core, in the same transaction (so ``--dry-run``
    rolls it back too), and may look up the demo rows by slug. A loader that
    creates accounts with published passwords also takes ``allow_demo_users``,
    set by ``--demo-users``, and creates them only when it or DEBUG is true. It must be
    idempotent as well: find its rows by a natural key before creating them, and
    report with ``tally.create(label, key)`` for a new row and
    ``tally.touch(label, key)`` for a changed one, so the summary counts them.
    """

    help = (
        "Load the demo content (drugs, conditions, articles, side effects and what other "
        "apps add). Safe to run again: it updates rows to match the data, never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created or updated, then roll everything back.",
        )
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Create the demo staff accounts (public passwords) even with DEBUG off.",
        )

    def handle(self, *args, dry_run=False, verbosity=1, demo_users=False, **options):
        try:
            with transaction.atomic():
                tally = load(tally=Tally())
                for path in APP_LOADERS:
                    if verbosity >= 2:
                        self.stdout.write(f"Running {path}")
                    loader = import_string(path)
                    kwargs = {"tally": tally, "stdout": self.stdout, "verbosity": verbosity}
                    if demo_users and "allow_demo_users" in inspect.signature(loader).parameters:
                        kwargs["allow_demo_users"] = True
                    loader(**kwargs)
                if dry_run:
                    transaction.set_rollback(True)
        except ValidationError as error:
            # Nothing was written: the transaction rolled back as a whole.
            problems = "\n  ".join(error.messages)
            raise CommandError(
                f"Demo content not loaded, nothing changed:\n  {problems}"
            ) from error
        except IntegrityError as error:
            raise CommandError(f"Demo content not loaded, nothing changed: {error}") from error
        self.report(tally, dry_run=dry_run, verbosity=verbosity)

    def report(self, tally, *, dry_run, verbosity):
        """One line of totals; below it each kind of content that changed (all at -v 2)."""
        if verbosity < 1:
            return
        rows = tally.rows()
        created = sum(row[1] for row in rows)
        updated = sum(row[2] for row in rows)
        if dry_run:
            headline = f"Dry run (rolled back): would create {created}, update {updated}."
        elif created or updated:
            headline = f"Demo content loaded: {created} created, {updated} updated."
        else:
            headline = "Demo content already matches the data: nothing created or updated."
        self.stdout.write(self.style.WARNING(headline) if dry_run else self.style.SUCCESS(headline))
        for label, label_created, label_updated in rows:
            if verbosity >= 2 or label_created or label_updated:
                self.stdout.write(f"  {label}: {label_created} created, {label_updated} updated")
