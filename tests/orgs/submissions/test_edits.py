"""Edits read against what the member was shown: only what they changed is written, and a field
the entry changed too in the meantime is a moderator's choice, never silently overwritten."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from orgs.submissions import services
from orgs.submissions.apply import EditConflict
from orgs.submissions.fields import entry_version
from taxonomy.models import Term
from tests.factories import OrganisationFactory, SubmissionFactory
from tests.orgs.submissions.submission_helpers import load_vocabularies

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(db):
    return OrganisationFactory(name="Shown Org", summary="Original summary.", city="Leeds")


def edit(org, shown, **changes):
    return SubmissionFactory(
        kind="edit", organisation=org, data={**changes, "shown": shown}, submitter_email=""
    )


def moderator_changes(org, **values):
    for field, value in values.items():
        setattr(org, field, value)
    org.save()


def test_an_edit_writes_the_fields_the_member_changed_and_no_other(moderator, entry):
    submission = edit(entry, {"city": "Leeds"}, city="York")
    moderator_changes(entry, summary="Summary a moderator fixed.")

    services.submission_approve(submission=submission, moderator=moderator)

    entry.refresh_from_db()
    assert (entry.city, entry.summary) == ("York", "Summary a moderator fixed.")


def test_a_field_changed_since_the_member_saw_it_is_refused_without_a_decision(moderator, entry):
    submission = edit(entry, {"summary": "Original summary."}, summary="The member's summary.")
    moderator_changes(entry, summary="Summary a moderator fixed.")

    with pytest.raises(EditConflict, match=r"changed since the member saw it.*\(Summary\)"):
        services.submission_approve(submission=submission, moderator=moderator)

    submission.refresh_from_db()
    entry.refresh_from_db()
    assert submission.status == "pending"
    assert entry.summary == "Summary a moderator fixed."


@pytest.mark.parametrize(
    ("overwrite", "summary", "kept"),
    [([], "Summary a moderator fixed.", ["summary"]), (["summary"], "The member's summary.", None)],
    ids=["kept-as-it-is-now", "overwritten-by-choice"],
)
def test_a_moderator_who_saw_the_conflict_chooses_for_each_field(
    moderator, entry, overwrite, summary, kept
):
    submission = edit(
        entry,
        {"summary": "Original summary.", "city": "Leeds"},
        summary="The member's summary.",
        city="York",
    )
    moderator_changes(entry, summary="Summary a moderator fixed.")

    services.submission_approve(
        submission=submission,
        moderator=moderator,
        entry_seen=entry_version(entry),
        overwrite=overwrite,
    )

    entry.refresh_from_db()
    assert (entry.summary, entry.city) == (summary, "York")
    submission.refresh_from_db()
    assert submission.data.get("kept") == kept


def test_a_choice_made_on_an_older_version_of_the_entry_is_refused(moderator, entry):
    submission = edit(entry, {"summary": "Original summary."}, summary="The member's summary.")
    moderator_changes(entry, summary="First fix.")
    seen = entry_version(entry)
    moderator_changes(entry, summary="Second fix.")

    with pytest.raises(EditConflict):
        services.submission_approve(
            submission=submission, moderator=moderator, entry_seen=seen, overwrite=["summary"]
        )
    entry.refresh_from_db()
    assert entry.summary == "Second fix."


def test_the_same_change_made_by_a_moderator_meanwhile_is_no_conflict(moderator, entry):
    submission = edit(entry, {"city": "Leeds"}, city="York")
    moderator_changes(entry, city="York")
    services.submission_approve(submission=submission, moderator=moderator)
    submission.refresh_from_db()
    assert submission.status == "approved"


def test_an_edit_sent_before_what_was_shown_was_recorded_needs_a_decision(moderator, entry):
    submission = SubmissionFactory(kind="edit", organisation=entry, data={"city": "York"})
    with pytest.raises(EditConflict):
        services.submission_approve(submission=submission, moderator=moderator)
    services.submission_approve(
        submission=submission,
        moderator=moderator,
        entry_seen=entry_version(entry),
        overwrite=["city"],
    )
    entry.refresh_from_db()
    assert entry.city == "York"


def test_terms_are_merged_with_the_changes_made_since(moderator):
    load_vocabularies()
    privacy, bias, surveillance = (
        Term.objects.get(slug=s) for s in ("data-privacy", "algorithmic-bias", "surveillance")
    )
    org = OrganisationFactory(terms=[privacy])
    submission = edit(
        org, {"consequences": ["data-privacy"]}, consequences=["data-privacy", "surveillance"]
    )
    org.terms.add(bias)  # a moderator classifies it meanwhile

    services.submission_approve(submission=submission, moderator=moderator)

    assert set(org.terms.values_list("slug", flat=True)) == {
        "data-privacy",
        "algorithmic-bias",
        "surveillance",
    }


# --- In the admin -----------------------------------------------------------------------------


def change_page(client, submission):
    return client.get(reverse("admin:orgs_submission_change", args=[submission.pk]))


def test_the_moderator_sees_shown_now_and_proposed_with_the_conflicts_marked(
    moderator_client, entry
):
    submission = edit(
        entry,
        {"summary": "Original summary.", "city": "Leeds"},
        summary="The member's summary.",
        city="York",
    )
    moderator_changes(entry, summary="Summary a moderator fixed.")

    html = change_page(moderator_client, submission).content.decode()

    diff = html[html.index("Changes to the entry") :]
    assert "The entry changed since the member saw it" in diff
    for heading in ("Shown to the member", "Now", "Proposed", "On approval"):
        assert f'<th scope="col">{heading}</th>' in diff
    conflict = re.search(r'<tr class="conflict">(.*?)</tr>', diff, re.S).group(1)
    assert "Original summary." in conflict and "Summary a moderator fixed." in conflict
    assert "The member&#x27;s summary." in conflict
    assert 'name="overwrite" value="summary"' in conflict
    change = re.search(r'<tr class="change">(.*?)</tr>', diff, re.S).group(1)
    assert "Leeds" in change and "York" in change
    assert 'name="overwrite"' not in change


@pytest.mark.parametrize(("ticked", "summary"), [(True, "The member's summary."), (False, "Fix.")])
def test_approving_from_the_page_applies_the_moderators_choice(
    moderator_client, entry, ticked, summary
):
    submission = edit(entry, {"summary": "Original summary."}, summary="The member's summary.")
    moderator_changes(entry, summary="Fix.")
    html = change_page(moderator_client, submission).content.decode()
    version = re.search(r'name="entry_version" value="([^"]+)"', html).group(1)
    post = {"entry_version": version, **({"overwrite": "summary"} if ticked else {})}

    moderator_client.post(reverse("admin:orgs_submission_approve", args=[submission.pk]), post)

    entry.refresh_from_db()
    assert entry.summary == summary
    submission.refresh_from_db()
    assert submission.status == "approved"


def test_the_approve_action_leaves_a_conflicting_edit_for_its_page(moderator_client, entry):
    conflicting = edit(entry, {"summary": "Original summary."}, summary="The member's summary.")
    moderator_changes(entry, summary="Fix.")
    plain = edit(OrganisationFactory(city="Leeds"), {"city": "Leeds"}, city="York")

    response = moderator_client.post(
        reverse("admin:orgs_submission_changelist"),
        {"action": "approve_selected", ACTION_CHECKBOX_NAME: [conflicting.pk, plain.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert "Approved 1 submission." in html
    assert "changed since the member saw it" in html
    conflicting.refresh_from_db()
    plain.refresh_from_db()
    assert (conflicting.status, plain.status) == ("pending", "approved")
