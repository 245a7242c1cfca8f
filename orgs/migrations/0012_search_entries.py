"""A narrow copy of the published organisations' names and search words, for ranking.

A trigger after every insert, update and delete of an organisation keeps one entry for each
published organisation, in the writing statement: a search never sees it behind the rows. An
update that changes neither the status, the name nor the search words (computed by the trigger of
migration 0004, before this one runs) leaves the entry alone. Nothing happens on SQLite.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

FORWARDS = r"""
CREATE OR REPLACE FUNCTION orgs_keep_search_entry() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.status <> 'published' THEN
    DELETE FROM orgs_searchentry
    WHERE organisation_id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
  ELSE
    INSERT INTO orgs_searchentry (organisation_id, name, search_vector)
    VALUES (NEW.id, NEW.name, NEW.search_vector)
    ON CONFLICT (organisation_id) DO UPDATE
    SET name = excluded.name, search_vector = excluded.search_vector;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER orgs_search_entry_written
AFTER INSERT OR DELETE ON orgs_organisation
FOR EACH ROW EXECUTE FUNCTION orgs_keep_search_entry();

CREATE TRIGGER orgs_search_entry_updated
AFTER UPDATE ON orgs_organisation
FOR EACH ROW
WHEN (
  OLD.status IS DISTINCT FROM NEW.status
  OR OLD.name IS DISTINCT FROM NEW.name
  OR OLD.search_vector IS DISTINCT FROM NEW.search_vector
  OR OLD.id IS DISTINCT FROM NEW.id
)
EXECUTE FUNCTION orgs_keep_search_entry();

INSERT INTO orgs_searchentry (organisation_id, name, search_vector)
SELECT id, name, search_vector FROM orgs_organisation WHERE status = 'published';
"""

BACKWARDS = r"""
DROP TRIGGER IF EXISTS orgs_search_entry_updated ON orgs_organisation;
DROP TRIGGER IF EXISTS orgs_search_entry_written ON orgs_organisation;
DROP FUNCTION IF EXISTS orgs_keep_search_entry();
"""


def run_on_postgres(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0011_published_filter_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "organisation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="orgs.organisation",
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                ("search_vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="search_entry_vector_idx"
                    )
                ],
            },
        ),
        migrations.RunPython(run_on_postgres(FORWARDS), run_on_postgres(BACKWARDS)),
    ]
