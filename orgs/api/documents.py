"""Organisations as the API's JSON documents, built from rows rather than model instances.

`OrganisationSerializer` declares the representation (its fields are the schema); serialising a
page of 50 through DRF's generic field machinery, over prefetched model instances, cost about
40 ms at 100,000 organisations, most of it Python. This builds the same documents from one
`values()` row per organisation and five `values_list()` queries for everything related,
whatever the page size. `tests/api/test_documents.py` holds it equal to DRF's generic output,
so the declared fields stay the truth.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import F, IntegerField, Value
from django.urls import reverse
from rest_framework import serializers
from taggit.models import TaggedItem

from orgs.export.tables import LIVE_PRINCIPLES
from orgs.identifiers import org_identifiers
from orgs.models import REGION_ONS_CODES, Organisation, OrgType, Region, Relationship, SizeBand
from principles.models import Assessment, Endorsement

COLUMNS = (
    "pk",
    "slug",
    "name",
    "summary",
    "description",
    "website",
    "contact_url",
    "org_type",
    "size",
    "founded",
    "city",
    "region",
    "country",
    "latitude",
    "longitude",
    "charity_number",
    "company_number",
    "last_verified",
    "created",
    "updated",
)
TERM_ORDER = ("term__vocabulary__order", "term__order", "term__name")
_DATE = serializers.DateField()
_DATETIME = serializers.DateTimeField()
_LABELS = {
    name: dict(choices.choices)
    for name, choices in (("org_type", OrgType), ("size", SizeBand), ("region", Region))
}
_KIND_NAMES = dict(Relationship.Kind.choices)
DIRECTIONS = ("outgoing", "incoming")
_SLUG = "--slug--"  # stands in for a slug in a reversed address; slugs are URL-safe as they are


def _date(value):
    return _DATE.to_representation(value) if value is not None else None


def _datetime(value):
    return _DATETIME.to_representation(value) if value is not None else None


def _grouped(rows):
    """{first column: [the rest of each row, in order]}."""
    groups = defaultdict(list)
    for key, *rest in rows:
        groups[key].append(rest)
    return groups


TERM_RELATIONS = ("terms", "offers", "looking_for")


def _term_rows(ids):
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


def _link_rows(ids):
    """{organisation: [(direction, kind, note, slug, name)...]}: links to and from other
    published organisations, outgoing first as the profile lists them, in one query."""
    parts = [
        Relationship.objects.filter(**{f"{own}_id__in": ids, f"{other}__status": "published"})
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


def _related(ids):
    """Everything related to the organisations `ids`, grouped by organisation: five queries."""
    related = _term_rows(ids)
    related["links"] = _link_rows(ids)
    related["tags"] = _grouped(
        TaggedItem.objects.filter(
            content_type__app_label="orgs",
            content_type__model="organisation",
            object_id__in=ids,
        ).values_list("object_id", "tag__slug", "tag__name")
    )
    live = {"status": "published", "principle__status__in": LIVE_PRINCIPLES}
    principle_order = ("principle__order", "principle__title")
    related["assessments"] = _grouped(
        Assessment.objects.filter(organisation_id__in=ids, **live)
        .order_by(*principle_order)
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
    related["endorsements"] = _grouped(
        Endorsement.objects.filter(organisation_id__in=ids, **live)
        .order_by(*principle_order)
        .values_list(
            "organisation_id", "principle__slug", "principle__title", "statement", "created"
        )
    )
    return related


def row_of(organisation):
    """The row `organisation_documents` needs, from an instance or a `values(*COLUMNS)` dict."""
    if isinstance(organisation, dict):
        return organisation
    return {column: getattr(organisation, column) for column in COLUMNS}


def organisation_documents(rows, request=None, *, describe):
    """The documents of the organisations whose `rows` are given (in that order). `describe`
    turns a description into HTML."""
    rows = [row_of(row) for row in rows]
    if not rows:
        return []
    related = _related([row["pk"] for row in rows])
    page_url = settings.SITE_URL + reverse("orgs:detail", kwargs={"slug": _SLUG})
    api_url = reverse("api:organisation-detail", kwargs={"slug": _SLUG})
    if request is not None:
        api_url = request.build_absolute_uri(api_url)

    def terms(name, pk):
        return [
            {"slug": slug, "name": term_name, "vocabulary": vocabulary}
            for slug, term_name, vocabulary in related[name].get(pk, ())
        ]

    documents = []
    for row in rows:
        pk = row["pk"]
        identifiers = org_identifiers(row["charity_number"], row["company_number"])
        tags = sorted(related["tags"].get(pk, ()), key=lambda tag: tag[1].lower())
        documents.append(
            {
                "slug": row["slug"],
                "name": row["name"],
                "url": page_url.replace(_SLUG, row["slug"]),
                "api_url": api_url.replace(_SLUG, row["slug"]),
                "summary": row["summary"],
                "description": row["description"],
                "description_html": describe(row["description"]),
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
                "country": row["country"],
                "latitude": row["latitude"],
                "longitude": row["longitude"],
                "org_id": identifiers[0] if identifiers else "",
                "identifiers": identifiers,
                "charity_number": row["charity_number"],
                "company_number": row["company_number"],
                "terms": terms("terms", pk),
                "offers": terms("offers", pk),
                "looking_for": terms("looking_for", pk),
                "tags": [{"slug": slug, "name": name} for slug, name in tags],
                "relationships": [
                    {
                        "kind": kind,
                        "kind_name": _KIND_NAMES.get(kind, kind),
                        "direction": direction,
                        "organisation": {
                            "slug": slug,
                            "name": name,
                            "url": page_url.replace(_SLUG, slug),
                        },
                        "note": note,
                    }
                    for direction, kind, note, slug, name in related["links"].get(pk, ())
                ],
                "assessments": [
                    {
                        "principle": {"slug": slug, "title": title},
                        "level": level,
                        "evidence": evidence,
                        "evidence_url": evidence_url or None,
                        "assessed_on": _date(assessed_on),
                    }
                    for slug, title, level, evidence, evidence_url, assessed_on in related[
                        "assessments"
                    ].get(pk, ())
                ],
                "endorsements": [
                    {
                        "principle": {"slug": slug, "title": title},
                        "statement": statement,
                        "created": _datetime(created),
                    }
                    for slug, title, statement, created in related["endorsements"].get(pk, ())
                ],
                "last_verified": _date(row["last_verified"]),
                "created": _datetime(row["created"]),
                "updated": _datetime(row["updated"]),
            }
        )
    return documents
