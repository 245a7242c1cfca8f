"""The API builds organisations from rows; what it shows must be what the serializer declares."""

import datetime

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from orgs.api.documents import COLUMNS
from orgs.api.serializers import OrganisationSerializer
from orgs.export.tables import published_organisations
from orgs.models import Organisation, Relationship
from principles.models import Assessment, Endorsement
from tests.factories import (
    AssessmentFactory,
    EndorsementFactory,
    OrganisationFactory,
    PrincipleFactory,
    RelationshipFactory,
    TermFactory,
    VocabularyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich():
    """Organisations with something in every field, and things the public must not see."""
    themes, helps = VocabularyFactory(slug="themes"), VocabularyFactory(slug="help")
    consequence = TermFactory(name="Zeta area")
    theme = TermFactory(vocabulary=themes, name="Alpha theme")
    help_term = TermFactory(vocabulary=helps)
    full = OrganisationFactory(
        name="Full",
        description="A *rich* description with <script>alert(1)</script> in it.",
        contact_url="https://full.example.org/contact",
        size="medium",
        founded=1999,
        charity_number="1234567",
        company_number="01234567",
        last_verified=datetime.date(2025, 3, 1),
        terms=[consequence, theme],
        tags=["Open data", "accessibility"],
    )
    full.offers.add(help_term)
    full.looking_for.add(help_term)
    bare = OrganisationFactory(
        name="Bare", website="", org_type="", region="", city="", latitude=None, longitude=None
    )
    hidden = OrganisationFactory(name="Hidden", status="archived")
    RelationshipFactory(source=full, target=bare, kind=Relationship.Kind.PARTNER, note="Since 2020")
    RelationshipFactory(source=bare, target=full, kind=Relationship.Kind.MEMBER_OF)
    RelationshipFactory(source=full, target=hidden)  # to an archived one: not shown
    principle, retired = PrincipleFactory(), PrincipleFactory(status="retired")
    AssessmentFactory(organisation=full, principle=principle, level=4, evidence="We do.",
                      evidence_url="https://full.example.org/evidence")  # fmt: skip
    AssessmentFactory(organisation=full, principle=retired)  # a retired principle: not shown
    AssessmentFactory(organisation=bare, principle=principle, status=Assessment.Status.WITHDRAWN)
    EndorsementFactory(organisation=full, principle=principle, statement="We commit.")
    EndorsementFactory(organisation=bare, principle=principle, status=Endorsement.Status.WITHDRAWN)
    return [full, bare]


def drf_generic(instance, request):
    """What DRF's field-by-field serialisation makes of a fully prefetched instance."""
    serializer = OrganisationSerializer(context={"request": request})
    return serializers.ModelSerializer.to_representation(serializer, instance)


def test_rows_give_exactly_what_the_declared_fields_give(rich):
    request = APIRequestFactory().get("/api/v1/organisations/")
    instances = list(published_organisations().order_by("name", "pk"))
    expected = [drf_generic(instance, request) for instance in instances]
    assert [doc["name"] for doc in expected] == ["Bare", "Full"]
    rows = Organisation.objects.published().order_by("name", "pk").values(*COLUMNS)
    from_rows = OrganisationSerializer(rows, many=True, context={"request": request}).data
    assert [dict(doc) for doc in from_rows] == expected
    one = OrganisationSerializer(instances[1], context={"request": request}).data
    assert one == expected[1]
    full = expected[1]
    bare = rich[1]
    assert [link["organisation"]["slug"] for link in full["relationships"]] == [bare.slug] * 2
    assert len(full["assessments"]) == len(full["endorsements"]) == 1
    assert "<script>" not in full["description_html"]


def test_a_page_costs_the_same_queries_at_any_size(client, django_assert_num_queries):
    for n in range(3):
        OrganisationFactory(terms=[TermFactory()], tags=[f"tag-{n}"])
    # The version, the count, the rows, the three term relations (one union), tags, links both
    # ways (one union), assessments and endorsements.
    with django_assert_num_queries(8):
        small = client.get("/api/v1/organisations/")
    for n in range(40):
        org = OrganisationFactory(terms=[TermFactory()], tags=[f"more-{n}"])
        AssessmentFactory(organisation=org)
        RelationshipFactory(source=org)
    with django_assert_num_queries(8):
        large = client.get("/api/v1/organisations/?page_size=100")
    assert small.json()["count"] == 3
    assert large.json()["count"] == 83
