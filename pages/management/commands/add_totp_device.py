import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Register an authenticator app (TOTP) for a staff user and print the code to scan. "
        "Needed before that user can sign in to the admin when ADMIN_REQUIRE_OTP is on."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator app", help="A label for the device.")
        parser.add_argument(
            "--replace", action="store_true", help="Remove the user's existing TOTP devices first."
        )

    def handle(self, *args, username, name, replace, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_staff:
            raise CommandError(f"{username!r} is not staff; only staff use the admin.")
        if replace:
            TOTPDevice.objects.filter(user=user).delete()
        elif TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise CommandError(f"{username!r} already has a device; use --replace to change it.")
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        if options["verbosity"]:
            self.stdout.write("Scan this with an authenticator app, or enter the URL by hand:")
            self.stdout.write(device.config_url)
            qr = segno.make(device.config_url)
            qr.terminal(out=self.stdout, compact=True)
        self.stdout.write(self.style.SUCCESS(f"TOTP device added for {username}."))
