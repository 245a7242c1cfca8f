"""One record, three views: the API's JSON, the export's row and the profile's JSON-LD of an
organisation are built from the same record (orgs/records.py) and tell the same facts."""

import csv
import datetime
import html
import io
import json
import re

import pytest
from django.db import connection

from ethicalmap import kept
from orgs import record_facts, records
from orgs.api.serializers import OrganisationSerializer
from orgs.models import Organisation, Relationship
from principles.models import Assessment, Endorsement
from taxonomy.models import concept_iri
from tests.factories import (
    AssessmentFactory,
    EndorsementFactory,
    OrganisationFactory,
    PrincipleFactory,
    RelationshipFactory,
    TermFactory,
    VocabularyFactory,
)
from tests.queries import LIMIT_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich(db):
    """Organisations with something in every field, and things the public must not see."""
    consequences = VocabularyFactory(slug="consequences", order=1)
    themes = VocabularyFactory(slug="themes", order=2)
    helps = VocabularyFactory(slug="help", order=5)
    zeta = TermFactory(vocabulary=consequences, slug="zeta-area", name="Zeta area", order=2)
    alpha = TermFactory(vocabulary=consequences, slug="alpha-area", name="Alpha area", order=1)
    theme = TermFactory(vocabulary=themes, slug="sustainability", name="Sustainability")
    training = TermFactory(vocabulary=helps, slug="help-training", name="Training")
    funding = TermFactory(vocabulary=helps, slug="help-funding", name="Funding")
    full = OrganisationFactory(
        slug="full",
        name="Full",
        description="A *rich* description with <script>alert(1)</script> in it.",
        contact_url="https://full.example.org/contact",
        size="medium",
        founded=1999,
        city="Leeds",
        region="yorkshire-and-the-humber",
        area_served=["yorkshire-and-the-humber", "north-east"],
        latitude=53.8,
        longitude=-1.55,
        charity_number="1234567",
        company_number="01234567",
        last_verified=datetime.date(2025, 3, 1),
        terms=[theme, zeta, alpha],
        tags=["Open data", "accessibility", "AI"],
    )
    full.offers.set([training, funding])
    full.looking_for.set([funding])
    scottish = OrganisationFactory(
        slug="scottish",
        name="Scottish",
        org_type="academic",
        city="Edinburgh",
        region="scotland",
        charity_number="SC003558",
        terms=[alpha],
    )
    bare = OrganisationFactory(
        slug="bare",
        name="Bare",
        website="",
        org_type="",
        region="uk-wide",
        city="",
        latitude=None,
        longitude=None,
    )
    hidden = OrganisationFactory(slug="hidden", name="Hidden", status="archived")
    RelationshipFactory(source=full, target=bare, kind=Relationship.Kind.PARTNER, note="Since 2020")
    RelationshipFactory(source=bare, target=full, kind=Relationship.Kind.MEMBER_OF)
    RelationshipFactory(source=scottish, target=full, kind=Relationship.Kind.FUNDS)
    RelationshipFactory(source=full, target=hidden)  # to an archived one: not shown
    first = PrincipleFactory(slug="first", order=1)
    second = PrincipleFactory(slug="second", order=2)
    retired = PrincipleFactory(slug="retired", status="retired")
    AssessmentFactory(organisation=full, principle=second, level=4, evidence="We do.",
                      evidence_url="https://full.example.org/evidence")  # fmt: skip
    AssessmentFactory(organisation=full, principle=first, level=2, evidence="We start.")
    AssessmentFactory(organisation=scottish, principle=first, level=5)
    AssessmentFactory(organisation=full, principle=retired)  # a retired principle: not shown
    AssessmentFactory(organisation=bare, principle=first, status=Assessment.Status.WITHDRAWN)
    EndorsementFactory(organisation=full, principle=second, statement="We commit.")
    EndorsementFactory(organisation=full, principle=first, statement="We also commit.")
    EndorsementFactory(organisation=scottish, principle=second)
    EndorsementFactory(organisation=full, principle=retired)
    EndorsementFactory(organisation=bare, principle=first, status=Endorsement.Status.WITHDRAWN)


