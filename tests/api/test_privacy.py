"""Nothing private, nothing unpublished: a crawler follows every link of the API, in every format,
and reads the export, the schema and the guide, looking for private field names and values."""

import csv
import io
import json
import zipfile
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
import yaml

from tests.api.conftest import PRIVATE_NAMES, PRIVATE_VALUES, UNPUBLISHED_VALUES

pytestmark = pytest.mark.django_db

ROOT = "http://testserver/api/v1/"


def with_format(url, fmt):
    parts = urlsplit(url)
    query = parts.query + ("&" if parts.query else "") + urlencode({"format": fmt})
    return urlunsplit(parts._replace(query=query))


def walk(value):
    """Every (key, string) in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, None
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)
    elif isinstance(value, str):
        yield None, value


def texts_of(response):
    """The readable texts of an answer: a zip's files one by one."""
    if response.headers["Content-Type"] == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        return {name: archive.read(name).decode() for name in archive.namelist()}
    return {"body": response.content.decode()}


def check_text(where, text):
    for value in PRIVATE_VALUES + UNPUBLISHED_VALUES:
        assert value not in text, f"{value!r} in {where}"


def check_names(where, names):
    leaked = set(names) & set(PRIVATE_NAMES)
    assert not leaked, f"{leaked} in {where}"


def crawl(client):
    seen, queue, answers = set(), [ROOT], 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if "format=" in url and response.status_code == 406:
            continue  # a format this endpoint does not offer
        assert response.status_code == 200, url
        answers += 1
        for name, text in texts_of(response).items():
            where = f"{url} ({name})"
            check_text(where, text)
            if name.endswith(".csv") or "format=csv" in url:
                check_names(where, next(csv.reader(io.StringIO(text)), []))
            elif name.endswith(".json") or response.headers["Content-Type"].endswith("json"):
                document = json.loads(text)
                check_names(where, [key for key, _ in walk(document) if key])
                for _, value in walk(document):
                    if value and value.startswith(ROOT) and value not in seen:
                        queue.append(value)
                        if "format=" not in value:
                            queue += [with_format(value, f) for f in ("csv", "geojson")]
    return seen, answers


def test_no_answer_of_the_api_holds_anything_private_or_unpublished(client, world):
    seen, answers = crawl(client)
    # The crawl reached every kind of resource, in every format.
    assert {
        ROOT + "organisations/open-rights/",
        ROOT + "organisations/open-rights/?format=csv",
        ROOT + "organisations/?format=geojson",
        ROOT + "terms/data-privacy/",
        ROOT + "vocabularies/help/",
        ROOT + "principles/protect-data/",
        ROOT + "relationships/?format=csv",
        ROOT + "stats/",
        ROOT + "export/",
    } <= seen
    assert answers >= 25


def test_the_schema_the_docs_and_the_guide_hold_nothing_private(client, world):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    properties = [
        name
        for component in schema["components"]["schemas"].values()
        for name in component.get("properties", {})
    ]
    assert "slug" in properties
    check_names("the schema", properties)
    for page in ("/api/", "/api/docs/"):
        check_text(page, client.get(page).content.decode())
