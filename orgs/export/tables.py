"""The export's tables: their columns, where their rows come from, and the package's descriptor.

Rows are read in chunks, so memory stays flat however many organisations there are.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from ethicalmap.api.fields import page_url
from orgs import records
from orgs.export import rows
from orgs.export.columns import MULTI, Column, joined, utc
from orgs.models import Organisation, Relationship
from principles.models import Assessment, Endorsement, Practice, Principle
from resources.models import Resource
from taxonomy.models import Term

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
CHUNK = 2_000


def _organisation_records(size=CHUNK):
    """The records of the published organisations in name order, read `size` rows at a time."""
    rows = (
        Organisation.objects.published()
        .order_by("name", "pk")
        .values(*records.COLUMNS)
        .iterator(chunk_size=size)
    )
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield from records.fetch(batch, parts=records.ROW_PARTS)
            batch = []
    yield from records.fetch(batch, parts=records.ROW_PARTS)


TERM_COLUMNS = [
    Column("slug", "string", "Identifier.", lambda t: t.slug, True, True),
    Column("name", "string", "Name.", lambda t: t.name, True),
    Column("vocabulary", "string", "Slug of the vocabulary.", lambda t: t.vocabulary.slug, True),
    Column(
        "parent",
        "string",
        "Slug of the broader term.",
        lambda t: t.parent.slug if t.parent_id else None,
    ),
    Column("definition", "string", "The shared definition.", lambda t: t.definition),
    Column("synonyms", "string", "Other names" + MULTI, lambda t: joined(t.synonym_list)),
    Column(
        "organisation_count",
        "integer",
        "Published organisations classified under the term itself.",
        lambda t: t.organisation_count,
    ),
    Column("url", "string", "Page on the map.", page_url),
]

RELATIONSHIP_COLUMNS = [
    Column("source", "string", "Slug of the organisation.", lambda r: r.source.slug, True),
    Column(
        "kind",
        "string",
        "partner, funds, member-of, spun-out-of, supplies or collaborates: source <kind> target.",
        lambda r: r.kind,
        True,
    ),
    Column("target", "string", "Slug of the other organisation.", lambda r: r.target.slug, True),
    Column("note", "string", "A note on the link.", lambda r: r.note),
]

PRINCIPLE_COLUMNS = [
    Column("slug", "string", "Identifier.", lambda p: p.slug, True, True),
    Column("order", "integer", "Position in the list of principles.", lambda p: p.order),
    Column("title", "string", "Title.", lambda p: p.title, True),
    Column("summary", "string", "Summary.", lambda p: p.summary),
    Column("body", "string", "The principle in full (Markdown).", lambda p: p.body),
    Column("status", "string", "draft or adopted.", lambda p: p.status),
    Column(
        "mitigates",
        "string",
        "Slugs of the consequences it mitigates" + MULTI,
        lambda p: joined(t.slug for t in p.mitigates.all()),
    ),
    Column(
        "endorsement_count",
        "integer",
        "Published organisations endorsing it.",
        lambda p: p.endorsement_count,
    ),
    Column("url", "string", "Page on the map.", page_url),
]

PRACTICE_COLUMNS = [
    Column("principle", "string", "Slug of the principle.", lambda p: p.principle.slug, True),
    Column("order", "integer", "Position within the principle.", lambda p: p.order),
    Column("text", "string", "What a product team does.", lambda p: p.text, True),
]

ENDORSEMENT_COLUMNS = [
    Column("organisation", "string", "Slug of the organisation.", lambda e: e.organisation.slug),
    Column("principle", "string", "Slug of the principle.", lambda e: e.principle.slug),
    Column("statement", "string", "The organisation's statement.", lambda e: e.statement),
    Column("created", "datetime", "When it was made (UTC).", lambda e: utc(e.created)),
]

ASSESSMENT_COLUMNS = [
    Column("organisation", "string", "Slug of the organisation.", lambda a: a.organisation.slug),
    Column("principle", "string", "Slug of the principle.", lambda a: a.principle.slug),
    Column("level", "integer", "Maturity level, 1 to 5.", lambda a: a.level),
    Column("evidence", "string", "What the organisation says it does.", lambda a: a.evidence),
    Column("evidence_url", "string", "Where the evidence is published.", lambda a: a.evidence_url),
    Column(
        "assessed_on", "date", "When the organisation assessed itself.", lambda a: a.assessed_on
    ),
]


def _slug_on_map(organisation):
    return organisation.slug if organisation else None


RESOURCE_COLUMNS = [
    Column("slug", "string", "Identifier.", lambda r: r.slug, True, True),
    Column("title", "string", "Title, as its publisher gives it.", lambda r: r.title, True),
    Column("link", "string", "The resource itself, on its own site.", lambda r: r.url, True),
    Column(
        "kind",
        "string",
        "guide, toolkit, case-study, research, course, standard or map-or-network.",
        lambda r: r.kind,
        True,
    ),
    Column("summary", "string", "What it is, in our words.", lambda r: r.summary),
    Column("publisher", "string", "Who publishes it.", lambda r: r.publisher_name),
    Column(
        "publisher_organisation",
        "string",
        "Slug of the publisher's entry on the map, if it has one.",
        lambda r: _slug_on_map(r.publisher_on_map),
    ),
    Column(
        "areas",
        "string",
        "Slugs of the areas of concern it helps with" + MULTI,
        lambda r: joined(t.slug for t in r.areas.all()),
    ),
    Column(
        "principles",
        "string",
        "Slugs of the principles it helps put into practice" + MULTI,
        lambda r: joined(p.slug for p in r.principles.all()),
    ),
    Column("licence", "string", "As the publisher states it; empty if not.", lambda r: r.licence),
    Column("free", "boolean", "Free to use.", lambda r: r.free),
    Column("year", "integer", "Year published, or of the latest version.", lambda r: r.year),
    Column("language", "string", "Language code (BCP 47).", lambda r: r.language),
    Column(
        "case_organisation",
        "string",
        "A case study: slug of the organisation it is about.",
        lambda r: _slug_on_map(r.case_organisation_on_map),
    ),
    Column(
        "maturity_level",
        "integer",
        "A case study: the maturity level (1 to 5) it evidences.",
        lambda r: r.maturity_level,
    ),
    Column("what_changed", "string", "A case study: what changed.", lambda r: r.what_changed),
    Column("url", "string", "Page on the map.", page_url),
    Column("created", "datetime", "When it was listed (UTC).", lambda r: utc(r.created)),
]


def _public_principles():
    return Principle.objects.live()


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: list
    rows: Any  # a function returning an iterable of objects
    primary_key: str | None = None
    foreign_keys: tuple = ()

    @property
    def path(self):
        return f"{self.name}.csv"

    def descriptor(self):
        schema = {
            "fields": [column.descriptor() for column in self.columns],
            "missingValues": [""],
        }
        if self.primary_key:
            schema["primaryKey"] = self.primary_key
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": field, "reference": {"resource": resource, "fields": target}}
                for field, resource, target in self.foreign_keys
            ]
        return {
            "name": self.name,
            "title": self.title,
            "path": self.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        }


TABLES = [
    Table(
        "organisations",
        "Organisations",
        rows.ORGANISATION_COLUMNS,
        _organisation_records,
        primary_key="slug",
    ),
    Table(
        "terms",
        "Terms: the shared definitions",
        TERM_COLUMNS,
        lambda: Term.objects.ordered().with_counts(),
        primary_key="slug",
        foreign_keys=(("parent", "", "slug"),),
    ),
    Table(
        "relationships",
        "Links between organisations",
        RELATIONSHIP_COLUMNS,
        lambda: (
            Relationship.objects.public()
            .order_by("source__name", "kind", "target__name", "pk")
            .iterator(chunk_size=CHUNK)
        ),
        foreign_keys=(("source", "organisations", "slug"), ("target", "organisations", "slug")),
    ),
    Table(
        "principles",
        "Product principles",
        PRINCIPLE_COLUMNS,
        lambda: _public_principles().with_counts().prefetch_related("mitigates"),
        primary_key="slug",
    ),
    Table(
        "practices",
        "What product teams do to follow each principle",
        PRACTICE_COLUMNS,
        lambda: (
            Practice.objects.filter(principle__in=_public_principles())
            .select_related("principle")
            .order_by("principle__order", "principle__title", "order", "pk")
        ),
        foreign_keys=(("principle", "principles", "slug"),),
    ),
    Table(
        "endorsements",
        "Organisations' commitments to principles",
        ENDORSEMENT_COLUMNS,
        lambda: (
            Endorsement.objects.public()
            .filter(principle__in=_public_principles())
            .select_related("organisation", "principle")
            .order_by("principle__order", "organisation__name", "pk")
        ),
        foreign_keys=(
            ("organisation", "organisations", "slug"),
            ("principle", "principles", "slug"),
        ),
    ),
    Table(
        "assessments",
        "Organisations' approved self-assessments against the principles",
        ASSESSMENT_COLUMNS,
        lambda: (
            Assessment.objects.public()
            .filter(principle__in=_public_principles())
            .select_related("organisation", "principle")
            .order_by("organisation__name", "principle__order", "pk")
        ),
        foreign_keys=(
            ("organisation", "organisations", "slug"),
            ("principle", "principles", "slug"),
        ),
    ),
    Table(
        "resources",
        "Shared resources, case studies and other maps",
        RESOURCE_COLUMNS,
        lambda: (
            Resource.objects.published()
            .for_listing()
            .select_related("case_organisation")
            .order_by("title", "pk")
        ),
        primary_key="slug",
        foreign_keys=(
            ("publisher_organisation", "organisations", "slug"),
            ("case_organisation", "organisations", "slug"),
        ),
    ),
]


def package_descriptor(version):
    """The datapackage.json of the export."""
    created = version.last_modified or datetime.datetime.now(datetime.UTC)
    return {
        "profile": "tabular-data-package",
        "name": "ethical-tech-map",
        "title": "Ethical Tech Map",
        "description": (
            "Who works on the unintended consequences of technology in the UK, on what, where, "
            "and how they are linked; the shared definitions they are classified by; the "
            "community's product principles; and the resources it shares. A listing is not an "
            "endorsement."
        ),
        "homepage": settings.SITE_URL + "/",
        "version": version.token,
        "created": utc(created),
        "licenses": [LICENCE],
        "sources": [{"title": "Ethical Tech Map", "path": settings.SITE_URL + "/"}],
        "resources": [table.descriptor() for table in TABLES],
    }


def table_named(name):
    return next((table for table in TABLES if table.name == name), None)
