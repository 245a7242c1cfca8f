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


class KeptValue(models.Model):
    """A value derived from the whole published data, as built for one data version.

    Written only through `ethicalmap.kept`, which builds each value after a write and reads it
    back in one primary-key lookup. Technical, like the counters above: no page or export shows
    a row, and it moves no data version.
    """

    name = models.CharField(max_length=60, primary_key=True)
    version = models.CharField(max_length=200, help_text="The data version it was built from.")
    day = models.CharField(
        max_length=10, blank=True, help_text="The day it was built for, when it counts from today."
    )
    value = models.BinaryField()
    built = models.DateTimeField()

    class Meta:
        db_table = "ethicalmap_kept"

    def __str__(self):
        return self.name
