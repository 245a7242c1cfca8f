"""List the entries nobody has verified for a year (or --months), and optionally flag them."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from orgs.models import Organisation
from orgs.services import organisations_mark_for_review


def months_before(day, months):
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class Command(BaseCommand):
    help = "List published entries not verified for 12 months; --mark flags them for review."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=12, help="Stale after this many months.")
        parser.add_argument(
            "--mark",
            action="store_true",
            help="Set 'needs verification' on them, so moderators can filter for them.",
        )

    def handle(self, *args, months, mark, **options):
        if months < 1:
            raise CommandError("--months must be at least 1.")
        cutoff = months_before(timezone.localdate(), months)
        stale = list(
            Organisation.objects.needing_verification(older_than=cutoff)
            .order_by("last_verified", "name")
            .only("pk", "slug", "name", "last_verified", "needs_verification")
        )
        self.stdout.write(
            f"{len(stale)} published entr{'y' if len(stale) == 1 else 'ies'} "
            f"not verified since {cutoff:%d %B %Y}:"
        )
        for org in stale:
            verified = f"{org.last_verified:%Y-%m-%d}" if org.last_verified else "never"
            self.stdout.write(f"  {org.slug}  {org.name}  (last verified: {verified})")
        if mark:
            marked = organisations_mark_for_review(organisations=stale)
            self.stdout.write(
                self.style.SUCCESS(f"Marked {marked} for review (needs verification).")
            )
