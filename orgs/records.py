"""An organisation's public record: the one read model of the API, the export and JSON-LD.

What the public may know of organisations is read here for any number of them in a fixed number
of queries: one `values(*COLUMNS)` row per organisation, then one query for each kind of related
fact: the three term relations (one UNION ALL), links to and from other published organisations
(one UNION ALL), tags, and approved assessments and endorsements of principles still in use.
Rows rather than model instances: for a page of 500 or an export of 100,000 most of the cost of
model instances and prefetching is saved.

A `Record` is then shown three ways, so they cannot tell different stories:
- `documents()`: the API's JSON (orgs/api/serializers.py declares its fields: the schema);
- `orgs.export.rows`: the flat row of organisations.csv in the export and of the API's CSV;
- its facts, which orgs/jsonld.py turns into schema.org JSON-LD for the profile (whose record
  comes from the instance the page has prefetched anyway: `Record.from_prefetched`).
"""

import functools
from collections import defaultdict

from django.conf import settings
from django.db import connection
from django.db.models import F, IntegerField, Value
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers
from taggit.models import TaggedItem

from orgs import record_facts
from orgs.identifiers import org_identifiers
from orgs.models import REGION_ONS_CODES, Organisation, OrgType, Region, Relationship, SizeBand
from orgs.record_facts import TERM_RELATIONS
from principles.models import Assessment, Endorsement, Principle

COLUMNS = (
    "pk",
    "slug",
    "name",
    "summary",
    "description",
    "description_html",
    "website",
    "contact_url",
    "org_type",
    "size",
    "founded",
    "city",
    "region",
    "country",
    "area_served",
    "latitude",
    "longitude",
    "charity_number",
    "company_number",
    "last_verified",
    "verified_by",
    "maintained",
    "created",
    "updated",
)
TERM_ORDER = ("term__vocabulary__order", "term__order", "term__name")
PRINCIPLE_ORDER = ("principle__order", "principle__title")
# Principles still in use, as Principle.objects.live() says, but tested through the join the
# ordering needs anyway: a subquery of it costs more to compile than the rest of the query.
RETIRED = Principle.Status.RETIRED
DIRECTIONS = ("outgoing", "incoming")
_SLUG = "--slug--"  # stands in for a slug in a reversed address; slugs are URL-safe as they are
_LABELS = {
    name: dict(choices.choices)
    for name, choices in (("org_type", OrgType), ("size", SizeBand), ("region", Region))
}
_KIND_NAMES = dict(Relationship.Kind.choices)
_DATE = serializers.DateField()


def _grouped(rows):
    """{first column: [the rest of each row, in order]}."""
    groups = defaultdict(list)
    for key, *rest in rows:
        groups[key].append(rest)
    return groups


def _terms(ids):
    """{relation: {organisation: [(slug, name, vocabulary)...]}} for the three term relations,
    in one query (a UNION ALL of the three link tables), each list in display order."""
    parts = [
        getattr(Organisation, name)
        .through.objects.filter(organisation_id__in=ids)
        .order_by()  # the union is ordered as a whole
        .annotate(relation=Value(index, output_field=IntegerField()))
        .values_list(
            "relation",
            "organisation_id",
            "term__slug",
            "term__name",
            "term__vocabulary__slug",
            *TERM_ORDER,
        )
        for index, name in enumerate(TERM_RELATIONS)
    ]
    rows = parts[0].union(*parts[1:], all=True).order_by(*TERM_ORDER)
    grouped = {name: defaultdict(list) for name in TERM_RELATIONS}
    for relation, pk, slug, name, vocabulary, *_ in rows:
        grouped[TERM_RELATIONS[relation]][pk].append((slug, name, vocabulary))
    return grouped


def _links(ids):
    """{organisation: [(direction, kind, note, slug, name)...]}: links to and from other
    published organisations (their slug and name), outgoing first as the profile lists them."""
    parts = [
        Relationship.objects.filter(
            **{f"{own}_id__in": ids, f"{other}__status": Organisation.Status.PUBLISHED}
        )
        .order_by()  # the union is ordered as a whole
        .annotate(
            direction=Value(index, output_field=IntegerField()),
            own=F(f"{own}_id"),
            other_slug=F(f"{other}__slug"),
            other_name=F(f"{other}__name"),
        )
        .values_list("direction", "own", "kind", "note", "other_slug", "other_name", "pk")
        for index, (own, other) in enumerate((("source", "target"), ("target", "source")))
    ]
    rows = parts[0].union(parts[1], all=True).order_by("direction", "kind", "other_name", "pk")
    links = defaultdict(list)
    for direction, pk, kind, note, slug, name, _ in rows:
        links[pk].append((DIRECTIONS[direction], kind, note, slug, name))
    return links


