"""On SQLite, an FTS5 index of organisations' names by trigrams, for typo-tolerant search.

PostgreSQL has pg_trgm for this (migration 0004); SQLite (3.34 or later) has FTS5's trigram
tokenizer. The table holds each organisation's name under its id as rowid, and triggers keep it
current. SQLite drops a table's triggers when a later migration rebuilds the table, so
orgs/search.py puts them back after every migrate. Nothing happens on PostgreSQL.
"""

from django.db import migrations

FORWARDS = [
    "CREATE VIRTUAL TABLE orgs_organisation_name_search USING fts5(name, tokenize = 'trigram')",
    """CREATE TRIGGER IF NOT EXISTS orgs_organisation_name_search_insert
    AFTER INSERT ON orgs_organisation BEGIN
      INSERT INTO orgs_organisation_name_search (rowid, name) VALUES (new.id, new.name);
    END""",
    """CREATE TRIGGER IF NOT EXISTS orgs_organisation_name_search_update
    AFTER UPDATE OF id, name ON orgs_organisation BEGIN
      DELETE FROM orgs_organisation_name_search WHERE rowid = old.id;
      INSERT INTO orgs_organisation_name_search (rowid, name) VALUES (new.id, new.name);
    END""",
    """CREATE TRIGGER IF NOT EXISTS orgs_organisation_name_search_delete
    AFTER DELETE ON orgs_organisation BEGIN
      DELETE FROM orgs_organisation_name_search WHERE rowid = old.id;
    END""",
    "INSERT INTO orgs_organisation_name_search (rowid, name) SELECT id, name FROM orgs_organisation",
]

BACKWARDS = [
    "DROP TRIGGER IF EXISTS orgs_organisation_name_search_insert",
    "DROP TRIGGER IF EXISTS orgs_organisation_name_search_update",
    "DROP TRIGGER IF EXISTS orgs_organisation_name_search_delete",
    "DROP TABLE IF EXISTS orgs_organisation_name_search",
]


def run_on_sqlite(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("orgs", "0005_area_served_verified_by")]

    operations = [migrations.RunPython(run_on_sqlite(FORWARDS), run_on_sqlite(BACKWARDS))]
