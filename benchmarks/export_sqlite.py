"""Write the published organisations of our database into a SQLite file for Datasette.

    DJANGO_SETTINGS_MODULE=benchmarks.settings python benchmarks/export_sqlite.py OUT.db

The same rows our API serves: every published organisation (id, slug, name, summary,
description, ...; tags as a JSON array of slugs), the terms, and the organisation-term link table
with foreign keys, so Datasette's `?_through=` filters through it. Indexes as a careful publisher
would add them (name for the sorted list, the link table both ways); run.sh then adds the FTS5
index with `sqlite-utils enable-fts` and ANALYZE, and Datasette serves the file immutable.
"""

import json
import os
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from taggit.models import TaggedItem  # noqa: E402

from orgs.models import Organisation  # noqa: E402
from taxonomy.models import Term  # noqa: E402

COLUMNS = [
    "id", "slug", "name", "summary", "description", "website", "org_type", "size", "founded",
    "city", "region", "country", "latitude", "longitude", "last_verified", "created", "updated",
]  # fmt: skip
SCHEMA = """
CREATE TABLE terms (id INTEGER PRIMARY KEY, vocabulary TEXT NOT NULL, parent_id INTEGER
    REFERENCES terms(id), slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "order" INTEGER);
CREATE TABLE orgs (id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    summary TEXT, description TEXT, website TEXT, org_type TEXT, size TEXT, founded INTEGER,
    city TEXT, region TEXT, country TEXT, latitude REAL, longitude REAL, last_verified TEXT,
    created TEXT, updated TEXT, tags TEXT);
CREATE TABLE org_terms (org_id INTEGER NOT NULL REFERENCES orgs(id),
    term_id INTEGER NOT NULL REFERENCES terms(id), PRIMARY KEY (org_id, term_id));
"""
INDEXES = """
CREATE INDEX idx_orgs_name ON orgs(name, id);
CREATE INDEX idx_org_terms_term ON org_terms(term_id, org_id);
CREATE INDEX idx_orgs_org_type ON orgs(org_type);
CREATE INDEX idx_orgs_region ON orgs(region);
"""


def main(path):
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    terms = Term.objects.order_by("pk").values_list(
        "pk", "vocabulary__slug", "parent_id", "slug", "name", "order"
    )
    db.executemany("INSERT INTO terms VALUES (?, ?, ?, ?, ?, ?)", terms.iterator())

    published = Organisation.objects.published()
    content_type = ContentType.objects.get_for_model(Organisation)
    tags = {}
    for object_id, slug in (
        TaggedItem.objects.filter(content_type=content_type)
        .order_by("object_id", "tag__slug")
        .values_list("object_id", "tag__slug")
        .iterator(chunk_size=10_000)
    ):
        tags.setdefault(object_id, []).append(slug)
    rows = (
        [*(str(v) if hasattr(v, "isoformat") else v for v in row), json.dumps(tags.get(row[0], []))]
        for row in published.order_by("pk").values_list(*COLUMNS).iterator(chunk_size=10_000)
    )
    db.executemany(f"INSERT INTO orgs VALUES ({', '.join('?' * (len(COLUMNS) + 1))})", rows)
    links = (
        Organisation.terms.through.objects.filter(organisation__status="published")
        .order_by("organisation_id", "term_id")
        .values_list("organisation_id", "term_id")
    )
    db.executemany("INSERT INTO org_terms VALUES (?, ?)", links.iterator(chunk_size=10_000))
    db.executescript(INDEXES)
    db.commit()
    count = db.execute("SELECT count(*) FROM orgs").fetchone()[0]
    db.close()
    print(f"{path}: {count} published organisations")


if __name__ == "__main__":
    main(sys.argv[1])
