import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from orgs.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def other_site():
    """Another site on this machine (127.0.0.1, another port: another origin) that serves one
    page; set `other_site.body` to the page's HTML."""

    class Page(BaseHTTPRequestHandler):
        body = ""

        def do_GET(self):
            content = f"<!doctype html><title>Another site</title>{self.body}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}/"
    server.page = Page
    yield server
    server.shutdown()
    server.server_close()


def test_the_api_guide_is_accessible_and_makes_no_third_party_request(
    page, axe, starter_data, screenshot
):
    page.goto("/api/")
    assert page.locator("h1").inner_text() == "Use the data of Ethical Tech Map"
    assert axe(page) == []
    assert page.foreign_requests == []
    screenshot(page, "api-guide")


def test_the_snippet_on_the_guide_lists_the_organisations_on_another_site(
    page, starter_data, live_server, settings, other_site
):
    settings.SITE_URL = live_server.url
    page.goto("/api/")
    snippet = page.locator("pre code", has_text="ethical-tech-map").inner_text()
    region = snippet.split("region=")[1].split("&")[0]
    expected = Organisation.objects.published().filter(region=region).count()
    assert expected > 0
    # Pasted into a page of another origin: it reads the API across origins (CORS) and follows
    # the pages until it has every organisation.
    other_site.page.body = snippet
    page.goto(other_site.url)
    items = page.locator("#ethical-tech-map li")
    items.nth(expected - 1).wait_for()
    assert items.count() == expected
    first = items.first.locator("a")
    assert first.get_attribute("href").startswith(live_server.url + "/organisations/")


def test_the_interactive_docs_work_under_the_strict_csp_from_our_own_files(
    page, starter_data, screenshot
):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    response = page.goto("/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    operations = page.locator(".opblock-summary-path")
    operations.first.wait_for()
    paths = operations.all_inner_texts()
    assert any("/api/v1/organisations/" in text for text in paths)
    assert refused == []
    assert page.foreign_requests == []
    screenshot(page, "api-docs")
