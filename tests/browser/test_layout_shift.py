"""Pages do not jump while they load on a phone: cumulative layout shift, measured in Chromium,
stays under 0.1 (Google's "good") while the page arrives a slice at a time, as over a slow
mobile connection."""

import http.server
import threading
import time
import urllib.request

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
# Slices of the HTML and the pause between them: enough for Chromium to paint what it has, so a
# part drawn before the rest arrives and then pushed aside is counted, as Lighthouse counts it.
SLICE, PAUSE = 2000, 0.25
MEASURE = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture
def slow_server(live_server):
    """The live server behind a proxy that sends each page's HTML in slices, with pauses."""

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            with urllib.request.urlopen(live_server.url + self.path) as upstream:
                body, content_type = upstream.read(), upstream.headers["Content-Type"]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            slice_ = SLICE if content_type.startswith("text/html") else len(body)
            for start in range(0, len(body), slice_):
                self.wfile.write(body[start : start + slice_])
                self.wfile.flush()
                if slice_ != len(body):
                    time.sleep(PAUSE)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path", ["/organisations/", "/map/", "/map/geo/", "/map/network/"])
def test_the_page_does_not_jump_while_it_loads_on_a_phone(browser, slow_server, starter_data, path):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_init_script(MEASURE)
    page = context.new_page()
    page.goto(slow_server + path, wait_until="load")
    page.wait_for_timeout(500)
    shift = page.evaluate("window.__layoutShift")
    context.close()
    assert shift < 0.1, f"{path}: cumulative layout shift {shift:.3f}"


def test_on_a_phone_the_list_comes_first_and_a_link_leads_to_the_filters(browser, live_server,
                                                                         starter_data):  # fmt: skip
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto("/organisations/")
    first_card = page.locator("article.card").first.bounding_box()
    filters = page.locator("#facets-heading").bounding_box()
    assert first_card["y"] < filters["y"]
    page.click("text=Filter the list")
    assert page.evaluate("location.hash") == "#facets-heading"
    context.close()
