"""Broken and hostile input sent to every page and endpoint: a clear 4xx or an ordinary page, never
a 5xx, and nothing sent comes back as live markup.

The pages are found by crawling the site from its home page and the API root, so a page added
later is covered without editing this file.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
HOSTILE_QUERIES = [
    f"q={SCRIPT}",
    "q=%22%3E%3Csvg%20onload%3Dalert(1)%3E",
    "page=-1",
    "page=0",
    "page=99999999999999999999999",
    "page=abc",
    "term=no-such-term&term=%00",
    "region=%00&type=%ff%fe",
    "sort=;DROP TABLE orgs_organisation",
    "bbox=1,2,3&has_location=maybe",
    "updated_since=not-a-date&verified_since=2026-13-45",
    "format=exe",
    "page_size=-5",
    "cursor=%ff%ff%ff",
    "q=" + "x" * 20_000,
    "%ff%fe=%c3%28",
]
CRAWL_LIMIT = 60
SKIP_PREFIXES = ("/admin/", "/static/", "/api/docs/", "/api/v1/export/")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def internal_paths(response):
    content_type = response.get("Content-Type", "")
    if "html" in content_type:
        parser = Links()
        parser.feed(response.content.decode())
        hrefs = parser.hrefs
    elif "json" in content_type:
        hrefs = []

        def walk(value):
            if isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str) and value.startswith(("http://testserver/", "/")):
                hrefs.append(value)

        walk(response.json())
    else:
        return []
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIP_PREFIXES):
            continue
        paths.append(parts.path)
    return paths


def crawl(client):
    """Paths reachable from / and /api/v1/: one for each URL pattern, at most CRAWL_LIMIT."""
    seen, routes, queue = [], set(), deque(["/", "/api/v1/"])
    while queue and len(seen) < CRAWL_LIMIT:
        path = queue.popleft()
        try:
            route = resolve(path).route
        except Resolver404:
            continue
        # One page per pattern: /organisations/a/ stands for every profile.
        if route in routes:
            continue
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200:
            continue
        seen.append(path)
        routes.add(route)
        queue.extend(internal_paths(response))
    return seen


@pytest.fixture
def site_paths(client, starter_data):
    paths = crawl(client)
    assert len(paths) >= 8, paths  # the crawl really walked the site
    return paths


def test_hostile_query_strings_never_cause_a_server_error_or_run(client, site_paths):
    failures = []
    for path in site_paths:
        for query in HOSTILE_QUERIES:
            response = client.get(f"{path}?{query}")
            body = response.content.decode(errors="replace")
            if response.status_code >= 500:
                failures.append(f"{path}?{query[:60]} -> {response.status_code}")
            elif SCRIPT in body or "<svg onload" in body:
                failures.append(f"{path}?{query[:60]} echoed live markup")
    assert failures == []


def test_unsafe_methods_and_malformed_bodies_get_a_4xx(site_paths):
    client = Client(enforce_csrf_checks=True)
    failures = []
    for path in site_paths:
        for content_type, body in [
            ("application/json", "{not json"),
            ("application/xml", "<x/>"),
            ("application/x-www-form-urlencoded", "a=%ff%00&b=" + "y" * 100_000),
        ]:
            response = client.post(path, body, content_type=content_type)
            if not 400 <= response.status_code < 500:
                failures.append(f"POST {path} {content_type} -> {response.status_code}")
        for method in (client.put, client.patch, client.delete):
            response = method(path, "{}", content_type="application/json")
            if not 400 <= response.status_code < 500:
                failures.append(f"{method.__name__.upper()} {path} -> {response.status_code}")
    assert failures == []


def test_a_path_with_odd_bytes_is_a_404_not_a_500(client, starter_data):
    for path in (
        "/organisations/%00/",
        "/organisations/%ff%fe/",
        "/taxonomy/x/%3Cscript%3E/",
        "/api/v1/organisations/%00/",
        "/" + "a" * 5000 + "/",
    ):
        response = client.get(path)
        assert response.status_code in (400, 404), (path, response.status_code)


def test_null_characters_never_reach_a_view(client, db):
    response = client.get("/api/v1/organisations/%00/")
    assert response.status_code == 400
    assert response.json()["detail"] == "Null characters are not allowed in addresses."
    assert client.get("/api/v1/organisations/?search=a%00b").status_code == 400
    page = client.get("/organisations/?q=priv%00acy")
    assert page.status_code == 200
    assert 'value="privacy"' in page.content.decode()  # the search box shows what was kept
    assert client.get("/organisations/%00/").status_code == 404
