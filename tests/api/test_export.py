import csv
import datetime
import fcntl
import io
import json
import re
import time
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory
from tests.queries import LIMIT_QUERIES

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/export/"


def download(client, **headers):
    response = client.get(EXPORT, headers=headers)
    assert response.status_code == 200
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def table(archive, name):
    return list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode("utf-8"))))


def test_the_export_is_a_data_package_of_every_published_table(client, world):
    response, archive = download(client)
    assert response.headers["Content-Type"] == "application/zip"
    assert re.fullmatch(
        r'attachment; filename="ethical-tech-map-\d{4}-\d\d-\d\d\.zip"',
        response.headers["Content-Disposition"],
    )
    assert sorted(archive.namelist()) == [
        "assessments.csv",
        "datapackage.json",
        "endorsements.csv",
        "organisations.csv",
        "practices.csv",
        "principles.csv",
        "relationships.csv",
        "resources.csv",
        "terms.csv",
    ]
    package = json.loads(archive.read("datapackage.json"))
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    created = datetime.datetime.strptime(package["created"], "%Y-%m-%dT%H:%M:%SZ")
    assert created.date() <= datetime.date.today()
    assert [r["name"] for r in package["resources"]] == [
        "organisations",
        "terms",
        "relationships",
        "principles",
        "practices",
        "endorsements",
        "assessments",
        "resources",
    ]
    # The same columns as the API's CSV, and only what is published.
    organisations = table(archive, "organisations")
    api_rows = list(
        csv.DictReader(
            io.StringIO(client.get("/api/v1/organisations/?format=csv").content.decode())
        )
    )
    assert organisations == api_rows
    assert [r["slug"] for r in organisations] == ["green-code", "open-rights"]
    assert table(archive, "relationships") == [
        {
            "source": "green-code",
            "kind": "partner",
            "target": "open-rights",
            "note": "Shared projects.",
        }
    ]
    assert [r["slug"] for r in table(archive, "principles")] == ["protect-data"]
    assert [r["text"] for r in table(archive, "practices")] == [
        "Map the data you hold.",
        "Delete what you do not need.",
    ]
    assert table(archive, "endorsements") == [
        {
            "organisation": "open-rights",
            "principle": "protect-data",
            "statement": "We commit.",
            "created": "2025-01-03T12:00:00Z",
        }
    ]
    assert [(r["organisation"], r["level"]) for r in table(archive, "assessments")] == [
        ("open-rights", "3")
    ]
    resources = {r["slug"]: r for r in table(archive, "resources")}
    assert list(resources) == ["greener-code-case", "privacy-guide"]  # published, by title
    assert resources["privacy-guide"] == {
        "slug": "privacy-guide",
        "title": "Privacy guide",
        "link": "https://example.org/privacy-guide/",
        "kind": "guide",
        "summary": "How to collect less.",
        "publisher": "Open Rights",
        "publisher_organisation": "open-rights",
        "areas": "surveillance",
        "principles": "protect-data",
        "licence": "CC BY 4.0",
        "free": "True",
        "year": "2024",
        "language": "en",
        "case_organisation": "",
        "maturity_level": "",
        "what_changed": "",
        "url": "https://map.example.org/resources/privacy-guide/",
        "created": "2024-01-01T09:00:00Z",
    }
    case = resources["greener-code-case"]
    assert (case["case_organisation"], case["maturity_level"]) == ("green-code", "3")
    assert case["publisher_organisation"] == ""  # its publisher's entry is archived
    terms = {r["slug"]: r for r in table(archive, "terms")}
    assert terms["surveillance"]["parent"] == "data-privacy"
    assert terms["data-privacy"]["synonyms"] == "privacy;personal data"


def test_the_export_is_built_once_and_rebuilt_when_the_data_change(client, world):
    _, first = download(client)
    with CaptureQueriesContext(connection) as captured:
        download(client)
    # The client's two counts in the shared limits store (all requests, the export) and the
    # data version: the zip came from the cache.
    assert len(captured) == 1 + 2 * LIMIT_QUERIES
    OrganisationFactory(slug="newcomer", name="Newcomer")
    _, rebuilt = download(client)
    assert [r["slug"] for r in table(rebuilt, "organisations")] == [
        "green-code",
        "newcomer",
        "open-rights",
    ]