def _tag_order(tag):
    slug, name = tag
    return name.lower(), name


def _tags(ids):
    """{organisation: [(slug, name)...]}, by name whatever the database's collation."""
    rows = TaggedItem.objects.filter(
        content_type__app_label="orgs", content_type__model="organisation", object_id__in=ids
    ).values_list("object_id", "tag__slug", "tag__name")
    tags = _grouped(rows)
    for listed in tags.values():
        listed.sort(key=_tag_order)
    return tags


def _assessments(ids):
    """{organisation: [(principle's slug, its title, level, evidence, evidence_url, assessed_on)
    ...]}: approved assessments against principles still in use."""
    rows = (
        Assessment.objects.filter(organisation_id__in=ids, status=Assessment.Status.PUBLISHED)
        .exclude(principle__status=RETIRED)
        .order_by(*PRINCIPLE_ORDER)
        .values_list(
            "organisation_id",
            "principle__slug",
            "principle__title",
            "level",
            "evidence",
            "evidence_url",
            "assessed_on",
        )
    )
    return _grouped(rows)


def _endorsements(ids):
    """{organisation: [(principle's slug, its title, statement, created)...]}: published
    endorsements of principles still in use."""
    rows = (
        Endorsement.objects.filter(organisation_id__in=ids, status=Endorsement.Status.PUBLISHED)
        .exclude(principle__status=RETIRED)
        .order_by(*PRINCIPLE_ORDER)
        .values_list(
            "organisation_id", "principle__slug", "principle__title", "statement", "created"
        )
    )
    return _grouped(rows)


# Each part of a record but the terms, and the one query that reads it for every organisation.
READERS = {
    "links": _links,
    "tags": _tags,
    "assessments": _assessments,
    "endorsements": _endorsements,
}
PARTS = ("terms", *READERS)
ROW_PARTS = ("terms", "tags", "endorsements")  # what orgs.export.rows reads
_RELATED = (*TERM_RELATIONS, *READERS)  # what a record holds besides its row


def row_of(organisation):
    """The row a record is built from, from an instance or a `values(*COLUMNS)` dict."""
    if isinstance(organisation, dict):
        return organisation
    return {column: getattr(organisation, column) for column in COLUMNS}


def _page_address():
    """The address of an organisation's page, with _SLUG for its slug: one `reverse` a batch."""
    return settings.SITE_URL + reverse("orgs:detail", kwargs={"slug": _SLUG})


class Record:
    """What the public may know of one organisation: `row`, its own columns (`COLUMNS`), and
    each part fetched with it, a list in display order of the tuples its reader gives (terms,
    offers and looking_for of `_terms`, links of `_links`...). A part not fetched is None, so
    reading it fails loudly."""

    __slots__ = ("row", "identifiers", "_page", *_RELATED)

    def __init__(self, row, page, *parts):  # parts: in the order of _RELATED
        self.row, self._page = row, page
        self.identifiers = org_identifiers(row["charity_number"], row["company_number"])
        (self.terms, self.offers, self.looking_for, self.links, self.tags, self.assessments,
         self.endorsements) = parts or (None,) * len(_RELATED)  # fmt: skip

    @classmethod
    def from_prefetched(cls, organisation):
        """The record of an organisation whose terms and tags are prefetched (`with_terms()`),
        without a query: for a page that shows them anyway. It holds no links, assessments or
        endorsements."""
        terms = {
            name: [
                (term.slug, term.name, term.vocabulary.slug)
                for term in getattr(organisation, name).all()
            ]
            for name in TERM_RELATIONS
        }
        tags = sorted(((tag.slug, tag.name) for tag in organisation.tags.all()), key=_tag_order)
        parts = {**terms, "tags": tags}
        return cls(row_of(organisation), _page_address(), *map(parts.get, _RELATED))

    @property
    def url(self):
        """Its page on the map."""
        return self._page.replace(_SLUG, self.row["slug"])

    @property
    def org_id(self):
        """The primary org-id: the charity's if registered, else the company's, else ''."""
        return self.identifiers[0] if self.identifiers else ""

    @property
    def region_name(self):
        return _LABELS["region"].get(self.row["region"])

    @property
    def has_location(self):
        return self.row["latitude"] is not None and self.row["longitude"] is not None


