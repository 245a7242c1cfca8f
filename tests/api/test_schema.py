import pytest
import yaml

from orgs.api.filters import ORDERINGS
from orgs.export.tables import TABLES
from orgs.help.places import UK_REGIONS
from orgs.models import Organisation, OrgType, Region, Relationship
from taxonomy.models import Vocabulary
from tests.factories import VocabularyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_describes_every_endpoint_and_parameter_with_an_example(openapi):
    operations = [(path, op) for path, ops in openapi["paths"].items() for op in ops.values()]
    assert {path for path, _ in operations} == {
        "/api/v1/organisations/",
        "/api/v1/organisations/{slug}/",
        "/api/v1/relationships/",
        "/api/v1/vocabularies/",
        "/api/v1/vocabularies/{slug}/",
        "/api/v1/terms/",
        "/api/v1/terms/{slug}/",
        "/api/v1/principles/",
        "/api/v1/principles/{slug}/",
        "/api/v1/resources/",
        "/api/v1/resources/{slug}/",
        "/api/v1/stats/",
        "/api/v1/export/",
        "/api/v1/export/{table}.csv",
    }
    for path, operation in operations:
        assert operation["summary"] and operation["description"], path
        assert operation["security"] == [{}], path  # anonymous
        for parameter in operation.get("parameters", []):
            where = f"{path} {parameter['name']}"
            assert parameter.get("description"), where
            assert parameter.get("example") is not None or parameter.get("examples"), where


def test_the_schema_documents_formats_errors_and_caching_headers(openapi):
    organisations = openapi["paths"]["/api/v1/organisations/"]["get"]
    success = organisations["responses"]["200"]
    assert set(success["content"]) == {"application/json", "application/geo+json", "text/csv"}
    assert {"ETag", "Last-Modified", "Cache-Control", "Link"} <= set(success["headers"])
    for status in ("304", "400", "404", "406", "429"):
        assert status in organisations["responses"]
    assert organisations["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert "Retry-After" in organisations["responses"]["429"]["headers"]
    export = openapi["paths"]["/api/v1/export/"]["get"]["responses"]["200"]
    assert list(export["content"]) == ["application/zip"]
    one_table = openapi["paths"]["/api/v1/export/{table}.csv"]["get"]["responses"]["200"]
    assert list(one_table["content"]) == ["text/csv"]
    assert openapi["info"]["license"]["name"] == "CC BY 4.0"


def _parameters(openapi, path, location="query"):
    operation = openapi["paths"][path]["get"]
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == location}


def _enum(parameter):
    schema = parameter["schema"]
    return schema.get("items", schema).get("enum")


def _examples(parameter):
    if "example" in parameter:
        return [parameter["example"]]
    return [example["value"] for example in parameter.get("examples", {}).values()]


def test_fixed_choices_are_enums_taken_from_where_the_choices_are_made(client, world):
    VocabularyFactory(slug="added-later")
    openapi = yaml.safe_load(client.get("/api/schema/").content)
    vocabularies = sorted(Vocabulary.objects.values_list("slug", flat=True))
    assert "added-later" in vocabularies
    organisations = _parameters(openapi, "/api/v1/organisations/")
    assert _enum(organisations["type"]) == OrgType.values
    assert _enum(organisations["region"]) == Region.values
    assert _enum(organisations["near_region"]) == [value for value, _ in UK_REGIONS]
    assert _enum(organisations["ordering"]) == list(ORDERINGS)
    assert _enum(organisations["has_location"]) == ["true", "false"]
    assert _enum(organisations["vocabulary"]) == vocabularies
    assert _enum(organisations["pagination"]) == ["page", "cursor"]
    assert _enum(organisations["format"]) == ["json", "geojson", "csv"]
    stats = _parameters(openapi, "/api/v1/stats/")
    assert _enum(stats["type"]) == OrgType.values
    assert _enum(stats["region"]) == Region.values
    assert _enum(stats["vocabulary"]) == vocabularies
    assert _enum(stats["format"]) == ["json"]
    assert _enum(_parameters(openapi, "/api/v1/terms/")["vocabulary"]) == vocabularies
    relationships = _parameters(openapi, "/api/v1/relationships/")
    assert _enum(relationships["kind"]) == Relationship.Kind.values
    assert _enum(relationships["format"]) == ["json", "csv"]
    table = _parameters(openapi, "/api/v1/export/{table}.csv", "path")["table"]
    assert sorted(_enum(table)) == sorted(table.name for table in TABLES)
    for path in openapi["paths"]:
        assert _enum(_parameters(openapi, path)["format"]), path


def test_every_endpoint_takes_exactly_the_query_parameters_its_schema_documents(client, openapi):
    prefix = "Not a parameter of this endpoint, which takes: "
    for path in openapi["paths"]:
        documented = set(_parameters(openapi, path))
        paths = {name: _examples(p)[0] for name, p in _parameters(openapi, path, "path").items()}
        response = client.get(path.format(**paths), {"not-a-parameter": "1"})
        assert response.status_code == 400, path
        message = response.json()["errors"]["not-a-parameter"][0]
        assert message.startswith(prefix) and message.endswith("."), message
        assert set(message.removeprefix(prefix).removesuffix(".").split(", ")) == documented


@pytest.fixture
def tagged_starter_data(starter_data):
    """The starter data, which has no tags, with the tag a moderator would give one entry."""
    Organisation.objects.get(slug="open-rights-group").tags.add("Open source")


def test_every_example_and_value_in_the_schema_works_on_the_starter_data(
    client, tagged_starter_data
):
    openapi = yaml.safe_load(client.get("/api/schema/").content)
    failures = []
    for path in openapi["paths"]:
        path_parameters = _parameters(openapi, path, "path").values()
        urls = [path.format(**{p["name"]: _examples(p)[0] for p in path_parameters})]
        for parameter in path_parameters:
            urls += [path.format(**{parameter["name"]: v}) for v in _enum(parameter) or []]
        calls = [(url, {}) for url in dict.fromkeys(urls)]
        for name, parameter in _parameters(openapi, path).items():
            values = [*_examples(parameter), *(_enum(parameter) or [])]
            calls += [(urls[0], {name: value}) for value in dict.fromkeys(values)]
        for url, query in calls:
            response = client.get(url, query)
            if response.status_code != 200:
                failures.append(f"{url} {query}: {response.status_code} {response.content[:300]}")
            if response.streaming:
                b"".join(response.streaming_content)  # read to the end, which closes the file
    assert failures == []
