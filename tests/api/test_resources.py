import datetime

import pytest

from orgs.models import Organisation
from tests.factories import (
    OrganisationFactory,
    PrincipleFactory,
    ResourceFactory,
    TermFactory,
    VocabularyFactory,
)
from tests.queries import LIMIT_QUERIES

pytestmark = pytest.mark.django_db

CREATED = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.UTC)
SCANNING = {
    "slug": "consequence-scanning",
    "title": "Consequence Scanning",
    "link": "https://example.org/consequence-scanning/",
    "kind": "toolkit",
    "kind_name": "Toolkit",
    "summary": "A workshop to think about what a product might do.",
    "publisher": {
        "name": "Careful Industries",
        "organisation": "careful-industries",
        "organisation_url": "https://map.example.org/organisations/careful-industries/",
    },
    "areas": [{"slug": "surveillance", "name": "Surveillance"}],
    "principles": ["protect-data"],
    "licence": "CC BY 4.0",
    "free": True,
    "year": 2019,
    "language": "en",
    "case_study": None,
    "url": "https://map.example.org/resources/consequence-scanning/",
    "api_url": "http://testserver/api/v1/resources/consequence-scanning/",
}


@pytest.fixture
def library(settings):
    settings.SITE_URL = "https://map.example.org"
    consequences = VocabularyFactory(slug="consequences")
    privacy = TermFactory(vocabulary=consequences, slug="data-privacy", name="Data privacy")
    surveillance = TermFactory(
        vocabulary=consequences, slug="surveillance", name="Surveillance", parent=privacy
    )
    principle = PrincipleFactory(slug="protect-data")
    careful = OrganisationFactory(slug="careful-industries")
    ResourceFactory(
        slug="consequence-scanning", title="Consequence Scanning", kind="toolkit",
        url="https://example.org/consequence-scanning/", publisher=careful,
        publisher_name="Careful Industries", summary=SCANNING["summary"], areas=[surveillance],
        principles=[principle], licence="CC BY 4.0", year=2019, created=CREATED,
        source_urls="https://private-source.example.org/", needs_verification=True,
    )  # fmt: skip
    ResourceFactory(
        slug="a-case", title="A case", kind="case-study", case_organisation=careful,
        maturity_level=3, what_changed="They stopped collecting birth dates.", free=False,
    )  # fmt: skip
    ResourceFactory(slug="withdrawn", title="Withdrawn", status="withdrawn")
    return careful


def without_dates(item):
    return {k: v for k, v in item.items() if k not in ("created", "updated")}


def test_a_resource_in_the_api_shows_what_the_page_shows_and_nothing_private(client, library):
    body = client.get("/api/v1/resources/consequence-scanning/").json()
    assert without_dates(body) == SCANNING
    assert body["created"] == "2026-01-01T09:00:00Z"
    assert "private-source" not in str(body) and "needs_verification" not in body


def test_the_list_has_the_published_resources_and_the_same_filters_as_the_page(client, library):
    def slugs(**params):
        response = client.get("/api/v1/resources/", params)
        assert response.status_code == 200
        return [item["slug"] for item in response.json()]

    assert slugs() == ["a-case", "consequence-scanning"]
    assert slugs(area="data-privacy") == ["consequence-scanning"]
    assert slugs(principle="protect-data") == ["consequence-scanning"]
    assert slugs(kind="case-study") == ["a-case"]
    assert slugs(cost="paid") == ["a-case"]
    assert slugs(licence="not-stated") == ["a-case"]
    assert slugs(q="scanning") == ["consequence-scanning"]
    assert client.get("/api/v1/resources/", {"kind": "nonsense"}).status_code == 400


def test_a_case_study_says_its_organisation_level_and_what_changed(client, library):
    body = client.get("/api/v1/resources/a-case/").json()
    assert body["case_study"] == {
        "organisation": "careful-industries",
        "maturity_level": 3,
        "what_changed": "They stopped collecting birth dates.",
    }
    Organisation.objects.filter(pk=library.pk).update(status=Organisation.Status.ARCHIVED)
    body = client.get("/api/v1/resources/a-case/").json()
    assert body["case_study"]["organisation"] is None  # an archived entry is not named


def test_a_withdrawn_resource_is_not_found(client, library):
    assert client.get("/api/v1/resources/withdrawn/").status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_the_list_costs_the_same_queries_at_any_size(
    client, library, size, django_assert_num_queries
):
    for _ in range(size):
        ResourceFactory(publisher=OrganisationFactory())
    # data version, resources with publishers, their areas, their principles; the rate limit
    with django_assert_num_queries(4 + LIMIT_QUERIES):
        assert client.get("/api/v1/resources/").status_code == 200
