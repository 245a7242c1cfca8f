"""A member shares a resource in Chromium; a moderator approves it in the real admin; it is on
the principle's page, in the feed and in the API."""

import feedparser
import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from playwright.sync_api import expect

from orgs.moderators import MODERATORS_GROUP
from resources.models import Resource
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"
TITLE = "Harms workshop for product teams"


@pytest.fixture(autouse=True)
def _forms_for_a_quick_robot(settings):
    settings.SUBMISSION_MIN_FILL_SECONDS = 0
    cache.clear()


def test_a_member_shares_a_resource_and_a_moderator_approves_it(page, axe, starter_data):
    moderator = UserFactory(username="maya", is_staff=True)
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))

    page.goto("/resources/")
    page.get_by_role("link", name="Share a resource").click()
    assert page.locator("h1").inner_text() == "Share a resource"
    assert axe(page) == []
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Web address").fill("https://harms.example.org/workshop")
    page.get_by_label("Kind of resource").select_option("toolkit")
    page.get_by_label("What it is and who it helps, in a sentence or two").fill(
        "A two-hour workshop that helps a product team list who a feature could harm."
    )
    page.get_by_label("Bias and discrimination", exact=True).check()
    page.get_by_label("Look for bias and fix it, before and after launch").check()
    page.get_by_label("I have no connection with it").check()
    page.get_by_label("I agree that the moderators").check()
    page.get_by_role("button", name="Share the resource").click()
    assert page.locator("h1").inner_text() == "Thank you: we have it"
    assert not Resource.objects.filter(title=TITLE).exists()

    page.goto("/admin/")
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Submissions").first.click()
    page.get_by_role("link", name=f"Shared resource: {TITLE}").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved")

    resource = Resource.objects.get(title=TITLE)
    page.goto("/principles/find-and-fix-bias/")
    practice = page.locator("section", has=page.locator("#practice-heading"))
    expect(practice.get_by_role("link", name=TITLE)).to_be_visible()
    assert axe(page) == []

    feed = feedparser.parse(page.request.get("/feeds/resources/").body())
    assert not feed.bozo
    assert feed.entries[0].link.endswith(resource.get_absolute_url())

    api = page.request.get("/api/v1/resources/?principle=find-and-fix-bias").json()
    assert resource.slug in [item["slug"] for item in api]
    assert page.foreign_requests == []
