"""The moderators' queue in the admin: order, filters, search, readable data, diff, decisions."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from orgs.models import Organisation, Submission
from taxonomy.models import Term
from tests.factories import OrganisationFactory, SubmissionFactory, UserFactory
from tests.orgs.submissions.submission_helpers import load_vocabularies

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:orgs_submission_changelist")


def change_url(submission):
    return reverse("admin:orgs_submission_change", args=[submission.pk])


def new_submission(name="Fair Code Collective", **data):
    return SubmissionFactory(
        data={
            "name": name,
            "summary": f"{name} checks algorithms for bias.",
            "website": f"https://{name.split()[0].lower()}.example.org/",
            "region": "london",
            "org_type": "charity",
            **data,
        }
    )


def decided(submission, status="rejected"):
    submission.status = status
    submission.reviewed_at = timezone.now()
    submission.save()
    return submission


def test_the_queue_shows_pending_submissions_first_oldest_first(moderator_client):
    old_decided = decided(new_submission("Decided Long Ago"))
    first = new_submission("First Waiting")
    second = new_submission("Second Waiting")
    Submission.objects.filter(pk=old_decided.pk).update(created=timezone.now().replace(year=2020))

    response = moderator_client.get(QUEUE)

    names = [str(s) for s in response.context["cl"].result_list]
    assert names == [str(first), str(second), str(old_decided)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status__exact": "pending"}, {"Waiting", "Reported Org", "Twin"}),
        ({"status__exact": "rejected"}, {"Refused"}),
        ({"kind__exact": "report"}, {"Reported Org"}),
        ({"q": "refused"}, {"Refused"}),
        ({"duplicate": "yes"}, {"Twin"}),
    ],
)
def test_the_queue_filters_by_status_kind_and_duplicate_and_searches(
    moderator_client, query, expected
):
    new_submission("Waiting")
    decided(new_submission("Refused"))
    SubmissionFactory(kind="report", organisation=OrganisationFactory(name="Reported Org"), data={})
    twin = new_submission("Twin")
    twin.possible_duplicate_of = OrganisationFactory(name="Twin original")
    twin.save()

    response = moderator_client.get(QUEUE, query)

    shown = {
        s.organisation.name if s.organisation else s.data["name"]
        for s in response.context["cl"].result_list
    }
    assert shown == expected


def test_the_queue_costs_the_same_queries_however_long_it_is(
    moderator_client, django_assert_max_num_queries
):
    for n in range(3):
        new_submission(f"Org {n}")
    with django_assert_max_num_queries(20) as small:
        moderator_client.get(QUEUE)
    for _ in range(30):
        SubmissionFactory(kind="edit", organisation=OrganisationFactory(), data={"city": "X"})
    with django_assert_max_num_queries(len(small.captured_queries)):
        moderator_client.get(QUEUE)


def test_the_submitted_data_is_shown_readably(moderator_client):
    load_vocabularies()
    submission = new_submission(
        consequences=["data-privacy"],
        tags=["privacy", "open source"],
        relationships=[{"kind": "funds", "organisation": "x", "name": "Funder Org"}],
    )
    html = moderator_client.get(change_url(submission)).content.decode()
    assert "Consequences it works on" in html
    assert "Data privacy" in html  # the term's name, not its slug
    assert "London" in html and "Charity" in html
    assert "privacy, open source" in html
    assert "funds Funder Org" in html
    assert "sam@example.org" in html  # moderators see who sent it, in the private section


def test_an_edit_is_shown_as_a_field_by_field_diff(moderator_client):
    load_vocabularies()
    org = OrganisationFactory(
        name="Diff Org",
        summary="Old summary.",
        city="Leeds",
        terms=list(Term.objects.filter(slug="data-privacy")),
    )
    submission = SubmissionFactory(
        kind="edit",
        organisation=org,
        data={
            "summary": "New summary.",
            "consequences": ["data-privacy", "surveillance"],
            "shown": {"summary": "Old summary.", "consequences": ["data-privacy"]},
        },
    )
    response = moderator_client.get(change_url(submission))
    html = response.content.decode()
    diff = html[html.index("Changes to the entry") : html.index("Everything sent")]
    assert '<td class="value">Old summary.</td>' in diff
    assert '<td class="value">New summary.</td>' in diff
    assert "Data privacy, Surveillance" in diff
    assert "Town or city" not in diff  # not proposed, not shown
    assert "changed since the member saw it" not in diff


def test_the_page_warns_when_an_entry_on_the_map_now_matches(moderator_client, moderator):
    from orgs.submissions import services

    first = new_submission("Gemini Trust", website="https://gemini.example.org/")
    second = new_submission("The Gemini Trust Ltd", website="https://gemini.example.org/x")
    org = services.submission_approve(submission=first, moderator=moderator)

    html = moderator_client.get(change_url(second)).content.decode()

    assert "Already on the map" in html
    assert reverse("admin:orgs_organisation_change", args=[org.pk]) in html
    assert "the same website" in html
    assert reverse("admin:orgs_submission_merge", args=[second.pk]) in html
    merge_page = moderator_client.get(reverse("admin:orgs_submission_merge", args=[second.pk]))
    assert merge_page.context["form"].initial["organisation"] == org


def test_approving_a_duplicate_is_refused_with_the_merge_offered(moderator_client, moderator):
    existing = OrganisationFactory(name="Full Fact", website="")
    submission = new_submission("Full Fаct", website="")  # a Cyrillic "а"
    approve = reverse("admin:orgs_submission_approve", args=[submission.pk])

    html = moderator_client.post(approve, follow=True).content.decode()

    assert "already on the map as “Full Fact” (the same name)" in html
    assert reverse("admin:orgs_submission_merge", args=[submission.pk]) in html
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert list(Organisation.objects.all()) == [existing]


def test_a_moderator_can_say_a_namesake_is_a_different_organisation(moderator_client):
    existing = OrganisationFactory(name="Open Lab", website="https://uni.example.ac.uk/open-lab")
    submission = new_submission("Open Lab", website="https://uni.example.ac.uk/other-lab")
    html = moderator_client.get(change_url(submission)).content.decode()
    assert f'name="distinct_from" value="{existing.pk}"' in html

    moderator_client.post(
        reverse("admin:orgs_submission_approve", args=[submission.pk]),
        {"distinct_from": existing.pk},
    )

    assert Organisation.objects.filter(name="Open Lab").count() == 2


def test_hostile_data_is_shown_escaped_in_the_admin(moderator_client):
    submission = new_submission(
        name='<script>alert("x")</script>', description="<img src=x onerror=alert(1)>"
    )
    html = moderator_client.get(change_url(submission)).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_the_approve_button_applies_the_submission_and_records_who(moderator_client, moderator):
    submission = new_submission()
    html = moderator_client.get(change_url(submission)).content.decode()
    approve = reverse("admin:orgs_submission_approve", args=[submission.pk])
    assert f'formaction="{approve}"' in html

    response = moderator_client.post(approve, follow=True)

    assert "Approved" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == "approved" and submission.reviewed_by == moderator
    assert submission.reviewed_at is not None
    assert Organisation.objects.filter(name="Fair Code Collective", status="published").exists()


def test_a_decided_submission_has_no_decision_buttons(moderator_client):
    submission = decided(new_submission())
    html = moderator_client.get(change_url(submission)).content.decode()
    assert "orgs_submission_approve" not in html
    assert "/approve/" not in html


def test_approving_twice_is_refused_and_makes_one_organisation(moderator_client):
    submission = new_submission()
    approve = reverse("admin:orgs_submission_approve", args=[submission.pk])
    moderator_client.post(approve)
    response = moderator_client.post(approve, follow=True)
    assert "already approved" in response.content.decode()
    assert Organisation.objects.filter(name="Fair Code Collective").count() == 1


def test_approving_needs_a_post(moderator_client):
    submission = new_submission()
    url = reverse("admin:orgs_submission_approve", args=[submission.pk])
    assert moderator_client.get(url).status_code == 405
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_staff_outside_the_moderators_group_cannot_decide(client):
    client.force_login(UserFactory(is_staff=True))
    submission = new_submission()
    response = client.post(reverse("admin:orgs_submission_approve", args=[submission.pk]))
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_the_reject_button_asks_for_a_reason_and_sends_it(moderator_client, mailoutbox):
    submission = new_submission()
    url = reverse("admin:orgs_submission_reject", args=[submission.pk])
    assert "Reason" in moderator_client.get(url).content.decode()

    response = moderator_client.post(url, {"reason": ""})
    assert "Give a reason: the submitter is sent it." in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == "pending"

    moderator_client.post(url, {"reason": "We could not find a UK presence."})
    submission.refresh_from_db()
    assert submission.status == "rejected"
    assert submission.reason == "We could not find a UK presence."


def test_the_approve_action_approves_every_selected_submission(moderator_client):
    first, second = new_submission("Alpha Group"), new_submission("Beta Group")
    already = decided(new_submission("Gamma Group"))
    response = moderator_client.post(
        QUEUE,
        {
            "action": "approve_selected",
            ACTION_CHECKBOX_NAME: [first.pk, second.pk, already.pk],
            "index": 0,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Approved 2 submissions" in html
    assert "already rejected" in html
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Alpha Group",
        "Beta Group",
    }


def test_the_approve_action_publishes_twins_once_and_says_which_was_refused(moderator_client):
    first = new_submission("Twin Org", website="https://twin.example.org/")
    second = new_submission("Twin Org", website="https://twin.example.org/")
    response = moderator_client.post(
        QUEUE,
        {"action": "approve_selected", ACTION_CHECKBOX_NAME: [first.pk, second.pk], "index": 0},
        follow=True,
    )
    html = response.content.decode()
    assert "Approved 1 submission." in html
    assert "Not approved" in html and "merge it into that entry instead" in html
    assert reverse("admin:orgs_submission_merge", args=[second.pk]) in html
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["twin-org"]


def test_the_reject_action_asks_for_one_reason_for_all(moderator_client):
    first, second = new_submission("Alpha Group"), new_submission("Beta Group")
    selected = {"action": "reject_selected", ACTION_CHECKBOX_NAME: [first.pk, second.pk]}

    response = moderator_client.post(QUEUE, {**selected, "index": 0})
    html = response.content.decode()
    assert response.status_code == 200 and "Reject the selected submissions" in html
    assert Submission.objects.filter(status="rejected").count() == 0

    response = moderator_client.post(QUEUE, {**selected, "apply": "yes", "reason": "Spam-like."})
    assert response.status_code == 302
    assert set(Submission.objects.values_list("status", "reason")) == {("rejected", "Spam-like.")}


def test_the_queue_has_no_delete_and_no_editable_status(moderator_client, admin_client):
    submission = new_submission()
    for client in (moderator_client, admin_client):
        html = client.get(QUEUE).content.decode()
        assert "delete_selected" not in html
        assert 'name="form-0-status"' not in html
        assert (
            client.get(reverse("admin:orgs_submission_delete", args=[submission.pk])).status_code
            == 403
        )


def test_a_duplicate_can_be_merged_into_the_existing_entry(moderator_client, moderator):
    load_vocabularies()
    existing = OrganisationFactory(name="Fair Code", summary="Kept summary.", city="", founded=None)
    submission = new_submission(
        "Fair Code Collective",
        summary="Submitted summary.",
        city="Leeds",
        founded=2019,
        consequences=["data-privacy"],
        tags=["audits"],
    )
    submission.possible_duplicate_of = existing
    submission.save()
    merge = reverse("admin:orgs_submission_merge", args=[submission.pk])
    html = moderator_client.get(change_url(submission)).content.decode()
    assert merge in html
    assert "Fair Code" in moderator_client.get(merge).content.decode()

    moderator_client.post(merge, {"organisation": existing.pk})

    existing.refresh_from_db()
    assert existing.summary == "Kept summary."  # what the entry had is kept
    assert existing.city == "Leeds" and existing.founded == 2019  # blanks are filled
    assert list(existing.terms.values_list("slug", flat=True)) == ["data-privacy"]
    assert existing.tags.names()[0] == "audits"
    assert existing.last_verified == timezone.localdate()
    submission.refresh_from_db()
    assert submission.status == "approved" and submission.data["merged_into"] == existing.slug
    assert Organisation.objects.count() == 1


def test_the_spam_button_files_it_without_emailing_anyone(moderator_client, mailoutbox):
    submission = new_submission()
    moderator_client.post(reverse("admin:orgs_submission_spam", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.status == "spam"
    assert mailoutbox == []


def test_a_decided_edit_does_not_fail_when_its_entry_changed_since(moderator_client):
    org = OrganisationFactory()
    submission = decided(
        SubmissionFactory(kind="edit", organisation=org, data={"founded": 1999}), "approved"
    )
    org.founded = 1999
    org.save()
    response = moderator_client.get(change_url(submission))
    assert response.status_code == 200
    assert "Approved" in response.content.decode()
