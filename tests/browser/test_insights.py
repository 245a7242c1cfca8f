"""The insights page and the embed in Chromium: axe-clean, nothing asked of another site, the
charts drawn and printable; the embed framed by another site, which no other page allows."""

import http.server
import threading
from functools import partial

import pytest
from django.core.management import call_command

from orgs.models import Organisation
from principles.models import Principle
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def field(starter_data):
    """The starter data, some synthetic organisations with activities, and assessments."""
    call_command("seed_demo", orgs=150, seed=8, verbosity=0)
    principles = list(Principle.objects.live())
    for n, organisation in enumerate(Organisation.objects.published()[:40]):
        AssessmentFactory(
            organisation=organisation, principle=principles[n % len(principles)], level=1 + n % 5
        )


def test_insights_and_embed_pass_axe_and_ask_nothing_of_another_site(page, axe, field):
    problems = {}
    for url in ["/insights/", "/insights/?region=wales&type=charity", "/embed/",
                "/embed/?term=data-privacy&region=london"]:  # fmt: skip
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        violations = axe(page)
        if violations:
            problems[url] = violations
    assert problems == {}
    assert page.foreign_requests == []


def test_insights_draw_every_chart_and_print(page, field, screenshot):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/insights/")
    charts = page.locator("svg.chart-svg[role=img]")
    assert charts.count() == 8
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box["width"] > 200 and box["height"] > 50
    assert page.locator(".gaps li").count() > 0
    screenshot(page, "insights")
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    assert page.locator("svg.chart-svg").first.is_visible()
    screenshot(page, "insights-print")
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 480, "height": 800})
    page.goto("/embed/?region=london")
    screenshot(page, "embed")


@pytest.fixture
def other_site():
    """A tiny site on another port that frames a page of ours: {"url": ..., "frame": path}."""
    served = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = (
                '<!doctype html><html lang="en"><title>Another site</title>'
                f'<iframe title="framed" src="{served["frame"]}" width="600" height="400">'
                "</iframe></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=partial(server.serve_forever, 0.05), daemon=True)
    thread.start()
    served["url"] = f"http://127.0.0.1:{server.server_address[1]}/"
    yield served
    server.shutdown()
    server.server_close()


def framed(page, other_site, url):
    """The frame of our page `url` inside the other site's page, once loaded."""
    other_site["frame"] = url
    page.goto(other_site["url"])
    page.wait_for_load_state("load")
    return page.frames[1]


def test_another_site_can_frame_the_embed_and_nothing_else(page, live_server, other_site, field):
    frame = framed(page, other_site, f"{live_server.url}/embed/?region=london")
    assert frame.url == f"{live_server.url}/embed/?region=london"
    assert "organisation" in frame.locator("h1").inner_text()
    assert frame.locator(".embed-list a").first.get_attribute("target") == "_top"
    # Every other page is refused: Chromium leaves the frame on its own error page instead.
    for path in ["/insights/", "/organisations/", "/map/"]:
        frame = framed(page, other_site, f"{live_server.url}{path}")
        assert frame.url != f"{live_server.url}{path}", path
        assert frame.locator("#main").count() == 0, path
