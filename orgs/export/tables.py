"""The export's tables: their columns, where their rows come from, and the package's descriptor.

Rows are read in chunks, so memory stays flat however many organisations there are.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from taggit.models import TaggedItem

from ethicalmap.api.fields import page_url
from orgs.export.columns import MULTI, Column, joined, utc
from orgs.models import REGION_ONS_CODES, Organisation, Relationship
from principles.models import Assessment, Endorsement, Practice, Principle
from taxonomy.models import Term

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
CHUNK = 2_000
LIVE_PRINCIPLES = ["draft", "adopted"]  # not retired


def published_organisations():
    """Published organisations with everything their public record shows, in a fixed number of
    queries: classifications and tags, links to other published organisations, and approved
    assessments and endorsements of principles still in use."""
    live_principle = {"principle__status__in": LIVE_PRINCIPLES}
    return (
        Organisation.objects.published()
        .with_terms()
        .prefetch_related(
            Prefetch(
                "outgoing",
                queryset=Relationship.objects.filter(target__status="published")
                .select_related("target")
                .order_by("kind", "target__name", "pk"),
                to_attr="public_outgoing",
            ),
            Prefetch(
                "incoming",
                queryset=Relationship.objects.filter(source__status="published")
                .select_related("source")
                .order_by("kind", "source__name", "pk"),
                to_attr="public_incoming",
            ),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.filter(status="published", **live_principle)
                .select_related("principle")
                .order_by("principle__order", "principle__title"),
                to_attr="public_assessments",
            ),
            Prefetch(
                "endorsements",
                queryset=Endorsement.objects.filter(status="published", **live_principle)
                .select_related("principle")
                .order_by("principle__order", "principle__title"),
                to_attr="public_endorsements",
            ),
        )
    )


SLUG_LISTS = ("terms", "offers", "looking_for", "tags", "endorses")


def attach_slug_lists(organisations):
    """Give each organisation `slug_lists`: the slugs of its terms, the help it offers and looks
    for, its tags and the principles it endorses, in display order. Five queries for the lot, and
    no model instances: at 100,000 organisations a fraction of the cost of prefetching them."""
    by_pk = {organisation.pk: organisation for organisation in organisations}
    for organisation in organisations:
        organisation.slug_lists = {name: [] for name in SLUG_LISTS}
    if not by_pk:
        return organisations
    term_order = ("term__vocabulary__order", "term__order", "term__name")
    sources = {
        name: getattr(Organisation, name)
        .through.objects.filter(organisation_id__in=by_pk)
        .order_by(*term_order)
        .values_list("organisation_id", "term__slug")
        for name in ("terms", "offers", "looking_for")
    }
    sources["tags"] = (
        TaggedItem.objects.filter(
            content_type__app_label="orgs",
            content_type__model="organisation",
            object_id__in=by_pk,
        )
        .order_by("tag__name")
        .values_list("object_id", "tag__slug")
    )
    sources["endorses"] = (
        Endorsement.objects.filter(
            organisation_id__in=by_pk, status="published", principle__status__in=LIVE_PRINCIPLES
        )
        .order_by("principle__order", "principle__title")
        .values_list("organisation_id", "principle__slug")
    )
    for name, rows in sources.items():
        for pk, slug in rows:
            by_pk[pk].slug_lists[name].append(slug)
    return organisations


def _in_batches(queryset, prepare, size=CHUNK):
    """The objects of a queryset, read in batches of `size`, each batch passed through `prepare`."""
    batch = []
    for obj in queryset.iterator(chunk_size=size):
        batch.append(obj)
        if len(batch) == size:
            yield from prepare(batch)
            batch = []
    yield from prepare(batch)


ORGANISATION_COLUMNS = [
    Column("slug", "string", "Identifier on the map.", lambda o: o.slug, True, True),
    Column("name", "string", "Name.", lambda o: o.name, True),
    Column("url", "string", "Page on the map.", page_url),
    Column("summary", "string", "One or two sentences.", lambda o: o.summary),
    Column("description", "string", "Longer description (Markdown).", lambda o: o.description),
    Column("website", "string", "Website.", lambda o: o.website),
    Column("contact_url", "string", "Public contact page.", lambda o: o.contact_url),
    Column("org_type", "string", "Type of organisation (a code).", lambda o: o.org_type),
    Column("size", "string", "Size band (a code).", lambda o: o.size),
    Column("founded", "integer", "Year founded.", lambda o: o.founded),
    Column("city", "string", "Town or city.", lambda o: o.city),
    Column("region", "string", "UK ITL1 region, UK-wide or international.", lambda o: o.region),
    Column(
        "region_ons_code",
        "string",
        "ONS (GSS) code of the region.",
        lambda o: REGION_ONS_CODES.get(o.region, ""),
    ),
    Column("country", "string", "ISO 3166-1 alpha-2 country code.", lambda o: o.country),
    Column("latitude", "number", "Latitude (WGS 84).", lambda o: o.latitude),
    Column("longitude", "number", "Longitude (WGS 84).", lambda o: o.longitude),
    Column("org_id", "string", "Primary org-id (org-id.guide).", lambda o: o.org_id),
    Column("identifiers", "string", "Every org-id" + MULTI, lambda o: joined(o.identifiers)),
    Column("charity_number", "string", "Registered charity number.", lambda o: o.charity_number),
    Column("company_number", "string", "Companies House number.", lambda o: o.company_number),
    Column(
        "terms",
        "string",
        "Slugs of the terms it works on (see terms.csv)" + MULTI,
        lambda o: joined(o.slug_lists["terms"]),
    ),
    Column(
        "offers",
        "string",
        "Slugs of the help it offers" + MULTI,
        lambda o: joined(o.slug_lists["offers"]),
    ),
    Column(
        "looking_for",
        "string",
        "Slugs of the help it looks for" + MULTI,
        lambda o: joined(o.slug_lists["looking_for"]),
    ),
    Column("tags", "string", "Tag slugs" + MULTI, lambda o: joined(o.slug_lists["tags"])),
    Column(
        "endorses",
        "string",
        "Slugs of the principles it endorses" + MULTI,
        lambda o: joined(o.slug_lists["endorses"]),
    ),
    Column(
        "last_verified",
        "date",
        "When a moderator last confirmed the entry.",
        lambda o: o.last_verified,
    ),
    Column("created", "datetime", "When it was added to the map (UTC).", lambda o: utc(o.created)),
    Column("updated", "datetime", "When it last changed (UTC).", lambda o: utc(o.updated)),
]

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


def _public_principles():
    return Principle.objects.public()


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
        ORGANISATION_COLUMNS,
        lambda: _in_batches(
            Organisation.objects.published().order_by("name", "pk"), attach_slug_lists
        ),
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
            "and how they are linked; the shared definitions they are classified by; and the "
            "community's product principles. A listing is not an endorsement."
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
