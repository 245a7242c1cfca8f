from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class TrigramExtensionOnPostgres(TrigramExtension):
    """pg_trgm on PostgreSQL; nothing on SQLite, in either direction."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    """pg_trgm for typo-tolerant search on PostgreSQL."""

    dependencies = [("orgs", "0001_initial")]

    operations = [TrigramExtensionOnPostgres()]
