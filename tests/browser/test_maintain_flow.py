"""An organisation claims its entry in Chromium, confirms it with one click, and proposes a
change that a moderator approves in the real admin."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from orgs.models import Submission
from orgs.moderators import sync_moderators_group
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"
LINK = re.compile(r"https?://\S+?(/maintain/\S+/)")


@pytest.fixture(autouse=True)
def _forms_for_a_quick_robot(settings):
    settings.SUBMISSION_MIN_FILL_SECONDS = 0
    cache.clear()


@pytest.fixture
def entry(db):
    return OrganisationFactory(
        slug="fair-code",
        name="Fair Code",
        summary="Builds fair software.",
        website="https://www.faircode.example.org/",
    )


@pytest.fixture
def moderator_account(db):
    user = UserFactory(username="maya", is_staff=True)
    user.groups.add(sync_moderators_group())
    return user


def test_an_organisation_claims_confirms_and_proposes_a_change(
    page, axe, browser, live_server, entry, moderator_account, screenshot
):
    # Someone at the organisation claims the entry with a work email at its domain.
    page.goto("/organisations/fair-code/")
    page.get_by_role("link", name="Work here? Look after this entry").click()
    assert axe(page) == []
    page.get_by_label("Your name").fill("Robin Keeper")
    page.get_by_label("Your work email address").fill("robin@faircode.example.org")
    page.get_by_label("Your role at the organisation").fill("Director")
    page.get_by_label("I agree that the map keeps my name").check()
    page.get_by_role("button", name="Claim the entry").click()
    expect(page.locator("main")).to_contain_text("We have emailed you a link")

    # The email holds a single-use link; following it, one click says the entry is right.
    [message] = mail.outbox
    assert message.to == ["robin@faircode.example.org"]
    page.goto(LINK.search(message.body).group(1))
    assert axe(page) == []
    screenshot(page, "maintain-link")
    page.get_by_role("button", name="Still right").click()
    expect(page.locator("main")).to_contain_text("confirmed today")
    assert axe(page) == []

    today = timezone.localdate()
    page.goto("/organisations/fair-code/")
    expect(page.locator("main")).to_contain_text(
        f"Confirmed by the organisation on {today.day} {today:%B %Y}"
    )
    document = page.request.get("/api/v1/organisations/fair-code/").json()
    assert document["verified_by"] == "organisation"
    assert document["maintained"] is True
    assert "Robin" not in page.request.get("/api/v1/organisations/fair-code/").text()

    # Still signed in for a while, they propose a change.
    page.goto("/maintain/")
    page.get_by_role("link", name="Propose changes").click()
    page.get_by_label("What it does, in a sentence or two").fill(
        "Builds fair software for councils."
    )
    page.get_by_role("button", name="Send the changes").click()
    expect(page.locator("main")).to_contain_text("a moderator will look at your changes")
    edit = Submission.objects.get(kind=Submission.Kind.EDIT)
    assert edit.maintainer is not None

    # The moderator sees it in the queue as from the maintainer and approves it in one step.
    moderator = browser.new_context(base_url=live_server.url).new_page()
    moderator.goto("/admin/")
    moderator.get_by_label("Username").fill("maya")
    moderator.get_by_label("Password").fill(PASSWORD)
    moderator.get_by_role("button", name="Log in").click()
    moderator.goto("/admin/orgs/submission/")
    expect(moderator.locator("#result_list")).to_contain_text("Maintainer of Fair Code")
    moderator.get_by_role("link", name="Suggested edit: Fair Code").click()
    expect(moderator.locator("main, #content").first).to_contain_text("Maintainer of Fair Code")
    moderator.get_by_role("button", name="Approve").click()
    expect(moderator.locator(".messagelist")).to_contain_text("Approved")

    page.goto("/organisations/fair-code/")
    expect(page.locator("main")).to_contain_text("Builds fair software for councils.")
    assert page.foreign_requests == []
