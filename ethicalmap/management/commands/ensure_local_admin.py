import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "For local development only (DEBUG on): create an `admin` superuser when no superuser "
        "exists, and print its password once."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_local_admin runs only with DEBUG on; use createsuperuser.")
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("A local admin account exists already (password printed when made).")
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Made a local admin account for http://127.0.0.1:{os.environ.get('PORT', '8000')}"
                "/admin/ : "
                f"user `admin`, password `{password}` (shown only this once)."
            )
        )
