import datetime

import pytest
from django.core.cache import cache

from orgs.models import Maintainer, Organisation, Relationship
from principles.models import Endorsement, LevelDescriptor, MaturityLevel, Practice, Principle
from tests.factories import (
    AssessmentFactory,
    EndorsementFactory,
    OrganisationFactory,
    PrincipleFactory,
    RelationshipFactory,
    ResourceFactory,
    SubmissionFactory,
    TermFactory,
    VocabularyFactory,
)

UTC = datetime.UTC
CREATED = datetime.datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
UPDATED = datetime.datetime(2025, 1, 3, 12, 0, tzinfo=UTC)
# Private values planted in the data: none may ever appear in an API answer.
PRIVATE_VALUES = [
    "secret-contact@example.org",
    "https://private-source.example.org/notes",
    "private-submitter@example.org",
    "Priya Private",
    "Morgan Maintainer",
    "morgan@open-rights.example.org",
]
# What is not published (an archived organisation, a withdrawn assessment) is not shown either.
UNPUBLISHED_VALUES = ["Long Gone", "long-gone", "Withdrawn evidence, never shown."]
PRIVATE_NAMES = [
    "contact_email",
    "source_urls",
    "needs_verification",
    "submitter_email",
    "submitter_name",
    "submissions",
    "is_synthetic",
    "maintainers",
    "maintainer",
]


@pytest.fixture(autouse=True)
def _api_settings(settings):
    # Throttle counts, cached counts and the cached export live in the cache: start each test
    # empty, and with limits no test reaches unless it means to.
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "anon": "100000/minute",
            "user": "100000/minute",
            "export": "100000/minute",
        },
    }
    settings.SITE_URL = "https://map.example.org"
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """A small, fully known map: two published organisations, one archived, and everything
    around them, public and private."""
    consequences = VocabularyFactory(slug="consequences", name="Unintended consequences", order=1)
    themes = VocabularyFactory(slug="themes", name="Themes", order=2)
    help_ = VocabularyFactory(slug="help", name="Help", order=5)
    privacy = TermFactory(
        vocabulary=consequences,
        slug="data-privacy",
        name="Data privacy",
        definition="Control over information about oneself.",
        description="Privacy is *contextual*.",
        synonyms="privacy, personal data",
        order=1,
    )
    surveillance = TermFactory(
        vocabulary=consequences,
        slug="surveillance",
        name="Surveillance",
        definition="Watching people.",
        parent=privacy,
        order=1,
    )
    sustainability = TermFactory(
        vocabulary=themes, slug="sustainability", name="Sustainability", definition="Lasting."
    )
    training = TermFactory(
        vocabulary=help_, slug="help-training", name="Training", definition="Teaching."
    )

    rights = OrganisationFactory(
        slug="open-rights",
        name="Open Rights",
        summary="Defends privacy online.",
        description="We *campaign* <script>alert(1)</script>",
        website="https://open-rights.example.org/",
        contact_url="https://open-rights.example.org/contact/",
        contact_email="secret-contact@example.org",
        source_urls="https://private-source.example.org/notes",
        needs_verification=True,
        org_type="network",
        size="small",
        founded=2005,
        city="London",
        region="london",
        area_served=["london", "south-east"],
        latitude=51.5,
        longitude=-0.12,
        charity_number="1147471",
        company_number="05581537",
        terms=[privacy],
        tags=["Open source"],
        last_verified=datetime.date(2025, 1, 2),
        verified_by="moderator",
        created=CREATED,
    )
    rights.offers.set([training])
    green = OrganisationFactory(
        slug="green-code",
        name="Green Code Café",
        summary="Sustainable software; greener code.",
        description="",
        website="",
        org_type="cooperative",
        size="",
        founded=None,
        city="",
        region="",
        latitude=None,
        longitude=None,
        terms=[surveillance, sustainability],
        created=CREATED + datetime.timedelta(days=1),
    )
    green.looking_for.set([training])
    archived = OrganisationFactory(slug="long-gone", name="Long Gone", status="archived")

    RelationshipFactory(source=green, target=rights, kind="partner", note="Shared projects.")
    RelationshipFactory(source=archived, target=rights, kind="funds")  # hidden: archived end

    for level, name in [(1, "Aware"), (3, "Practising"), (5, "Leading")]:
        MaturityLevel.objects.create(level=level, name=name, description=f"{name}.")
    principle = PrincipleFactory(
        slug="protect-data",
        title="Protect personal data",
        summary="Collect less.",
        body="Keep **only** what you need.",
        status="adopted",
        order=1,
    )
    principle.mitigates.set([privacy])
    Practice.objects.create(principle=principle, text="Map the data you hold.", order=1)
    Practice.objects.create(principle=principle, text="Delete what you do not need.", order=2)
    LevelDescriptor.objects.create(principle=principle, level=1, description="Knows the law.")
    LevelDescriptor.objects.create(principle=principle, level=3, description="Minimises data.")
    PrincipleFactory(slug="retired-one", title="Retired", status="retired")

    AssessmentFactory(
        organisation=rights,
        principle=principle,
        level=3,
        evidence="We publish a data map.",
        evidence_url="https://open-rights.example.org/data-map/",
        assessed_on=datetime.date(2025, 1, 1),
    )
    AssessmentFactory(
        organisation=green,
        principle=principle,
        level=5,
        status="withdrawn",
        evidence="Withdrawn evidence, never shown.",
    )
    EndorsementFactory(organisation=rights, principle=principle, statement="We commit.")
    EndorsementFactory(organisation=archived, principle=principle)  # hidden: archived

    SubmissionFactory(
        kind="edit",
        organisation=rights,
        submitter_name="Priya Private",
        submitter_email="private-submitter@example.org",
        data={"contact_email": "secret-contact@example.org"},
    )

    # Its maintainer's name and email are private; that it is maintained is public.
    Maintainer.objects.create(
        organisation=rights,
        name="Morgan Maintainer",
        email="morgan@open-rights.example.org",
        status=Maintainer.Status.ACTIVE,
    )
    Organisation.objects.filter(pk=rights.pk).update(maintained=True)
    ResourceFactory(
        slug="privacy-guide", title="Privacy guide", url="https://example.org/privacy-guide/",
        kind="guide", summary="How to collect less.", publisher=rights,
        publisher_name="Open Rights", areas=[surveillance], principles=[principle],
        licence="CC BY 4.0", year=2024, created=CREATED, needs_verification=True,
        source_urls="https://private-source.example.org/notes",
    )  # fmt: skip
    ResourceFactory(
        slug="greener-code-case", title="Greener code, a case study", kind="case-study",
        url="https://example.org/case/", summary="How a café cut its servers.",
        case_organisation=green, maturity_level=3, what_changed="Halved the servers.",
        publisher=archived, publisher_name="A closed publisher", free=False, created=CREATED,
    )  # fmt: skip
    ResourceFactory(slug="withdrawn-resource", title="Withdrawn", status="withdrawn")

    Organisation.objects.update(updated=UPDATED)
    Endorsement.objects.update(created=UPDATED)
    Relationship.objects.update(created=CREATED)
    Principle.objects.update(created=CREATED, updated=UPDATED)
    return {"rights": rights, "green": green, "archived": archived, "principle": principle}
