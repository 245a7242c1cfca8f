from django.db import models


class MaintainerQuerySet(models.QuerySet):
    def active(self):
        """Maintainers who look after their entry now."""
        return self.filter(status="active")

    def claimed(self):
        """Claims whose link has not been followed yet."""
        return self.filter(status="claimed")


class MaintainerLinkQuerySet(models.QuerySet):
    def unused(self):
        """Links not followed yet."""
        return self.filter(used_at__isnull=True)