def test_a_client_with_the_current_export_gets_a_304(client, world):
    response, _ = download(client)
    again = client.get(EXPORT, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_each_table_downloads_alone_as_the_same_csv_as_in_the_zip(client, world):
    _, archive = download(client)
    for name in ("organisations", "terms", "relationships"):
        response = client.get(f"/api/v1/export/{name}.csv")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert f"ethical-tech-map-{name}-" in response["Content-Disposition"]
        body = b"".join(response.streaming_content)
        assert body == archive.read(f"{name}.csv")
        assert int(response["Content-Length"]) == len(body)
    missing = client.get("/api/v1/export/people.csv")
    assert missing.status_code == 404
    assert "choose one of organisations" in missing.json()["detail"]


def test_only_the_current_version_stays_on_disk(client, world, settings):
    download(client)
    OrganisationFactory(slug="newcomer")
    download(client)
    folders = [p for p in settings.EXPORT_ROOT.iterdir() if p.is_dir()]
    assert len(folders) == 1
    assert "newcomer" in (folders[0] / "organisations.csv").read_text()


def test_while_another_process_builds_it_the_export_answers_503_with_retry_after(
    client, world, settings
):
    settings.EXPORT_ROOT.mkdir(parents=True)
    with open(settings.EXPORT_ROOT / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as another process building it would
        busy = client.get(EXPORT)
        assert busy.status_code == 503
        assert busy["Retry-After"] == "30"
        assert busy.json()["code"] == "export_being_prepared"
    response, archive = download(client)  # once the lock is free
    assert "organisations.csv" in archive.namelist()


def test_while_another_process_builds_a_newer_one_the_one_before_is_served_as_it_is(
    client, world, settings
):
    first, _ = download(client)
    OrganisationFactory(slug="newcomer")
    with open(settings.EXPORT_ROOT / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as another process building the newer one would
        response, archive = download(client)
        organisations = table(archive, "organisations")
        assert "newcomer" not in [row["slug"] for row in organisations]
        # It says which version it is, and is not kept: the next request gets the newer one.
        assert response["ETag"] == first["ETag"]
        assert response["Cache-Control"] == "public, max-age=0"
        assert response["Content-Disposition"] == first["Content-Disposition"]
    _, rebuilt = download(client)
    assert "newcomer" in [row["slug"] for row in table(rebuilt, "organisations")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a build thread's own connection")
@pytest.mark.django_db(transaction=True)
def test_no_request_waits_for_a_build_in_production(client, settings):
    # A build at 100,000 organisations outlasts a worker's timeout: it runs in a thread.
    settings.EXPORT_BUILD_IN_BACKGROUND = True
    OrganisationFactory(slug="first")

    def until_built(slug):
        for _ in range(100):
            response = client.get(EXPORT)
            if response.status_code == 200:
                body = b"".join(response.streaming_content)
                slugs = [
                    r["slug"] for r in table(zipfile.ZipFile(io.BytesIO(body)), "organisations")
                ]
                if slug in slugs:
                    return response, slugs
            else:
                assert response.status_code == 503  # nothing built yet: try again shortly
            time.sleep(0.1)
        raise AssertionError(f"{slug} never reached the export")

    first, _ = download(client)  # the first export ever: waited for, as it is small
    OrganisationFactory(slug="second")
    meanwhile, archive = download(client)  # at once, without waiting for the build
    if "second" not in [row["slug"] for row in table(archive, "organisations")]:
        assert meanwhile["ETag"] == first["ETag"]  # the one before, as it says
    latest, slugs = until_built("second")
    assert slugs == ["first", "second"]
    assert latest["ETag"] != first["ETag"]


def test_an_old_version_in_hand_gets_the_newest_export(client, world):
    from ethicalmap.dataversion import data_version
    from orgs.export.files import open_export_file

    stale = data_version()
    OrganisationFactory(slug="newcomer")
    version, file = open_export_file("organisations.csv", stale)
    with file:
        assert b"newcomer" in file.read()
    assert version.token != stale.token
