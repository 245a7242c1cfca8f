"""/help/ in Chromium: asked and answered without JavaScript, accessible, with an address to
share, and readable on a small screen."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = "/help/?direction=offers&need=help-funding&area=digital-exclusion&region=wales"


def test_a_visitor_finds_funding_for_digital_exclusion_in_wales_without_javascript(
    browser, live_server, starter_data, axe
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.click("nav.site-nav >> text=Who can help")
    page.wait_for_url("**/help/")
    assert page.locator("h1").inner_text() == "Who can help"
    page.check("input[name=need][value=help-funding]")
    page.select_option("#id_area", "digital-exclusion")
    page.select_option("#id_region", "wales")
    page.click("form.help-form button[type=submit]")
    page.wait_for_url("**need=help-funding**")
    page.wait_for_load_state()
    assert "area=digital-exclusion" in page.url and "region=wales" in page.url
    statement = page.locator(".help-statement").inner_text()
    assert "No organisation based or working in Wales offers funding" in statement
    assert page.locator(".help-list h4").first.inner_text().startswith("Comic Relief")
    # What was asked stays chosen, so the question can be changed.
    assert page.locator("#id_region").input_value() == "wales"
    context.close()


def test_the_help_page_is_accessible_and_asks_nothing_of_another_site(page, axe, starter_data):
    for url in ["/help/", ANSWER, "/help/?need=nothing&region=atlantis",
                "/help/?direction=looking&need=help-volunteers"]:  # fmt: skip
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert axe(page) == [], url
    assert page.foreign_requests == []


def test_the_answer_fits_a_320_pixel_screen(browser, live_server, starter_data):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    for url in ["/help/", ANSWER]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
    context.close()