def csv_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def profile_jsonld(client, slug):
    page = client.get(f"/organisations/{slug}/").content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def document_facts(document):
    """What the API's JSON says, in the export's terms."""
    return {
        "slug": document["slug"],
        "name": document["name"],
        "url": document["url"],
        "website": document["website"] or "",
        "contact_url": document["contact_url"] or "",
        "org_type": document["org_type"] or "",
        "city": document["city"],
        "region": document["region"] or "",
        "region_ons_code": document["region_ons_code"] or "",
        "area_served": document["area_served"],
        "latitude": document["latitude"],
        "longitude": document["longitude"],
        "founded": document["founded"],
        "org_id": document["org_id"],
        "identifiers": document["identifiers"],
        **{
            name: [item["slug"] for item in document[name]]
            for name in ("terms", "offers", "looking_for", "tags")
        },
        "endorses": [e["principle"]["slug"] for e in document["endorsements"]],
        "last_verified": document["last_verified"] or "",
        "verified_by": document["verified_by"] or "",
        "maintained": document["maintained"],
    }


def row_facts(row):
    """What a row of organisations.csv says."""
    number = {name: float(row[name]) if row[name] else None for name in ("latitude", "longitude")}
    return {
        **{name: row[name] for name in ("slug", "name", "url", "website", "contact_url")},
        **{name: row[name] for name in ("org_type", "city", "region", "region_ons_code")},
        **number,
        "founded": int(row["founded"]) if row["founded"] else None,
        "org_id": row["org_id"],
        **{
            name: row[name].split(";") if row[name] else []
            for name in (
                "identifiers",
                "area_served",
                "terms",
                "offers",
                "looking_for",
                "tags",
                "endorses",
            )
        },
        "last_verified": row["last_verified"],
        "verified_by": row["verified_by"],
        "maintained": row["maintained"] == "true",
    }


def test_every_view_of_an_organisation_tells_the_same_facts(client, rich):
    documents = client.get("/api/v1/organisations/").json()["results"]
    assert [document["slug"] for document in documents] == ["bare", "full", "scottish"]
    api_csv = csv_rows(client, "/api/v1/organisations/?format=csv")
    export = csv_rows(client, "/api/v1/export/organisations.csv")
    assert api_csv == export
    for document, row in zip(documents, export, strict=True):
        assert list(document) == OrganisationSerializer.Meta.fields  # what the schema declares
        assert client.get(f"/api/v1/organisations/{document['slug']}/").json() == document
        assert document_facts(document) == row_facts(row)
        jsonld = profile_jsonld(client, document["slug"])
        assert jsonld["@id"] == jsonld["mainEntityOfPage"] == document["url"]
        assert jsonld["name"] == document["name"]
        assert jsonld.get("url") == document["website"]
        assert [i["value"] for i in jsonld.get("identifier", [])] == document["identifiers"]
        assert jsonld["address"].get("addressLocality") == (document["city"] or None)
        named_region = document["region"] not in (None, "uk-wide", "international")
        assert jsonld["address"].get("addressRegion") == (
            document["region_name"] if named_region else None
        )
        assert [(t["name"], t["@id"]) for t in jsonld.get("knowsAbout", [])] == [
            (term["name"], concept_iri(term["vocabulary"], term["slug"]))
            for term in document["terms"]
        ]
        assert jsonld["location"]["address"] == jsonld["address"]
        geo = jsonld["location"].get("geo", {})
        assert [geo.get("latitude"), geo.get("longitude")] == [
            document["latitude"],
            document["longitude"],
        ]
        assert jsonld.get("keywords", "") == ", ".join(tag["name"] for tag in document["tags"])


def test_links_assessments_and_endorsements_agree_with_the_export_tables(client, rich):
    documents = client.get("/api/v1/organisations/").json()["results"]
    links = sorted(
        (r["source"], r["kind"], r["target"], r["note"])
        for r in csv_rows(client, "/api/v1/export/relationships.csv")
    )
    assessments = csv_rows(client, "/api/v1/export/assessments.csv")
    endorsements = csv_rows(client, "/api/v1/export/endorsements.csv")
    from_documents = []
    for document in documents:
        slug = document["slug"]
        for link in document["relationships"]:
            other = link["organisation"]["slug"]
            ends = (slug, other) if link["direction"] == "outgoing" else (other, slug)
            from_documents.append((ends[0], link["kind"], ends[1], link["note"]))
        assert [
            (a["principle"]["slug"], str(a["level"]), a["evidence"], a["evidence_url"] or "")
            for a in document["assessments"]
        ] == [
            (a["principle"], a["level"], a["evidence"], a["evidence_url"])
            for a in assessments
            if a["organisation"] == slug
        ]
        assert sorted(e["principle"]["slug"] for e in document["endorsements"]) == sorted(
            e["principle"] for e in endorsements if e["organisation"] == slug
        )
    assert sorted(from_documents) == sorted(links * 2)  # each link is shown at both its ends
    assert len(links) == 3  # the link to an archived organisation is in neither


