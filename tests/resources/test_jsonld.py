import pytest

from resources.models import Resource
from tests.factories import OrganisationFactory, ResourceFactory, TermFactory, VocabularyFactory
from tests.schemaorg import json_ld, problems

pytestmark = pytest.mark.django_db


def data_of(client, resource):
    response = client.get(resource.get_absolute_url())
    assert response.status_code == 200
    return json_ld(response.content.decode())


def test_every_starter_resource_is_a_valid_creative_work(client, starter_data):
    found = {r.slug: data_of(client, r) for r in Resource.objects.published()}
    assert len(found) == 44
    assert {slug: problems(data) for slug, data in found.items() if problems(data)} == {}
    assert all(data["@type"] == "CreativeWork" and data["about"] for data in found.values())


def test_a_resource_says_what_it_is_about_who_publishes_it_and_its_licence(client, settings):
    settings.SITE_URL = "https://map.example.org"
    privacy = TermFactory(
        vocabulary=VocabularyFactory(slug="consequences"), slug="data-privacy", name="Privacy"
    )
    publisher = OrganisationFactory(slug="open-rights", name="Open Rights")
    resource = ResourceFactory(
        slug="guide", title="A guide </script><script>alert(1)</script>", areas=[privacy],
        publisher=publisher, publisher_name="Open Rights", licence="CC BY 4.0", year=2024,
    )  # fmt: skip
    data = data_of(client, resource)
    assert data["name"] == resource.title  # escaped in the page, whole in the data
    assert data["about"] == [
        {
            "@type": "DefinedTerm",
            "@id": "https://map.example.org/taxonomy/consequences/data-privacy/",
            "name": "Privacy",
            "url": "https://map.example.org/taxonomy/consequences/data-privacy/",
            "inDefinedTermSet": "https://map.example.org/taxonomy/#consequences",
        }
    ]
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Open Rights",
        "@id": "https://map.example.org/organisations/open-rights/",
    }
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["datePublished"] == "2024"
    other = ResourceFactory(licence="Our own terms", publisher_name="Someone")
    other_data = data_of(client, other)
    assert other_data["license"] == {"@type": "CreativeWork", "name": "Our own terms"}
    assert other_data["publisher"] == {"@type": "Organization", "name": "Someone"}
    assert problems(data) == [] and problems(other_data) == []
