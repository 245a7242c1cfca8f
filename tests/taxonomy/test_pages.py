import json
import re

import pytest
from django.urls import reverse

from taxonomy.models import Term
from tests.factories import OrganisationFactory, PrincipleFactory, TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms():
    consequences = VocabularyFactory(
        slug="consequences", name="Unintended consequences", description="Harms of tech."
    )
    help_ = VocabularyFactory(slug="help", name="Help", order=5)
    privacy = TermFactory(
        vocabulary=consequences,
        slug="data-privacy",
        name="Data privacy",
        definition="People's control over data about them.",
        description="Longer *text*.",
        synonyms="privacy, data protection",
    )
    return {
        "privacy": privacy,
        "surveillance": TermFactory(
            vocabulary=consequences, slug="surveillance", name="Surveillance", parent=privacy
        ),
        "funding": TermFactory(vocabulary=help_, slug="help-funding", name="Funding"),
    }


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_glossary_lists_every_vocabulary_with_its_definitions(client, terms):
    OrganisationFactory(terms=[terms["surveillance"]])
    OrganisationFactory(terms=[terms["privacy"]])
    html = html_of(client.get(reverse("taxonomy:glossary")))
    assert '<h2 id="consequences-heading">Unintended consequences</h2>' in html
    assert "People&#x27;s control over data about them." in html
    # The broader term counts the organisations under its narrower terms.
    assert re.search(r">Data privacy</a> <span class=\"n\">2<", html)
    assert 'href="/taxonomy/consequences/surveillance/"' in html
    assert 'href="/taxonomy/skos.jsonld"' in html


def test_a_term_page_shows_its_definition_narrower_terms_organisations_and_principles(
    client, terms
):
    OrganisationFactory(name="Watchers", terms=[terms["surveillance"]])
    OrganisationFactory(name="Unrelated")
    principle = PrincipleFactory(title="Collect less")
    principle.mitigates.add(terms["privacy"])
    PrincipleFactory(title="Old idea", status="retired").mitigates.add(terms["privacy"])
    html = html_of(client.get(terms["privacy"].get_absolute_url()))
    assert "<h1>Data privacy</h1>" in html
    assert "<em>text</em>" in html
    assert "Also called:</strong> privacy, data protection" in html
    assert 'href="/taxonomy/consequences/surveillance/"' in html
    assert "Watchers" in html and "Unrelated" not in html
    assert "Collect less" in html and "Old idea" not in html
    assert 'href="/organisations/?term=data-privacy"' in html


def test_a_help_term_lists_who_offers_it_and_who_looks_for_it(client, terms):
    giver = OrganisationFactory(name="Giver")
    giver.offers.add(terms["funding"])
    seeker = OrganisationFactory(name="Seeker")
    seeker.looking_for.add(terms["funding"])
    html = html_of(client.get(terms["funding"].get_absolute_url()))
    offer, looking = html.split("Organisations that look for funding")
    assert "Giver" in offer and "Seeker" not in offer
    assert "Seeker" in looking and "Giver" not in looking


def test_a_term_is_found_only_under_its_own_vocabulary(client, terms):
    assert client.get("/taxonomy/help/data-privacy/").status_code == 404
    assert client.get("/taxonomy/consequences/nothing/").status_code == 404


def test_the_term_page_costs_the_same_queries_for_10_and_200_organisations(
    client, terms, django_assert_max_num_queries
):
    url = terms["privacy"].get_absolute_url()

    def count():
        with django_assert_max_num_queries(9) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    OrganisationFactory.create_batch(10, terms=[terms["surveillance"]])
    with_10 = count()
    OrganisationFactory.create_batch(190, terms=[terms["privacy"]])
    assert count() == with_10


def test_the_taxonomy_downloads_as_skos_json_ld(client, terms, settings):
    settings.SITE_URL = "https://map.example.org"
    response = client.get(reverse("taxonomy:skos"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.content)
    assert document["@context"]["skos"] == "http://www.w3.org/2004/02/skos/core#"
    nodes = {node["@id"]: node for node in document["@graph"]}
    scheme = nodes["https://map.example.org/taxonomy/#consequences"]
    privacy = nodes["https://map.example.org/taxonomy/consequences/data-privacy/"]
    surveillance = nodes["https://map.example.org/taxonomy/consequences/surveillance/"]
    assert scheme["@type"] == "ConceptScheme"
    assert scheme["hasTopConcept"] == [privacy["@id"]]
    assert privacy["@type"] == "Concept"
    assert privacy["definition"] == "People's control over data about them."
    assert privacy["altLabel"] == ["privacy", "data protection"]
    assert privacy["narrower"] == [surveillance["@id"]]
    assert surveillance["broader"] == privacy["@id"]
    assert privacy["topConceptOf"] == scheme["@id"]
    concepts = [n for n in document["@graph"] if n["@type"] == "Concept"]
    assert len(concepts) == Term.objects.count()
