"""Yearly reminders to maintainers, and the moderators' weekly digest of stale entries."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from orgs.maintain.services import reminders_send, stale_digest_send


class Command(BaseCommand):
    help = (
        "Email each maintainer whose entry was last confirmed eleven months ago, once, with a "
        "link to confirm or change it; once a week, email the moderators the stalest entries "
        "nobody maintains. Run it daily: a second run the same day sends nothing."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        reminded = reminders_send(today=today)
        listed = stale_digest_send(today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Reminded {reminded} maintainer(s); the moderators' digest listed {listed} "
                "entries."
            )
        )
