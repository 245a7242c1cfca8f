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


class LimitCounter(models.Model):
    """A count that every app process shares: rate limits and single-use marks without Redis.

    Written only through `ethicalmap.limits`, one atomic upsert a count. Private and technical:
    the key is a keyed hash (never an address), no page or export shows it, and it moves no data
    version. Expired rows are removed by a trigger as new ones arrive (`ethicalmap.limits`).
    """

    key = models.CharField(max_length=100, primary_key=True)
    hits = models.BigIntegerField()
    expires = models.BigIntegerField(db_index=True, help_text="When the window ends, Unix time.")

    class Meta:
        db_table = "ethicalmap_limit"

    def __str__(self):
        return self.key
