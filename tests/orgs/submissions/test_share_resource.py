"""Share a resource: the public form, the queue, the decision, the library."""

import pytest
from django.urls import reverse

from orgs.models import Submission
from orgs.submissions import services
from resources.models import Resource
from tests.factories import OrganisationFactory
from tests.orgs.submissions.submission_helpers import SUBMITTER, a_while_ago, page

pytestmark = pytest.mark.django_db


def resource_post(**overrides):
    data = {
        "title": "Consequence Scanning",
        "url": "https://example.org/consequence-scanning",
        "kind": "toolkit",
        "summary": "A workshop for product teams to think about what a product might do.",
        "publisher_name": "Careful Industries",
        "areas": ["data-privacy", "surveillance"],
        "principles": ["protect-personal-data"],
        "cost": "free",
        "licence": "CC BY-SA 4.0",
        "year": "2019",
        **SUBMITTER,
        "connection": "none",
        "started": a_while_ago(),
    }
    data.update(overrides)
    return data


def test_a_shared_resource_waits_in_the_queue_and_is_not_listed(client, vocabularies):
    assert "Share a resource" in page(client, reverse("submit:resource"))
    response = client.post(reverse("submit:resource"), resource_post())
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.kind, submission.status) == ("resource", "pending")
    assert submission.organisation is None
    assert submission.data["areas"] == ["data-privacy", "surveillance"]
    assert submission.data["free"] is True and submission.data["year"] == 2019
    assert not Resource.objects.exists()
    assert "Consequence Scanning" not in page(client, reverse("resources:list"))


def test_a_bad_resource_comes_back_with_what_was_typed_and_a_message(client, vocabularies):
    response = client.post(reverse("submit:resource"), resource_post(url="javascript:alert(1)"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem with what you sent" in html
    assert "Consequence Scanning" in html  # nothing lost
    assert not Submission.objects.exists()


def test_an_approved_resource_is_listed_with_what_it_was_sent_with(
    client, vocabularies, approver, mailoutbox, django_capture_on_commit_callbacks
):
    publisher = OrganisationFactory(name="Careful Industries")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("submit:resource"), resource_post())
    assert "To moderate: Shared resource, Consequence Scanning" in mailoutbox[-1].subject
    submission = Submission.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        resource = services.submission_approve(submission=submission, moderator=approver)
    assert resource.slug == "consequence-scanning"
    assert resource.publisher == publisher  # the organisation of that name on the map
    assert set(resource.areas.values_list("slug", flat=True)) == {"data-privacy", "surveillance"}
    assert list(resource.principles.values_list("slug", flat=True)) == ["protect-personal-data"]
    assert resource.history.first().history_user == approver
    assert "Consequence Scanning" in page(client, reverse("resources:list"))
    submission.refresh_from_db()
    assert submission.data["resource_published_as"] == "consequence-scanning"
    decision = mailoutbox[-1]
    assert "approved" in decision.subject
    assert "/resources/consequence-scanning/" in decision.body


def test_a_rejected_resource_is_never_listed(
    client, vocabularies, approver, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(reverse("submit:resource"), resource_post())
    submission = Submission.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_reject(submission=submission, moderator=approver, reason="Paywalled.")
    assert not Resource.objects.exists()
    assert "Paywalled." in mailoutbox[-1].body


def test_two_resources_of_the_same_title_get_their_own_slugs(client, vocabularies, approver):
    for _ in range(2):
        client.post(reverse("submit:resource"), resource_post(started=a_while_ago()))
    for submission in Submission.objects.order_by("pk"):
        services.submission_approve(submission=submission, moderator=approver)
    assert sorted(Resource.objects.values_list("slug", flat=True)) == [
        "consequence-scanning",
        "consequence-scanning-2",
    ]


def test_a_moderator_sees_the_resource_in_the_queue_and_approves_it_in_the_admin(
    client, vocabularies, moderator_client
):
    client.post(reverse("submit:resource"), resource_post())
    submission = Submission.objects.get()
    change = reverse("admin:orgs_submission_change", args=[submission.pk])
    html = page(moderator_client, change)
    assert "A new resource (not listed yet)" in html
    assert "Consequence Scanning" in html  # everything sent, for the moderator to read
    approve = reverse("admin:orgs_submission_approve", args=[submission.pk])
    html = moderator_client.post(approve, follow=True).content.decode()
    resource = Resource.objects.get()
    assert reverse("admin:resources_resource_change", args=[resource.pk]) in html
    assert resource.get_absolute_url() in html


def test_the_library_invites_members_to_share_a_resource(client, db):
    assert reverse("submit:resource") in page(client, reverse("resources:list"))


def test_the_thanks_page_names_the_shared_resource(client, vocabularies):
    response = client.post(reverse("submit:resource"), resource_post(), follow=True)
    assert "The resource you shared, “Consequence Scanning”, is with the moderators." in (
        response.content.decode()
    )
