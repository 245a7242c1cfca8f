import gzip
import json
import re

import pytest
from django.test import Client

from taxonomy.models import Term
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/organisations/"


def test_a_client_with_a_current_copy_gets_a_304_by_etag_or_date(client, world):
    first = client.get(API)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    again = client.get(API, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    assert client.get(API, headers={"If-Modified-Since": modified}).status_code == 304
    # The copy of another representation is not current for this one.
    assert client.get(API + "?format=csv", headers={"If-None-Match": etag}).status_code == 200


def test_any_change_to_the_data_makes_copies_stale(client, world):
    etag = client.get(API).headers["ETag"]
    rights = world["rights"]
    rights.summary = "Defends digital rights."
    rights.save()
    changed = client.get(API, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["results"][1]["summary"] == "Defends digital rights."
    # Organisations show term names, so a renamed term makes them stale too.
    etag = changed.headers["ETag"]
    term = Term.objects.get(slug="data-privacy")
    term.name = "Privacy"
    term.save()
    assert client.get(API, headers={"If-None-Match": etag}).status_code == 200
    # A deleted organisation too.
    etag = client.get(API).headers["ETag"]
    world["green"].delete()
    assert client.get(API, headers={"If-None-Match": etag}).status_code == 200


def test_anonymous_answers_may_be_cached_publicly_and_signed_in_ones_privately(
    client, moderator_client, world
):
    response = Client().get(API)
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "Accept" in response.headers["Vary"]
    assert moderator_client.get(API).headers["Cache-Control"] == "private, max-age=300"
    assert Client().get(API + "?term=nope").headers["Cache-Control"] == "no-store"


def test_any_origin_may_read_the_api_from_a_browser(client, world):
    response = client.get(API, headers={"Origin": "https://elsewhere.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Link", "Last-Modified", "Retry-After"} <= exposed
    preflight = client.options(
        API,
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "POST" not in preflight.headers["Access-Control-Allow-Methods"]
    # Only the API: the site's pages are not opened to other origins.
    home = client.get("/", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in home.headers


def test_the_api_is_read_only(client, world):
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(API + "open-rights/").status_code in (403, 405)
    assert client.post(API).status_code in (403, 405)


def test_too_many_requests_get_a_429_with_retry_after(client, world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "3/minute", "export": "1/hour"},
    }
    # Different pages: a repeat of a kept answer does no work, so it is not counted.
    for size in (1, 2, 3):
        assert client.get(f"{API}?page_size={size}").status_code == 200
    response = client.get(f"{API}?page_size=4")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    body = response.json()
    assert (body["status"], body["code"], body["errors"]) == (429, "throttled", {})
    assert "Request was throttled" in body["detail"]


def test_the_export_has_a_tighter_limit(client, world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/minute", "user": "100/minute", "export": "1/hour"},
    }
    first = client.get("/api/v1/export/")
    assert first.status_code == 200
    assert b"".join(first.streaming_content)  # read to the end, which closes the file
    refused = client.get("/api/v1/export/")
    assert refused.status_code == 429
    assert refused.headers["Content-Type"] == "application/json"
    assert client.get(API).status_code == 200


def test_pages_are_linked_in_a_link_header(client, db):
    for n in range(5):
        OrganisationFactory(slug=f"org-{n}", name=f"Org {n}")
    link = client.get(API + "?page_size=2&page=2").headers["Link"]
    base = "http://testserver/api/v1/organisations/"
    assert link == (
        f'<{base}?page=3&page_size=2>; rel="next", '
        f'<{base}?page_size=2>; rel="prev", '
        f'<{base}?page_size=2>; rel="first", '
        f'<{base}?page=3&page_size=2>; rel="last"'
    )
    cursor = client.get(API + "?pagination=cursor&page_size=2").headers["Link"]
    assert re.fullmatch(
        r'<http://testserver/api/v1/organisations/\?cursor=[^>]+>; rel="next"', cursor
    )


def test_answers_are_gzipped_except_html(client, world):
    response = client.get(API, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert json.loads(gzip.decompress(response.content))["count"] == 2
    # The browsable API's pages hold a CSRF token: never compressed (BREACH).
    html = client.get(API, headers={"Accept-Encoding": "gzip", "Accept": "text/html"})
    assert "Content-Encoding" not in html.headers


def test_head_answers_the_headers_of_get(client, world):
    get, head = client.get(API), client.head(API)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["ETag"] == get.headers["ETag"]
