from django.db import models


class DataVersion(models.Model):
    """One row: a counter the database bumps on every write to the published data.

    Triggers on every public table (see `ethicalmap.dataversion`) bump it in the writing
    transaction, so a reader sees the new counter exactly when it sees the new data. The epoch is
    random per database, so two databases (a restore, a test run) never share a version.
    """

    epoch = models.CharField(max_length=16)
    counter = models.BigIntegerField(default=0)
    changed = models.DateTimeField(null=True, help_text="When the public data last changed.")

    class Meta:
        db_table = "ethicalmap_data_version"

    def __str__(self):
        return f"{self.epoch}.{self.counter}"
