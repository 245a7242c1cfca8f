"""Indexes that count and list a filtered directory without reading the organisations' rows.

- The link tables of terms, offers and looking-for are read by term: "who works on this term".
  Django's index on `term_id` alone sent each match to the table for its organisation; with
  (term, organisation) the index holds the answer.
- The published organisations by region and type, with their key, replace (status, region): a
  term in a region is then two index reads joined by key.
"""

from django.db import migrations, models

LINK_TABLES = ("terms", "offers", "looking_for")


def _link_index(relation):
    table = f"orgs_organisation_{relation}"
    name = f"orgs_org_{relation}_by_term"
    return migrations.RunSQL(
        f"CREATE INDEX {name} ON {table} (term_id, organisation_id)",
        f"DROP INDEX {name}",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0010_submission_kind_resource"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="organisation",
            name="org_status_region_idx",
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                condition=models.Q(("status", "published")),
                fields=["region", "org_type", "id"],
                name="org_published_region_idx",
            ),
        ),
        *(_link_index(relation) for relation in LINK_TABLES),
    ]
