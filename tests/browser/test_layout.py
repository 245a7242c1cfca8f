import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_is_accessible_and_makes_no_third_party_request(
    page, axe, starter_data, screenshot
):
    page.goto("/")
    assert page.locator("h1").count() == 1
    assert axe(page) == []
    assert page.foreign_requests == []
    screenshot(page, "home")


def test_the_skip_link_moves_focus_to_the_main_content(page, starter_data):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
