"""`near_region` on /api/v1/organisations/: the order /help/ gives, with the other filters."""

import pytest

from tests.factories import OrganisationFactory, TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"


@pytest.fixture
def places():
    help_ = VocabularyFactory(slug="help", name="Help")
    funding = TermFactory(vocabulary=help_, slug="help-funding", name="Funding")
    made = {}
    for slug, region, served in [
        ("a-elsewhere", "scotland", ["scotland"]),
        ("b-across", "london", ["uk-wide"]),
        ("c-based", "wales", []),
        ("d-works-there", "london", ["london", "wales"]),
        ("e-unknown", "", []),
    ]:
        made[slug] = OrganisationFactory(slug=slug, name=slug, region=region, area_served=served)
        made[slug].offers.add(funding)
    OrganisationFactory(slug="f-no-funding", name="f-no-funding", region="wales")
    return made


def slugs(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_near_region_orders_based_then_working_there_then_across_the_uk(client, places):
    assert slugs(client, near_region="wales", offers="help-funding") == [
        "c-based",
        "d-works-there",
        "b-across",
        "a-elsewhere",
        "e-unknown",
    ]
    # The chosen ordering applies within each group; nothing is left out.
    assert slugs(client, near_region="wales", ordering="-name")[:3] == [
        "f-no-funding",
        "c-based",
        "d-works-there",
    ]
    assert len(slugs(client, near_region="wales")) == 6


def test_without_near_region_the_order_is_by_name(client, places):
    assert slugs(client, offers="help-funding") == sorted(places)


def test_an_unknown_near_region_is_an_error(client, places):
    response = client.get(URL, {"near_region": "atlantis"})
    assert response.status_code == 400
    assert "near_region" in response.json()["errors"]


def test_near_region_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    listing = schema["paths"]["/api/v1/organisations/"]["get"]
    near = next(p for p in listing["parameters"] if p["name"] == "near_region")
    assert "wales" in near["schema"]["enum"]
    assert {"offers", "looking_for"} <= {p["name"] for p in listing["parameters"]}
    stats = schema["paths"]["/api/v1/stats/"]["get"]
    assert "near_region" not in {p["name"] for p in stats["parameters"]}
