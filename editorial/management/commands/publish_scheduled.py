from django.core.management.base import BaseCommand

from editorial import services


class Command(BaseCommand):
    help = (
        "Publish every page version whose scheduled time has come. Requests do this "
        "on their own; run it from cron on a site that may go a long time without visitors."
    )

    def handle(self, *args, verbosity=1, **options):
        count = services.publish_due()
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"{count} scheduled version(s) published."))