def fetch(organisations, parts=PARTS):
    """The records of published `organisations` (`values(*COLUMNS)` rows or instances, in that
    order) with the related `parts`: one query for each part, however many organisations."""
    rows = [row_of(organisation) for organisation in organisations]
    if not rows:
        return []
    ids = [row["pk"] for row in rows]
    if connection.vendor == "postgresql" and set(parts) == set(PARTS):
        related = record_facts.fetch_all(ids, DIRECTIONS, _tag_order)
    else:
        related = _terms(ids) if "terms" in parts else {}
        related.update({part: READERS[part](ids) for part in parts if part != "terms"})
    by_part = [related.get(name) for name in _RELATED]
    page = _page_address()
    return [
        Record(
            row, page, *[None if by_pk is None else by_pk.get(row["pk"], []) for by_pk in by_part]
        )
        for row in rows
    ]


def fetch_published(slug):
    """The record of the published organisation with this slug, with every part, or None: in
    one query on PostgreSQL (orgs/record_facts.py), elsewhere the row then `fetch`."""
    if connection.vendor != "postgresql":
        organisations = Organisation.objects.published().filter(slug=slug).values(*COLUMNS)
        return next(iter(fetch(organisations[:1])), None)
    found = record_facts.fetch_published(slug, COLUMNS, DIRECTIONS, _tag_order)
    if found is None:
        return None
    row, related = found
    return Record(row, _page_address(), *[related[name].get(row["pk"], []) for name in _RELATED])


def _term_documents(terms):
    return [
        {"slug": slug, "name": name, "vocabulary": vocabulary} for slug, name, vocabulary in terms
    ]


def _link_documents(record):
    return [
        {
            "kind": kind,
            "kind_name": _KIND_NAMES.get(kind, kind),
            "direction": direction,
            "organisation": {"slug": slug, "name": name, "url": record._page.replace(_SLUG, slug)},
            "note": note,
        }
        for direction, kind, note, slug, name in record.links
    ]


def _principle_documents(record, moment):
    """(assessments, endorsements) as the document shows them."""
    assessments = [
        {
            "principle": {"slug": slug, "title": title},
            "level": level,
            "evidence": evidence,
            "evidence_url": evidence_url or None,
            "assessed_on": _DATE.to_representation(assessed_on),
        }
        for slug, title, level, evidence, evidence_url, assessed_on in record.assessments
    ]
    endorsements = [
        {
            "principle": {"slug": slug, "title": title},
            "statement": statement,
            "created": moment(created),
        }
        for slug, title, statement, created in record.endorsements
    ]
    return assessments, endorsements


def _document(record, api_address, moment):
    """The API's JSON of one record with every part, in the order the serializer declares; the
    DRF field's `moment` shows a date and time."""
    row = record.row
    assessments, endorsements = _principle_documents(record, moment)
    identifiers = record.identifiers
    return {
        "slug": row["slug"],
        "name": row["name"],
        "url": record._page.replace(_SLUG, row["slug"]),
        "api_url": api_address.replace(_SLUG, row["slug"]),
        "summary": row["summary"],
        "description": row["description"],
        "description_html": row["description_html"],
        "website": row["website"] or None,
        "contact_url": row["contact_url"] or None,
        "org_type": row["org_type"] or None,
        "org_type_name": _LABELS["org_type"].get(row["org_type"]),
        "size": row["size"] or None,
        "size_name": _LABELS["size"].get(row["size"]),
        "founded": row["founded"],
        "city": row["city"],
        "region": row["region"] or None,
        "region_name": _LABELS["region"].get(row["region"]),
        "region_ons_code": REGION_ONS_CODES.get(row["region"]),
        "area_served": list(row["area_served"]),
        "country": row["country"],
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "org_id": identifiers[0] if identifiers else "",
        "identifiers": identifiers,
        "charity_number": row["charity_number"],
        "company_number": row["company_number"],
        "terms": _term_documents(record.terms),
        "offers": _term_documents(record.offers),
        "looking_for": _term_documents(record.looking_for),
        "tags": [{"slug": slug, "name": name} for slug, name in record.tags],
        "relationships": _link_documents(record),
        "assessments": assessments,
        "endorsements": endorsements,
        "last_verified": _DATE.to_representation(row["last_verified"]),
        "verified_by": row["verified_by"] or None,
        "maintained": row["maintained"],
        "created": moment(row["created"]),
        "updated": moment(row["updated"]),
    }


def documents(records, request=None):
    """The API's JSON documents of `records` fetched with every part; the `api_url` of each is
    absolute when a `request` is given."""
    api_address = reverse("api:organisation-detail", kwargs={"slug": _SLUG})
    if request is not None:
        api_address = request.build_absolute_uri(api_address)
    moment = _moment_in(timezone.get_current_timezone())
    return [_document(record, api_address, moment) for record in records]


@functools.lru_cache(maxsize=16)
def _moment_in(zone):
    """How the serializer's DateTimeField shows a date and time in `zone`: a field given its
    zone does not look up the current one again for each value, and is made once, not per page."""
    return serializers.DateTimeField(default_timezone=zone).to_representation
