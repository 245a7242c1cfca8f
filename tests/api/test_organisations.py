import datetime

import pytest

from orgs.models import Organisation
from tests.factories import OrganisationFactory, TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/organisations/"
PRINCIPLE = {"slug": "protect-data", "title": "Protect personal data"}

OPEN_RIGHTS = {
    "slug": "open-rights",
    "name": "Open Rights",
    "url": "https://map.example.org/organisations/open-rights/",
    "api_url": "http://testserver/api/v1/organisations/open-rights/",
    "summary": "Defends privacy online.",
    "description": "We *campaign* <script>alert(1)</script>",
    "description_html": "<p>We <em>campaign</em> </p>",
    "website": "https://open-rights.example.org/",
    "contact_url": "https://open-rights.example.org/contact/",
    "org_type": "network",
    "org_type_name": "Network or community",
    "size": "small",
    "size_name": "10 to 49 people",
    "founded": 2005,
    "city": "London",
    "region": "london",
    "region_name": "London",
    "region_ons_code": "E12000007",
    "country": "GB",
    "latitude": 51.5,
    "longitude": -0.12,
    "org_id": "GB-CHC-1147471",
    "identifiers": ["GB-CHC-1147471", "GB-COH-05581537"],
    "charity_number": "1147471",
    "company_number": "05581537",
    "terms": [{"slug": "data-privacy", "name": "Data privacy", "vocabulary": "consequences"}],
    "offers": [{"slug": "help-training", "name": "Training", "vocabulary": "help"}],
    "looking_for": [],
    "tags": [{"slug": "open-source", "name": "Open source"}],
    "relationships": [
        {
            "kind": "partner",
            "kind_name": "is a partner of",
            "direction": "incoming",
            "organisation": {
                "slug": "green-code",
                "name": "Green Code Café",
                "url": "https://map.example.org/organisations/green-code/",
            },
            "note": "Shared projects.",
        }
    ],
    "assessments": [
        {
            "principle": PRINCIPLE,
            "level": 3,
            "evidence": "We publish a data map.",
            "evidence_url": "https://open-rights.example.org/data-map/",
            "assessed_on": "2025-01-01",
        }
    ],
    "endorsements": [
        {"principle": PRINCIPLE, "statement": "We commit.", "created": "2025-01-03T12:00:00Z"}
    ],
    "last_verified": "2025-01-02",
    "verified_by": "moderator",
    "maintained": True,
    "created": "2024-01-01T09:00:00Z",
    "updated": "2025-01-03T12:00:00Z",
}

GREEN_CODE = {
    "slug": "green-code",
    "name": "Green Code Café",
    "url": "https://map.example.org/organisations/green-code/",
    "api_url": "http://testserver/api/v1/organisations/green-code/",
    "summary": "Sustainable software; greener code.",
    "description": "",
    "description_html": "",
    "website": None,
    "contact_url": None,
    "org_type": "cooperative",
    "org_type_name": "Co-operative",
    "size": None,
    "size_name": None,
    "founded": None,
    "city": "",
    "region": None,
    "region_name": None,
    "region_ons_code": None,
    "country": "GB",
    "latitude": None,
    "longitude": None,
    "org_id": "",
    "identifiers": [],
    "charity_number": "",
    "company_number": "",
    "terms": [
        {"slug": "surveillance", "name": "Surveillance", "vocabulary": "consequences"},
        {"slug": "sustainability", "name": "Sustainability", "vocabulary": "themes"},
    ],
    "offers": [],
    "looking_for": [{"slug": "help-training", "name": "Training", "vocabulary": "help"}],
    "tags": [],
    "relationships": [
        {
            "kind": "partner",
            "kind_name": "is a partner of",
            "direction": "outgoing",
            "organisation": {
                "slug": "open-rights",
                "name": "Open Rights",
                "url": "https://map.example.org/organisations/open-rights/",
            },
            "note": "Shared projects.",
        }
    ],
    "assessments": [],
    "endorsements": [],
    "last_verified": None,
    "verified_by": None,
    "maintained": False,
    "created": "2024-01-02T09:00:00Z",
    "updated": "2025-01-03T12:00:00Z",
}


def slugs(client, query):
    response = client.get(API + query)
    assert response.status_code == 200, response.json()
    return [item["slug"] for item in response.json()["results"]]


def test_an_organisation_shows_its_whole_public_record(client, world):
    response = client.get(API + "open-rights/")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == OPEN_RIGHTS


def test_the_list_shows_published_organisations_in_name_order(client, world):
    assert client.get(API).json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [GREEN_CODE, OPEN_RIGHTS],
    }


def test_an_archived_or_unknown_organisation_is_not_found(client, world):
    for slug in ("long-gone", "never-was"):
        response = client.get(f"{API}{slug}/")
        assert response.status_code == 404
        assert response.json() == {
            "status": 404,
            "code": "not_found",
            "detail": f"There is no organisation with the slug '{slug}'.",
            "errors": {},
        }


