"""The API used as another site would use it, on the starter data: real organisations."""

import csv
import io
import zipfile

import frictionless
import geojson
import pytest

from orgs.models import Organisation, Relationship
from principles.models import Principle
from tests.factories import AssessmentFactory, EndorsementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(starter_data):
    principle = Principle.objects.live().first()
    organisations = list(Organisation.objects.published().order_by("name")[:3])
    for organisation in organisations:
        EndorsementFactory(organisation=organisation, principle=principle, statement="Yes; we do.")
    AssessmentFactory(organisation=organisations[0], principle=principle, level=2)
    return Organisation.objects.published()


def fetch_all(client, url):
    """Every result of a list, by following `next` until it is null."""
    results = []
    while url:
        page = client.get(url).json()
        results += page["results"]
        url = page["next"]
    return results


def test_another_site_fetches_every_organisation_by_following_the_links(client, published):
    expected = sorted(published.values_list("slug", flat=True))
    by_page = fetch_all(client, "/api/v1/organisations/?page_size=7")
    assert sorted(o["slug"] for o in by_page) == expected
    by_cursor = fetch_all(client, "/api/v1/organisations/?pagination=cursor&page_size=7")
    assert sorted(o["slug"] for o in by_cursor) == expected
    links = fetch_all(client, "/api/v1/relationships/?page_size=3")
    assert len(links) == Relationship.objects.public().count() > 0


def test_the_geojson_is_valid_with_points_in_the_uk(client, published):
    response = client.get("/api/v1/organisations/?format=geojson&page_size=500")
    collection = geojson.loads(response.content.decode())
    assert isinstance(collection, geojson.FeatureCollection)
    assert collection.is_valid, collection.errors()
    located = [f for f in collection["features"] if f["geometry"] is not None]
    assert len(collection["features"]) == published.count()
    assert len(located) == published.exclude(latitude=None).count() > 0
    for feature in located:
        longitude, latitude = feature["geometry"]["coordinates"]
        assert -9 < longitude < 2 and 49 < latitude < 61, feature["id"]  # [lon, lat], in the UK


def test_the_csv_reads_with_the_csv_module(client, published):
    response = client.get("/api/v1/organisations/?format=csv&page_size=500")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert sorted(r["slug"] for r in rows) == sorted(published.values_list("slug", flat=True))
    ada = next(r for r in rows if r["slug"] == "ada-lovelace-institute")
    assert ada["name"] == "Ada Lovelace Institute"
    assert all(";" not in slug for r in rows for slug in r["terms"].split(";"))


def test_the_export_is_a_valid_frictionless_data_package(client, published, tmp_path):
    response = client.get("/api/v1/export/")
    zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).extractall(tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(str(tmp_path / "datapackage.json"))
    organisations = package.get_resource("organisations").read_rows()
    assert len(organisations) == published.count()
    assert package.licenses[0]["name"] == "CC-BY-4.0"
