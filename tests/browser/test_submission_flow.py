"""A member adds an organisation in Chromium; a moderator approves it in the real admin."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from playwright.sync_api import expect

from orgs.models import Organisation, Submission
from orgs.moderators import MODERATORS_GROUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"
SCRIPT_LINKS = """[...document.querySelectorAll('[href], [src]')].filter(
  (e) => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || '')
).length"""


@pytest.fixture(autouse=True)
def _forms_for_a_quick_robot(settings):
    # Playwright types faster than a person; the fill-time rule has its own tests.
    settings.SUBMISSION_MIN_FILL_SECONDS = 0
    cache.clear()


@pytest.fixture
def moderator_account(starter_data):
    user = UserFactory(username="maya", is_staff=True)
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


def test_a_member_submits_and_a_moderator_approves_in_the_admin(
    page, axe, starter_data, moderator_account, screenshot
):
    # The member finds the form; it is accessible before and after a mistake.
    page.goto("/submit/")
    assert page.locator("h1").inner_text() == "Add an organisation to the map"
    assert axe(page) == []

    page.get_by_label("Name of the organisation").fill("Kind Code Cooperative")
    page.get_by_role("button", name="Send for review").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.get_by_label("Name of the organisation").input_value() == "Kind Code Cooperative"
    assert axe(page) == []
    screenshot(page, "submit-errors")
    summary.get_by_role("link", name="Region").click()
    assert page.evaluate("document.activeElement.id") == "id_region"

    page.get_by_label("Website").fill("https://kindcode.example.org")
    page.get_by_label("What it does, in a sentence or two").fill(
        "A workers' co-operative building accessible public services."
    )
    page.get_by_label("Kind of organisation").select_option("cooperative")
    page.get_by_label("Town or city (optional)").fill("Sheffield")
    page.get_by_label("Region").select_option("yorkshire-and-the-humber")
    page.get_by_label("Accessibility", exact=True).check()
    page.get_by_label("Tools and services").check()
    page.locator("#id_link_0_kind").select_option("member-of")
    page.locator("#id_link_0_target").fill("AbilityNet")
    page.get_by_label("Your name").fill("Robin Member")
    page.get_by_label("Your email address").fill("robin@example.org")
    page.get_by_label("I work for it, run it or sit on its board").check()
    page.get_by_label("I agree that the moderators").check()
    screenshot(page, "submit-filled")
    page.get_by_role("button", name="Send for review").click()

    assert page.locator("h1").inner_text() == "Thank you: we have it"
    assert "What happens next" in page.content()
    assert axe(page) == []
    submission = Submission.objects.get()
    assert submission.status == "pending"
    assert page.goto("/organisations/kind-code-cooperative/").status == 404

    # The moderator signs in to the admin and approves it from the queue.
    page.goto("/admin/")
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Submissions").first.click()
    page.get_by_role("link", name="New organisation: Kind Code Cooperative").click()
    expect(page.locator("table.submission-data").first).to_contain_text("Accessibility")
    screenshot(page, "moderation-submission")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved")

    # The organisation is on the map: its profile and the directory.
    org = Organisation.objects.get(name="Kind Code Cooperative")
    assert org.slug == "kind-code-cooperative"
    page.goto("/organisations/kind-code-cooperative/")
    assert page.locator("h1").inner_text() == "Kind Code Cooperative"
    assert "AbilityNet" in page.content()
    page.goto("/organisations/?q=Kind+Code")
    assert page.get_by_role("link", name="Kind Code Cooperative").count() >= 1
    assert page.foreign_requests == []


@pytest.mark.parametrize("form", ["suggest-edit", "report", "assess"])
def test_the_forms_about_an_entry_are_accessible(page, axe, starter_data, form, screenshot):
    org = Organisation.objects.published().order_by("name").first()
    page.goto(f"/organisations/{org.slug}/{form}/")
    assert page.locator("h1").count() == 1
    assert axe(page) == []
    assert page.foreign_requests == []
    screenshot(page, f"form-{form}")


def test_hostile_text_does_not_run_in_the_browser(page, starter_data, moderator_account):
    from orgs.submissions import services

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    submission = services.submission_create(
        kind="new",
        data={
            "name": '<img src=x onerror=alert("name")><script>alert("s")</script>',
            "summary": '"><svg onload=alert("summary")>',
            "description": "[x](javascript:alert('md')) <iframe src=javascript:alert(1)>",
            "region": "london",
            "website": "https://hostile.example.org/",
        },
        submitter_name='<script>alert("who")</script>',
        consent=True,
    )
    org = services.submission_approve(submission=submission, moderator=moderator_account)

    page.goto(org.get_absolute_url())
    assert page.locator("h1").inner_text().startswith("<img src=x")  # shown as text
    assert page.evaluate(SCRIPT_LINKS) == 0
    page.goto("/organisations/")
    page.goto("/")
    page.goto(f"/submit/thanks/?ref={submission.pk}")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/orgs/submission/{submission.pk}/change/")
    assert page.evaluate(SCRIPT_LINKS) == 0
    page.goto("/admin/orgs/submission/")
    assert dialogs == []
