import csv
import io

import pytest

pytestmark = pytest.mark.django_db

API = "/api/v1/organisations/"

OPEN_RIGHTS_ROW = {
    "slug": "open-rights",
    "name": "Open Rights",
    "url": "https://map.example.org/organisations/open-rights/",
    "summary": "Defends privacy online.",
    "description": "We *campaign* <script>alert(1)</script>",
    "website": "https://open-rights.example.org/",
    "contact_url": "https://open-rights.example.org/contact/",
    "org_type": "network",
    "size": "small",
    "founded": "2005",
    "city": "London",
    "region": "london",
    "region_ons_code": "E12000007",
    "area_served": "london;south-east",
    "country": "GB",
    "latitude": "51.5",
    "longitude": "-0.12",
    "org_id": "GB-CHC-1147471",
    "identifiers": "GB-CHC-1147471;GB-COH-05581537",
    "charity_number": "1147471",
    "company_number": "05581537",
    "terms": "data-privacy",
    "offers": "help-training",
    "looking_for": "",
    "tags": "open-source",
    "endorses": "protect-data",
    "last_verified": "2025-01-02",
    "verified_by": "moderator",
    "maintained": "true",
    "created": "2024-01-01T09:00:00Z",
    "updated": "2025-01-03T12:00:00Z",
}


def read_csv(response):
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_geojson_is_a_feature_collection_of_points_in_lon_lat_with_the_json_properties(
    client, world
):
    as_json = client.get(API).json()
    response = client.get(API + "?format=geojson")
    assert response.headers["Content-Type"] == "application/geo+json"
    assert response.json() == {
        "type": "FeatureCollection",
        "count": 2,
        "count_is_exact": True,
        "next": None,
        "previous": None,
        "features": [
            {
                "type": "Feature",
                "id": "green-code",
                "geometry": None,  # no known location
                "properties": as_json["results"][0],
            },
            {
                "type": "Feature",
                "id": "open-rights",
                "geometry": {"type": "Point", "coordinates": [-0.12, 51.5]},
                "properties": as_json["results"][1],
            },
        ],
    }


def test_the_accept_header_chooses_the_format_too(client, world):
    geo = client.get(API, headers={"Accept": "application/geo+json"})
    assert geo.headers["Content-Type"] == "application/geo+json"
    assert geo.json()["type"] == "FeatureCollection"
    rows = read_csv(client.get(API, headers={"Accept": "text/csv"}))
    assert [row["slug"] for row in rows] == ["green-code", "open-rights"]
    assert client.get(API, headers={"Accept": "*/*"}).headers["Content-Type"] == (
        "application/json"
    )


def test_one_organisation_as_geojson_is_a_feature(client, world):
    feature = client.get(API + "open-rights/?format=geojson").json()
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [-0.12, 51.5]}
    assert feature["properties"]["slug"] == "open-rights"


def test_csv_has_a_header_and_one_row_per_organisation_with_multiple_values_joined(client, world):
    response = client.get(API + "?format=csv")
    assert response.content.startswith(b"slug,name,url,summary,")
    rows = read_csv(response)
    assert rows[1] == OPEN_RIGHTS_ROW
    assert rows[0]["name"] == "Green Code Café"  # UTF-8
    assert rows[0]["summary"] == "Sustainable software; greener code."  # quoted, not split
    assert rows[0]["terms"] == "surveillance;sustainability"
    assert rows[0]["latitude"] == ""
    assert read_csv(client.get(API + "open-rights/?format=csv")) == [OPEN_RIGHTS_ROW]


def test_an_empty_csv_still_has_its_header(client, world):
    response = client.get(API + "?format=csv&region=wales")
    assert response.content.decode().splitlines() == [",".join(OPEN_RIGHTS_ROW)]


def test_relationships_come_as_csv_too(client, world):
    rows = read_csv(client.get("/api/v1/relationships/?format=csv"))
    assert rows == [
        {
            "source": "green-code",
            "kind": "partner",
            "target": "open-rights",
            "note": "Shared projects.",
        }
    ]


def test_an_error_is_json_whatever_format_was_asked_for(client, world):
    for query in ("?format=csv&term=nope", "?format=geojson&term=nope"):
        response = client.get(API + query)
        assert response.status_code == 400
        assert response.headers["Content-Type"] == "application/json"
        assert list(response.json()["errors"]) == ["term"]


def test_an_unknown_format_is_a_406_naming_the_formats_on_offer(client, world):
    response = client.get(API + "?format=xml")
    assert response.status_code == 406
    assert response.json() == {
        "status": 406,
        "code": "not_acceptable",
        "detail": "Unknown format 'xml': this endpoint offers json, geojson, csv.",
        "errors": {},
    }
    assert client.get("/api/v1/terms/?format=geojson").status_code == 406


def test_the_browsable_api_stays_on_for_people(client, world):
    response = client.get(API, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Open Rights" in response.content.decode()


@pytest.mark.parametrize(
    "url, shown",
    [
        ("/api/v1/", "organisations"),
        (API, "Open Rights"),
        (API + "?pagination=cursor&page_size=1", "Green Code"),
        (API + "?page=2&page_size=1", "Open Rights"),
        (API + "open-rights/", "Open Rights"),
        ("/api/v1/relationships/", "Shared projects."),
        ("/api/v1/relationships/?pagination=cursor", "Shared projects."),
        ("/api/v1/vocabularies/", "Unintended consequences"),
        ("/api/v1/vocabularies/themes/", "Sustainability"),
        ("/api/v1/terms/", "Data privacy"),
        ("/api/v1/terms/data-privacy/", "Control over information about oneself."),
        ("/api/v1/principles/", "Protect personal data"),
        ("/api/v1/principles/protect-data/", "Protect personal data"),
        ("/api/v1/stats/", "by_term"),
        ("/api/v1/stats/?region=london", "by_term"),
    ],
)
def test_every_page_of_the_browsable_api_opens_in_a_browser(client, world, url, shown):
    response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert shown in response.content.decode()


@pytest.mark.parametrize(
    "url, status",
    [
        (API + "never-was/", 404),
        (API + "?term=nope", 400),
        (API + "?page=9", 404),
        (API + "?pagination=cursor&cursor=cD14", 400),
    ],
)
def test_an_error_in_the_browsable_api_is_a_page_with_the_error(client, world, url, status):
    response = client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == status
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "&quot;status&quot;" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/nope/",
        "/api/nope",
        "/api/v1/organisations/open-rights/nope/",
        "/api/v1/export/null%2Cnull.csv",
        "/api/v1/export/nope.csv",
        API + "never-was/",
    ],
)
def test_whatever_is_not_found_under_the_api_is_a_json_404(client, world, url):
    for headers in ({}, {"Accept": "*/*"}):
        response = client.get(url, headers=headers)
        assert response.status_code == 404
        assert response.headers["Content-Type"] == "application/json"
        body = response.json()
        assert body["status"] == 404
        assert body["code"] == "not_found"
        assert body["detail"]
        assert body["errors"] == {}


def test_an_address_that_is_not_the_api_is_json_even_for_a_browser(client, db):
    response = client.get(
        "/api/v1/nope/", headers={"Accept": "text/html", "Origin": "https://elsewhere.example"}
    )
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_page_not_found_outside_the_api_is_still_an_html_page(client, db):
    response = client.get("/nope/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
