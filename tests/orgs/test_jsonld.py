"""A profile's schema.org JSON-LD follows the vocabulary, names only identifying pages in
`sameAs`, and names its terms by the IRIs of the SKOS export."""

import json

import pytest
from django.urls import reverse

from orgs.jsonld import REGISTERS, organisation_data
from orgs.models import Organisation
from orgs.records import Record
from tests.factories import OrganisationFactory, TermFactory, VocabularyFactory
from tests.schemaorg import json_ld, problems

pytestmark = pytest.mark.django_db


def profile_jsonld(client, slug):
    response = client.get(reverse("orgs:detail", kwargs={"slug": slug}))
    assert response.status_code == 200
    return json_ld(response.content.decode())


@pytest.fixture
def starter_profiles(client, starter_data, settings):
    """{slug: the JSON-LD of its profile} for every published starter organisation, built as
    the profile builds it (in one batch: a page apiece made this the slowest fixture of the
    suite); the pages of the first and the last show they embed just that."""
    settings.SITE_URL = "https://map.example.org"
    organisations = Organisation.objects.published().with_terms().order_by("slug")
    found = {org.slug: organisation_data(Record.from_prefetched(org)) for org in organisations}
    for slug in (min(found), max(found)):
        assert profile_jsonld(client, slug) == found[slug]
    return found


def test_every_starter_profile_follows_the_schema_org_vocabulary(starter_profiles):
    found = {slug: problems(data) for slug, data in starter_profiles.items()}
    assert {slug: listed for slug, listed in found.items() if listed} == {}
    # Not vacuous: between them the profiles use every part of the description.
    used = set().union(*starter_profiles.values())
    assert {"location", "address", "foundingDate", "identifier", "sameAs", "knowsAbout"} <= used
    assert any("geo" in data["location"] for data in starter_profiles.values())


def test_same_as_leaves_out_the_website_and_the_contact_page(client, db):
    org = OrganisationFactory(
        website="https://fair.example.org/",
        contact_url="https://fair.example.org/contact",
        charity_number="1147471",
        company_number="04354366",
    )
    data = profile_jsonld(client, org.slug)
    assert data["sameAs"] == [
        "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/"
        "1147471",
        "https://find-and-update.company-information.service.gov.uk/company/04354366",
    ]
    assert data["url"] == "https://fair.example.org/"
    assert data["contactPoint"]["url"] == "https://fair.example.org/contact"


def test_an_organisation_in_no_register_has_no_same_as(client, db):
    org = OrganisationFactory(charity_number="", company_number="")
    assert "sameAs" not in profile_jsonld(client, org.slug)


def test_starter_profiles_name_registers_as_same_as_and_skos_concepts_as_terms(
    client, starter_profiles
):
    registers = tuple(url.split("{}")[0] for url in REGISTERS.values())
    skos = json.loads(client.get(reverse("taxonomy:skos")).content)
    concepts = {node["@id"]: node for node in skos["@graph"] if node["@type"] == "Concept"}
    for data in starter_profiles.values():
        same_as = data.get("sameAs", [])
        assert all(url.startswith(registers) for url in same_as), same_as
        assert data.get("url") not in same_as
        for term in data.get("knowsAbout", []):
            concept = concepts[term["@id"]]
            assert term["name"] == concept["prefLabel"]
            assert term["inDefinedTermSet"] == concept["inScheme"]


def test_a_term_it_knows_about_is_named_by_its_skos_concept_and_page(client, db, settings):
    settings.SITE_URL = "https://map.example.org"
    themes = VocabularyFactory(slug="themes")
    ethics = TermFactory(vocabulary=themes, slug="ethics", name="Tech ethics")
    org = OrganisationFactory(terms=[ethics])
    skos = json.loads(client.get(reverse("taxonomy:skos")).content)
    [concept] = [node for node in skos["@graph"] if node.get("notation") == "ethics"]
    [term] = profile_jsonld(client, org.slug)["knowsAbout"]
    assert term["@id"] == concept["@id"] == "https://map.example.org/taxonomy/themes/ethics/"
    assert client.get(term["url"].removeprefix(settings.SITE_URL)).status_code == 200