def test_a_broader_term_finds_organisations_under_its_narrower_terms(client, world):
    assert slugs(client, "?term=data-privacy") == ["green-code", "open-rights"]
    assert slugs(client, "?term=surveillance") == ["green-code"]
    assert slugs(client, "?term=data-privacy&term=sustainability") == ["green-code"]


def test_filters_by_vocabulary_theme_type_region_tag_and_help(client, world):
    assert slugs(client, "?vocabulary=themes") == ["green-code"]
    assert slugs(client, "?theme=sustainability") == ["green-code"]
    assert slugs(client, "?type=network&type=charity") == ["open-rights"]
    assert slugs(client, "?region=london") == ["open-rights"]
    assert slugs(client, "?tag=open-source") == ["open-rights"]
    assert slugs(client, "?offers=help-training") == ["open-rights"]
    assert slugs(client, "?looking_for=help-training") == ["green-code"]


def test_filters_by_location_and_bounding_box(client, world):
    assert slugs(client, "?has_location=true") == ["open-rights"]
    assert slugs(client, "?has_location=false") == ["green-code"]
    assert slugs(client, "?bbox=-1,51,0,52") == ["open-rights"]
    assert slugs(client, "?bbox=-5,55,-3,56") == []


def test_filters_by_dates_for_syncing(client, world):
    Organisation.objects.filter(slug="green-code").update(
        updated=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    )
    assert slugs(client, "?updated_since=2025-02-01") == ["green-code"]
    assert slugs(client, "?verified_since=2025-01-01") == ["open-rights"]
    assert slugs(client, "?verified_since=2025-01-03") == []


def test_search_uses_the_directory_search_and_ranks_the_best_match_first(client, world):
    OrganisationFactory(slug="privacy-first", name="Privacy First", summary="Other things.")
    found = slugs(client, "?search=privacy")
    assert found[0] == "privacy-first"
    assert set(found) == {"privacy-first", "open-rights"}


def test_ordering_is_on_a_whitelist(client, world):
    assert slugs(client, "?ordering=-name") == ["open-rights", "green-code"]
    assert slugs(client, "?ordering=-created") == ["green-code", "open-rights"]
    assert slugs(client, "?ordering=founded") == ["open-rights", "green-code"]
    response = client.get(API + "?ordering=contact_email")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["ordering"]


@pytest.mark.parametrize(
    "query, name",
    [
        ("term=nope", "term"),
        ("theme=data-privacy", "theme"),  # a term, but not a theme
        ("vocabulary=nope", "vocabulary"),
        ("type=spaceship", "type"),
        ("region=atlantis", "region"),
        ("tag=no-such-tag", "tag"),
        ("has_location=maybe", "has_location"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=10,0,-10,5", "bbox"),
        ("updated_since=yesterday", "updated_since"),
        ("page_size=501", "page_size"),
        ("page_size=0", "page_size"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("pagination=sideways", "pagination"),
        ("cursor=not-a-cursor", "cursor"),
        ("pagination=cursor&ordering=name", "ordering"),
    ],
)
def test_a_value_the_api_does_not_know_is_a_400_that_says_why(client, world, query, name):
    response = client.get(f"{API}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert body["detail"] == f"Some parameters are not valid: {name}."
    assert list(body["errors"]) == [name]
    assert all(isinstance(message, str) and message for message in body["errors"][name])


def test_a_page_past_the_last_is_a_404_that_names_the_last(client, world):
    response = client.get(API + "?page=3&page_size=1")
    assert response.status_code == 404
    assert response.json()["detail"] == "There is no page 3: the last page is 2."


def test_page_number_pagination_links_every_page(client, db):
    vocabulary = VocabularyFactory(slug="themes")
    term = TermFactory(vocabulary=vocabulary, slug="ethics")
    for n in range(5):
        OrganisationFactory(slug=f"org-{n}", name=f"Org {n}", terms=[term])
    first = client.get(API + "?term=ethics&page_size=2").json()
    assert first["count"] == 5
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/organisations/?page=2&page_size=2&term=ethics"
    last = client.get(API + "?term=ethics&page_size=2&page=3").json()
    assert [o["slug"] for o in last["results"]] == ["org-4"]
    assert last["next"] is None


def test_cursor_pagination_is_stable_while_organisations_are_added(client, db):
    for n in range(5):
        OrganisationFactory(slug=f"org-{n}", name=f"Org {5 - n}")
    first = client.get(API + "?pagination=cursor&page_size=2").json()
    assert "count" not in first
    assert [o["slug"] for o in first["results"]] == ["org-0", "org-1"]
    # A new organisation whose name sorts first does not shift what follows.
    OrganisationFactory(slug="aardvark", name="Aardvark")
    seen = [o["slug"] for o in first["results"]]
    url = first["next"]
    while url:
        page = client.get(url).json()
        seen += [o["slug"] for o in page["results"]]
        url = page["next"]
    assert seen == ["org-0", "org-1", "org-2", "org-3", "org-4", "aardvark"]
