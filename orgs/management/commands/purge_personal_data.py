"""Delete submitters' personal data a set time after a moderator decided on their submission."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from orgs.maintain.services import claims_purge_personal_data
from orgs.models import Maintainer, Submission
from orgs.submissions.services import submissions_purge_personal_data


class Command(BaseCommand):
    help = (
        "Blank the name, email and connection of people whose submissions were decided more "
        "than --days ago (default PERSONAL_DATA_RETENTION_DAYS, 180). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.PERSONAL_DATA_RETENTION_DAYS)
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many, and change nothing."
        )

    def handle(self, *args, days, dry_run, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        decided_before = timezone.now() - datetime.timedelta(days=days)
        if dry_run:
            due = (
                Submission.objects.exclude(status=Submission.Status.PENDING)
                .filter(reviewed_at__lt=decided_before, personal_data_purged__isnull=True)
                .count()
            )
            self.stdout.write(f"{due} submission(s) would have their personal data removed.")
            claims = Maintainer.objects.claimed().filter(created__lt=decided_before).count()
            self.stdout.write(f"{claims} unconfirmed claim(s) would have it removed.")
            return
        claims = claims_purge_personal_data(made_before=decided_before)
        purged = submissions_purge_personal_data(decided_before=decided_before)
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed the personal data of {purged} submission(s) decided more than "
                f"{days} days ago, and of {claims} claim(s) never confirmed."
            )
        )