def test_the_record_shows_what_is_public_in_display_order(client, rich):
    full = client.get("/api/v1/organisations/full/").json()
    assert [t["slug"] for t in full["terms"]] == ["alpha-area", "zeta-area", "sustainability"]
    assert [t["slug"] for t in full["offers"]] == ["help-funding", "help-training"]
    assert [t["name"] for t in full["tags"]] == ["accessibility", "AI", "Open data"]
    assert full["identifiers"] == ["GB-CHC-1234567", "GB-COH-01234567"]
    assert [
        (link["direction"], link["kind"], link["organisation"]["slug"])
        for link in full["relationships"]
    ] == [("outgoing", "partner", "bare"), ("incoming", "funds", "scottish"),
          ("incoming", "member-of", "bare")]  # fmt: skip
    assert [(a["principle"]["slug"], a["level"]) for a in full["assessments"]] == [
        ("first", 2),
        ("second", 4),
    ]
    assert [e["statement"] for e in full["endorsements"]] == ["We also commit.", "We commit."]
    assert "<script>" not in full["description_html"]
    scottish = client.get("/api/v1/organisations/scottish/").json()
    assert scottish["org_id"] == "GB-SC-SC003558"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one query on PostgreSQL only")
def test_the_one_query_of_postgresql_reads_what_the_portable_queries_read(rich):
    ids = list(Organisation.objects.values_list("pk", flat=True))
    portable = records._terms(ids)
    portable.update({part: reader(ids) for part, reader in records.READERS.items()})
    one_query = record_facts.fetch_all(ids, records.DIRECTIONS, records._tag_order)
    assert any(one_query[part] for part in records._RELATED)
    for part in records._RELATED:
        # The portable readers leave out organisations without any; the one query gives [].
        assert {pk: list(map(tuple, rows)) for pk, rows in one_query[part].items() if rows} == {
            pk: list(map(tuple, rows)) for pk, rows in portable[part].items()
        }


def test_an_organisation_read_as_a_model_instance_gives_the_same_document(client, rich):
    # The API guide shows the first organisation, serialised from an instance rather than a row.
    page = client.get("/api/").content.decode()
    sample = re.search(r'id="sample".*?<pre[^>]*><code>(.*?)</code></pre>', page, re.S)
    assert (
        json.loads(html.unescape(sample.group(1)))
        == client.get("/api/v1/organisations/bare/").json()
    )


# The version, the count kept after the last write, the rows (and the client's count in the
# limits store), then the related parts: on PostgreSQL all in one query (orgs/record_facts.py);
# elsewhere the three term relations (one union), tags, links both ways (one union), assessments
# and endorsements.
PAGE_QUERIES = 3 + (1 if connection.vendor == "postgresql" else 5)


def test_a_page_costs_the_same_queries_at_any_size(client, django_assert_num_queries):
    for n in range(3):
        OrganisationFactory(terms=[TermFactory()], tags=[f"tag-{n}"])
    kept.build_all()  # as the writer's process does after a write: the count is read back
    with django_assert_num_queries(PAGE_QUERIES + LIMIT_QUERIES):
        small = client.get("/api/v1/organisations/")
    for n in range(40):
        org = OrganisationFactory(terms=[TermFactory()], tags=[f"more-{n}"])
        AssessmentFactory(organisation=org)
        RelationshipFactory(source=org)
    kept.build_all()
    with django_assert_num_queries(PAGE_QUERIES + LIMIT_QUERIES):
        large = client.get("/api/v1/organisations/?page_size=100")
    assert small.json()["count"] == 3
    assert large.json()["count"] == 83
