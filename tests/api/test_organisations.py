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
    "area_served": ["london", "south-east"],
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
    "area_served": [],
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
        "count_is_exact": True,
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


def test_updated_since_takes_the_timestamp_a_sync_client_sends(client, world):
    def found(since):
        response = client.get(API, {"updated_since": since})
        assert response.status_code == 200, response.json()
        return [item["slug"] for item in response.json()["results"]]

    # Open Rights last changed at 2025-01-03T12:00:00Z; Green Code at 11:30 UTC on 1 July 2025,
    # 12:30 in London (summer time), 00:30 on 1 July in London for the last test.
    Organisation.objects.filter(slug="green-code").update(
        updated=datetime.datetime(2025, 7, 1, 11, 30, tzinfo=datetime.UTC)
    )
    assert found("2025-01-03T12:00:00Z") == ["green-code", "open-rights"]
    assert found("2025-01-03T12:00:00.000001Z") == ["green-code"]
    assert found("2025-07-01T11:30:00Z") == ["green-code"]
    assert found("2025-07-01T11:30:01Z") == []
    assert found("2025-07-01T13:30:00+02:00") == ["green-code"]  # the same moment
    assert found("2025-07-01T13:30:01+02:00") == []
    # Without an offset, in the site's time zone (London, an hour ahead of UTC in summer).
    assert found("2025-07-01T12:30:00") == ["green-code"]
    assert found("2025-07-01T12:30:01") == []
    # An unencoded "+" arrives as a space: read as the offset it was.
    response = client.get(API + "?updated_since=2025-07-01T13:30:00+02:00")
    assert [item["slug"] for item in response.json()["results"]] == ["green-code"]
    # A date is its first moment in the site's time zone.
    Organisation.objects.filter(slug="green-code").update(
        updated=datetime.datetime(2025, 6, 30, 23, 30, tzinfo=datetime.UTC)
    )
    assert found("2025-07-01") == ["green-code"]
    assert found("2025-07-02") == []


def test_a_bad_updated_since_says_what_it_takes(client, world):
    response = client.get(API, {"updated_since": "last tuesday"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "updated_since": [
            "Give a date (2026-01-31) or an ISO 8601 timestamp "
            "(2026-01-31T09:30:00Z, 2026-01-31T09:30:00+01:00)."
        ]
    }


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
        ("updated_since=2025-13-01T00:00:00Z", "updated_since"),
        ("updated_since=2025-01-01T25:00:00Z", "updated_since"),
        ("updated_since=2025-01-01T00:00:00%2B25:00", "updated_since"),
        ("updated_since=9999-12-31T23:59:59-01:00", "updated_since"),  # past the last year
        ("page_size=501", "page_size"),
        ("page_size=0", "page_size"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("pagination=sideways", "pagination"),
        ("cursor=not-a-cursor", "cursor"),
        ("pagination=cursor&cursor=cD14", "cursor"),  # decodes, to the position "x"
        ("cursor=cD14", "cursor"),
        ("cursor=bz0xJnA9eA==", "cursor"),  # with an offset too
        ("cursor=cj0xJnA9MS41", "cursor"),  # reversed, at the position "1.5"
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


def test_a_cursor_past_any_entry_is_an_empty_page_not_an_error(client, world):
    # A position beyond the largest id the database holds ("p=99999999999999999999999").
    response = client.get(API + "?cursor=cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ==")
    assert response.status_code == 200
    assert response.json()["results"] == []


ENDPOINTS = [
    "/api/v1/",
    API,
    API + "open-rights/",
    "/api/v1/relationships/",
    "/api/v1/vocabularies/",
    "/api/v1/vocabularies/themes/",
    "/api/v1/terms/",
    "/api/v1/terms/data-privacy/",
    "/api/v1/principles/",
    "/api/v1/principles/protect-data/",
    "/api/v1/stats/",
    "/api/v1/export/",
    "/api/v1/export/organisations.csv",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_parameter_the_endpoint_does_not_take_is_a_400_that_names_it(client, world, url):
    response = client.get(url, {"name__regex": "x", "foo": "1"})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] == "Some parameters are not valid: foo, name__regex."
    assert list(body["errors"]) == ["foo", "name__regex"]
    message = body["errors"]["foo"][0]
    assert message.startswith("Not a parameter of this endpoint, which takes: ")
    assert "format" in message


def test_a_list_takes_its_filters_and_pages_but_one_organisation_takes_neither(client, world):
    listing = {"region": "london", "page": "1", "page_size": "5", "format": "json"}
    assert client.get(API, listing).status_code == 200
    assert client.get(API, {"pagination": "cursor", "cursor": "cD0x"}).status_code == 200
    response = client.get(API + "open-rights/", {"region": "wales", "page": "1"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page", "region"]
    assert response.json()["errors"]["page"] == [
        "Not a parameter of this endpoint, which takes: format."
    ]
