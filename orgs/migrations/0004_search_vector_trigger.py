"""Keep organisations' search vectors current in PostgreSQL itself, and index them.

The vector weighs the name (A) above the summary (B), the description (C) and the tags (D). A row
trigger recomputes it on every insert and update of an organisation; statement triggers on the tag
links touch the organisations whose tags changed, once per statement, so bulk loads stay fast.
A trigram index on the name serves typo-tolerant matching. Nothing happens on SQLite.
"""

from django.db import migrations

FORWARDS = r"""
CREATE OR REPLACE FUNCTION orgs_organisation_search_vector() RETURNS trigger AS $$
DECLARE
  tags text := '';
BEGIN
  -- A new row has no tags yet: its tag links come later and touch it again.
  IF TG_OP = 'UPDATE' THEN
    SELECT string_agg(tag.name, ' ') INTO tags
    FROM taggit_taggeditem item
    JOIN taggit_tag tag ON tag.id = item.tag_id
    JOIN django_content_type ct ON ct.id = item.content_type_id
    WHERE ct.app_label = 'orgs' AND ct.model = 'organisation' AND item.object_id = NEW.id;
  END IF;
  NEW.search_vector :=
    setweight(to_tsvector('english', coalesce(NEW.name, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(NEW.description, '')), 'C') ||
    setweight(to_tsvector('english', coalesce(tags, '')), 'D');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER orgs_organisation_search_vector
BEFORE INSERT OR UPDATE ON orgs_organisation
FOR EACH ROW EXECUTE FUNCTION orgs_organisation_search_vector();

CREATE OR REPLACE FUNCTION orgs_touch_tagged_organisations() RETURNS trigger AS $$
BEGIN
  UPDATE orgs_organisation SET search_vector = NULL
  WHERE id IN (
    SELECT changed.object_id FROM changed
    JOIN django_content_type ct ON ct.id = changed.content_type_id
    WHERE ct.app_label = 'orgs' AND ct.model = 'organisation'
  );
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER orgs_tags_inserted AFTER INSERT ON taggit_taggeditem
REFERENCING NEW TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION orgs_touch_tagged_organisations();

CREATE TRIGGER orgs_tags_deleted AFTER DELETE ON taggit_taggeditem
REFERENCING OLD TABLE AS changed
FOR EACH STATEMENT EXECUTE FUNCTION orgs_touch_tagged_organisations();

UPDATE orgs_organisation SET search_vector = NULL;

CREATE INDEX orgs_organisation_search_vector_gin ON orgs_organisation USING gin (search_vector);
CREATE INDEX orgs_organisation_name_trgm ON orgs_organisation USING gin (name gin_trgm_ops);
"""

BACKWARDS = r"""
DROP INDEX IF EXISTS orgs_organisation_name_trgm;
DROP INDEX IF EXISTS orgs_organisation_search_vector_gin;
DROP TRIGGER IF EXISTS orgs_tags_deleted ON taggit_taggeditem;
DROP TRIGGER IF EXISTS orgs_tags_inserted ON taggit_taggeditem;
DROP FUNCTION IF EXISTS orgs_touch_tagged_organisations();
DROP TRIGGER IF EXISTS orgs_organisation_search_vector ON orgs_organisation;
DROP FUNCTION IF EXISTS orgs_organisation_search_vector();
"""


def run_on_postgres(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_search_vector"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(run_on_postgres(FORWARDS), run_on_postgres(BACKWARDS))]
