from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm for typo-tolerant search on PostgreSQL (the operation does nothing on SQLite)."""

    dependencies = [("orgs", "0001_initial")]

    operations = [TrigramExtension()]
