import pytest
import yaml

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
