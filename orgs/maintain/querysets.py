from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, TruncDate


class MaintainerQuerySet(models.QuerySet):
    def active(self):
        """Maintainers who look after their entry now."""
        return self.filter(status="active")

    def claimed(self):
        """Claims whose link has not been followed yet."""
        return self.filter(status="claimed")

    def due_reminder(self, *, confirmed_before):
        """Active maintainers whose entry was last confirmed before the date (or, never
        confirmed, who became its maintainer before it) and who were not reminded since."""
        last = Coalesce("organisation__last_verified", TruncDate("confirmed_at"))
        return (
            self.active()
            .annotate(last_confirmed=last)
            .filter(last_confirmed__lt=confirmed_before)
            .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lte=F("last_confirmed")))
        )


class MaintainerLinkQuerySet(models.QuerySet):
    def unused(self):
        """Links not followed yet."""
        return self.filter(used_at__isnull=True)
