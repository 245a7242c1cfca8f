"""Every public page in Chromium: axe-clean, no request to another site, usable at 320 px and
without JavaScript; screenshots of the three maps in test-artifacts/ for people to look at."""

import pytest

from orgs.models import Organisation
from principles.models import Principle
from tests.factories import AssessmentFactory, EndorsementFactory

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/map/",
    "/map/?type=charity&activity=research",
    "/map/geo/",
    "/map/geo/?region=london",
    "/map/network/",
    "/map/network/?links=terms",
    "/organisations/",
    "/organisations/?q=privacy&term=data-privacy&region=nowhere",
    "/organisations/?page=2",
    "/organisations/catalyst/",
    "/taxonomy/",
    "/taxonomy/consequences/data-privacy/",
    "/taxonomy/help/help-funding/",
    "/principles/",
    "/principles/protect-personal-data/",
    "/principles/maturity/",
    "/criteria/",
    "/about/",
    "/privacy/",
]


@pytest.fixture
def rich_data(starter_data):
    """The starter data, with an approved self-assessment and an endorsement on one profile."""
    catalyst = Organisation.objects.get(slug="catalyst")
    principle = Principle.objects.get(slug="protect-personal-data")
    AssessmentFactory(organisation=catalyst, principle=principle, level=3, evidence="We do X.")
    EndorsementFactory(organisation=catalyst, principle=principle, statement="We commit.")


def test_every_page_passes_axe_and_asks_nothing_of_another_site(page, axe, rich_data):
    problems = {}
    for url in PAGES:
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        violations = axe(page)
        if violations:
            problems[url] = violations
    assert problems == {}
    assert page.foreign_requests == []


def test_the_maps_look_right_in_chromium(page, starter_data, screenshot):
    # Screenshots for people to look at: the landscape, where, and how they are linked.
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/map/")
    assert page.locator("section.area").count() == 9
    screenshot(page, "landscape")
    page.goto("/map/geo/")
    assert page.locator(".places circle").count() > 10
    screenshot(page, "geo")
    page.goto("/map/network/")
    screenshot(page, "network")
    page.goto("/map/network/?links=terms")
    # Every organisation drawn is named, by its name or by a number in the key.
    assert page.locator(".nodes circle").count() == page.locator(".labels text").count() > 30
    screenshot(page, "network-shared-areas")
    assert page.foreign_requests == []


def test_the_pages_fit_a_320_pixel_screen(browser, live_server, starter_data):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    too_wide = {}
    for url in PAGES:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[url] = width
    context.close()
    assert too_wide == {}


def test_the_maps_and_their_filters_work_without_javascript(browser, live_server, starter_data):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/map/")
    page.select_option("#f-region", "scotland")
    page.click("form.map-filters button[type=submit]")
    assert "region=scotland" in page.url
    assert page.locator(".chips.removable").inner_text().strip().startswith("Remove filter")
    page.click("nav.map-tabs >> text=Where")
    page.wait_for_url("**/map/geo/?region=scotland**")
    page.wait_for_load_state()
    assert page.locator(".places circle").count() >= 1
    page.goto("/organisations/")
    page.check("input[name=term][value=data-privacy]")
    page.click(".facets button[type=submit]")
    page.wait_for_url("**term=data-privacy**")
    page.wait_for_load_state()  # count the cards once the page has them, on a slow machine too
    assert page.locator("article.card").count() > 5
    context.close()


def test_a_search_with_more_matches_than_listed_passes_axe(page, axe, starter_data, monkeypatch):
    monkeypatch.setattr("orgs.search.BEST_MATCHES", 3)
    page.goto("/organisations/?q=data")
    assert "More than 3 organisations match" in page.locator("#results-heading").inner_text()
    assert page.locator("article.card").count() == 3
    assert axe(page) == []
    assert page.foreign_requests == []
