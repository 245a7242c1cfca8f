"""Anonymous visitors get kept answers: one query, the same bytes, never stale or anyone else's."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from ethicalmap.middleware import _keepable
from orgs.models import Organisation
from tests.factories import OrganisationFactory
from tests.queries import LIMIT_QUERIES

pytestmark = pytest.mark.django_db

API = "/api/v1/organisations/"


@pytest.fixture
def world(db):
    return [OrganisationFactory(name=f"Org {n}") for n in range(3)]


@pytest.mark.parametrize("url", [API, f"{API}?search=org", "/organisations/", "/map/", "/"])
def test_a_repeat_costs_one_query_and_gives_the_same_answer(
    client, world, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the data version
        again = client.get(url)
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]


def test_a_kept_page_still_carries_the_security_headers(client, world):
    first = client.get("/organisations/")
    again = client.get("/organisations/")
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"):
        assert again[header] == first[header]
    assert "X-Request-ID" in again  # its own, not the first request's
    assert again["X-Request-ID"] != first["X-Request-ID"]


def test_an_edit_shows_at_once(client, world):
    assert b"Org 1" in client.get("/organisations/").content
    assert "Org 1" in client.get(API).content.decode()
    Organisation.objects.filter(name="Org 1").update(name="Renamed")  # no signal, no save()
    assert b"Renamed" in client.get("/organisations/").content
    assert "Renamed" in client.get(API).content.decode()


def test_a_current_copy_gets_a_304_from_the_cache(client, world, django_assert_num_queries):
    etag = client.get("/organisations/")["ETag"]
    with django_assert_num_queries(1):
        response = client.get("/organisations/", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_head_gets_the_headers_without_the_body(client, world):
    body = client.get(API).content
    response = client.head(API)
    assert response.status_code == 200
    assert response.content == b""
    assert int(response["Content-Length"]) == len(body)


def test_formats_and_compression_are_kept_apart(client, world):
    json_body = client.get(API, headers={"accept": "application/json"}).content
    csv_body = client.get(API, headers={"accept": "text/csv"}).content
    assert csv_body != json_body
    assert client.get(API, headers={"accept": "application/json"}).content == json_body
    assert client.get(API, headers={"accept": "text/csv"}).content == csv_body
    gzipped = client.get(API, headers={"accept-encoding": "gzip"})
    assert gzipped["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in client.get(API)


def test_signed_in_people_are_never_served_a_kept_answer(client, world, moderator):
    client.get("/organisations/")  # kept for anonymous visitors
    client.force_login(moderator)
    page = client.get("/organisations/")
    assert page.status_code == 200
    assert page.context is not None  # rendered for them, not taken from the cache
    assert client.get(API)["Cache-Control"].startswith("private")


def test_a_page_with_a_form_is_never_kept(client, db):
    client.get("/submit/")
    other = client.__class__()  # another visitor
    response = other.get("/submit/")
    assert response.context is not None  # rendered for them, with a CSRF token of their own


def test_an_answer_that_used_a_csrf_token_is_never_kept(rf):
    request = rf.get("/somewhere/")
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    response = HttpResponse("<form>")
    response["Cache-Control"] = "public, no-cache"
    assert not _keepable(request, response)
    del request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    assert _keepable(request, response)
    response["Vary"] = "Accept-Language"  # a header the key does not hold
    assert not _keepable(request, response)


def test_an_authorization_header_or_a_session_cookie_skips_the_cache(client, world):
    client.get("/organisations/")
    assert client.get("/organisations/", headers={"authorization": "Basic eDp4"}).context
    client.cookies["sessionid"] = "not-a-session"
    assert client.get("/organisations/").context is not None


def test_a_process_may_reuse_the_version_for_a_moment(client, world, settings, monkeypatch):
    settings.DATA_VERSION_MAX_AGE_MS = 1000
    now = [100.0]
    monkeypatch.setattr("ethicalmap.middleware.time.monotonic", lambda: now[0])
    assert b"Org 1" in client.get("/organisations/").content
    Organisation.objects.filter(name="Org 1").update(name="Renamed")
    now[0] += 0.5  # within the moment: the kept page, without a query
    assert b"Org 1" in client.get("/organisations/").content
    now[0] += 0.6  # past it: the version is read again, and the edit shows
    assert b"Renamed" in client.get("/organisations/").content


def test_kept_answers_cost_no_query_while_the_version_is_fresh(
    client, world, settings, django_assert_num_queries
):
    settings.DATA_VERSION_MAX_AGE_MS = 60_000
    client.get(API)
    with django_assert_num_queries(0):
        assert client.get(API).status_code == 200


def test_a_new_release_is_not_served_the_last_ones_answers(client, world, settings):
    from ethicalmap.release import release_id

    settings.RELEASE_ID = "release-1"
    release_id.cache_clear()
    try:
        first = client.get(API)
        settings.RELEASE_ID = "release-2"
        release_id.cache_clear()
        with CaptureQueriesContext(connection) as queries:
            again = client.get(API)
        assert len(queries) > 1  # built again for this release
        assert again["ETag"] != first["ETag"]
    finally:
        release_id.cache_clear()


def test_a_cache_outage_slows_answers_but_does_not_fail_them(client, world, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr("ethicalmap.caching.cache.get", broken)
    monkeypatch.setattr("ethicalmap.caching.cache.set", broken)
    assert client.get("/organisations/").status_code == 200


def test_the_api_keeps_a_second_copy_only_for_those_the_anonymous_cache_does_not_serve(
    client, world, django_assert_num_queries
):
    from ethicalmap.api.base import _response_key

    anonymous = client.get(API)
    assert cache.get(_response_key(anonymous["ETag"])) is None  # kept once, in front
    client.cookies["theme"] = "dark"  # any cookie but csrftoken: not served from the front
    first = client.get(API)
    assert cache.get(_response_key(first["ETag"])) is not None
    # The client's count in the shared limits store (DRF throttles it: it did not come from the
    # front) and the data version; the answer is the kept copy.
    with django_assert_num_queries(1 + LIMIT_QUERIES):
        assert client.get(API).content == first.content
