"""orgs.services: applying decisions once and only once, unique slugs, and the emails."""

import functools
import logging
import socket

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from orgs.models import Organisation, Submission
from orgs.moderators import MODERATORS_GROUP
from orgs.submissions import services
from orgs.submissions.apply import DuplicateEntry
from tests.factories import OrganisationFactory, SubmissionFactory, UserFactory
from tests.orgs.submissions.submission_helpers import load_vocabularies, new_org_post
from tests.threads import at_once

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The rate limit counts in the cache, which outlives a test.
    cache.clear()


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks across threads need PostgreSQL (SQLite's test database is one connection)",
)


def proposal(name="Fair Code Collective", **extra):
    return {"name": name, "summary": "Checks algorithms for bias.", "region": "london", **extra}


def create(name="Fair Code Collective", email="sam@example.org", **extra):
    return services.submission_create(
        kind="new",
        data=proposal(name, **extra),
        submitter_name="Sam Submitter",
        submitter_email=email,
        connection="I work for it",
        consent=True,
    )


# --- Applying once, with unique slugs ---------------------------------------------------------


def test_a_submission_cannot_be_approved_twice(moderator):
    submission = create()
    services.submission_approve(submission=submission, moderator=moderator)
    with pytest.raises(services.SubmissionAlreadyDecided, match="already approved"):
        services.submission_approve(submission=submission, moderator=moderator)
    assert Organisation.objects.count() == 1


def test_a_stale_copy_of_a_decided_submission_cannot_be_approved(moderator):
    submission = create()
    stale = Submission.objects.get(pk=submission.pk)
    services.submission_reject(submission=submission, moderator=moderator, reason="No.")
    with pytest.raises(services.SubmissionAlreadyDecided, match="already rejected"):
        services.submission_approve(submission=stale, moderator=moderator)
    assert not Organisation.objects.exists()


def test_a_second_submission_of_the_same_organisation_is_refused_at_approval(moderator):
    first, second = create(), create()
    org = services.submission_approve(submission=first, moderator=moderator)
    with pytest.raises(DuplicateEntry, match="already on the map") as refused:
        services.submission_approve(submission=second, moderator=moderator)
    assert refused.value.organisation == org
    second.refresh_from_db()
    assert second.status == "pending"
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["fair-code-collective"]


def test_a_namesake_a_moderator_says_is_different_gets_its_own_slug(moderator):
    first, second = create(), create()
    a = services.submission_approve(submission=first, moderator=moderator)
    b = services.submission_approve(submission=second, moderator=moderator, distinct_from=[a.pk])
    assert (a.slug, b.slug) == ("fair-code-collective", "fair-code-collective-2")
    second.refresh_from_db()
    assert second.data["distinct_from"] == ["fair-code-collective"]


@pytest.mark.parametrize(
    ("on_the_map", "sent"),
    [
        # The same website, another way of writing the name.
        (
            {"name": "Gemini Trust", "website": "https://gemini.example.org/"},
            {"name": "The Gemini Trust Ltd", "website": "https://www.gemini.example.org/about"},
        ),
        # A Cyrillic "а" that looks like a Latin one, and no website to compare.
        ({"name": "Full Fact", "website": ""}, {"name": "Full Fаct"}),
        ({"name": "Full Fаct", "website": ""}, {"name": "FULL FACT"}),
        # Another name and website, but the same registered charity.
        (
            {"name": "Old Name", "charity_number": "1158683"},
            {"name": "New Name", "charity_number": "1158683"},
        ),
    ],
    ids=["same-website", "lookalike-sent", "lookalike-on-the-map", "same-charity"],
)
def test_an_organisation_already_on_the_map_is_never_published_again(moderator, on_the_map, sent):
    existing = OrganisationFactory(**on_the_map)
    submission = services.submission_create(
        kind="new", data={"summary": "Checks facts.", "region": "london", **sent}, consent=True
    )
    with pytest.raises(DuplicateEntry) as refused:
        services.submission_approve(submission=submission, moderator=moderator)
    assert refused.value.organisation == existing
    assert Organisation.objects.count() == 1


def test_after_one_twin_is_approved_the_other_is_marked_as_a_duplicate(moderator):
    first = create("Gemini Trust", website="https://gemini.example.org/")
    second = create("The Gemini Trust Ltd", website="https://gemini.example.org/")
    org = services.submission_approve(submission=first, moderator=moderator)
    second.refresh_from_db()
    assert second.possible_duplicate_of == org


def test_a_merge_keeps_the_entrys_tags_and_adds_the_submissions(moderator):
    existing = OrganisationFactory(name="Fair Code", tags=["kept"])
    submission = create(tags=["added"])
    services.submission_merge(submission=submission, organisation=existing, moderator=moderator)
    assert sorted(existing.tags.names()) == ["added", "kept"]


def test_a_name_without_letters_still_gets_a_slug(moderator):
    org = services.submission_approve(submission=create("★ ★ ★"), moderator=moderator)
    assert org.slug == "organisation"


def test_a_slug_taken_by_an_archived_entry_is_not_reused(moderator):
    OrganisationFactory(slug="fair-code-collective", status="archived")
    org = services.submission_approve(submission=create(), moderator=moderator)
    assert org.slug == "fair-code-collective-2"


def test_a_submissions_history_keeps_what_was_proposed_and_who_decided(moderator):
    submission = create("Open Ledger")
    services.submission_reject(submission=submission, moderator=moderator, reason="Not UK.")
    received, decision = submission.history.order_by("history_date", "history_id")
    assert received.data == proposal("Open Ledger")
    assert (decision.status, decision.history_user) == ("rejected", moderator)
    assert decision.data == proposal("Open Ledger")
    assert not hasattr(decision, "submitter_email")  # the submitter's details are not kept


def test_a_rejection_needs_a_reason(moderator):
    submission = create()
    with pytest.raises(ValidationError, match="Give a reason"):
        services.submission_reject(submission=submission, moderator=moderator, reason="  ")
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_a_submission_without_consent_is_refused():
    with pytest.raises(ValidationError, match="consent"):
        services.submission_create(kind="new", data=proposal(), consent=False)
    assert not Submission.objects.exists()


def test_invalid_data_fails_the_approval_and_changes_nothing(moderator):
    submission = create(website="javascript:alert(1)")
    with pytest.raises(ValidationError):
        services.submission_approve(submission=submission, moderator=moderator)
    submission.refresh_from_db()
    assert submission.status == "pending"
    assert not Organisation.objects.exists()


def test_an_edit_of_a_link_target_that_was_archived_since_skips_the_link(moderator):
    org = OrganisationFactory()
    gone = OrganisationFactory(status="archived")
    submission = SubmissionFactory(
        kind="edit",
        organisation=org,
        data={
            "relationships": [{"kind": "funds", "organisation": gone.slug, "name": gone.name}],
            "shown": {"relationships": []},
        },
    )
    services.submission_approve(submission=submission, moderator=moderator)
    assert not org.outgoing.exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_moderators_approving_at_once_apply_it_once():
    moderator = UserFactory(is_staff=True)
    submission = create()
    outcomes = []

    def approve():
        try:
            services.submission_approve(
                submission=Submission.objects.get(pk=submission.pk), moderator=moderator
            )
            outcomes.append("approved")
        except services.SubmissionAlreadyDecided:
            outcomes.append("refused")

    at_once([approve, approve])
    assert sorted(outcomes) == ["approved", "refused"]
    assert Organisation.objects.count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_duplicates_approved_at_once_publish_one_entry():
    moderator = UserFactory(is_staff=True)
    submissions = [
        create("Twin Org", website="https://twin.example.org/"),
        create("The Twin Org Ltd", website="https://www.twin.example.org/"),
    ]
    outcomes = []

    def approve(submission):
        try:
            services.submission_approve(submission=submission, moderator=moderator)
            outcomes.append("approved")
        except DuplicateEntry:
            outcomes.append("refused")

    at_once([functools.partial(approve, s) for s in submissions])
    assert sorted(outcomes) == ["approved", "refused"]
    assert Organisation.objects.count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_organisations_of_one_slug_approved_at_once_get_distinct_slugs():
    moderator = UserFactory(is_staff=True)
    # Different organisations (the second name has words the first has not) of one slug.
    submissions = [create(), create("Fair Code Collective 公司")]
    errors = []

    def approve(submission):
        try:
            services.submission_approve(submission=submission, moderator=moderator)
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)

    at_once([functools.partial(approve, s) for s in submissions])
    assert errors == []
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == [
        "fair-code-collective",
        "fair-code-collective-2",
    ]


# --- Emails ------------------------------------------------------------------------------------


@pytest.fixture
def moderators_on_duty(db):
    group = Group.objects.get(name=MODERATORS_GROUP)
    for email in ("mod1@example.org", "mod2@example.org"):
        UserFactory(is_staff=True, email=email).groups.add(group)
    UserFactory(is_staff=True, is_active=False, email="gone@example.org").groups.add(group)


def test_moderators_are_emailed_after_the_submission_is_stored(
    moderators_on_duty, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = create()
    assert mailoutbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()

    (message,) = mailoutbox
    assert sorted(message.to) == ["mod1@example.org", "mod2@example.org"]
    assert "Fair Code Collective" in message.subject
    assert reverse("admin:orgs_submission_change", args=[submission.pk]) in message.body
    assert "sam@example.org" not in message.body and "Sam Submitter" not in message.body


def test_moderator_emails_can_be_set_in_the_settings(
    moderators_on_duty, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.MODERATOR_EMAILS = ["queue@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        create()
    assert [m.to for m in mailoutbox] == [["queue@example.org"]]


@pytest.fixture
def decision_email(moderator, mailoutbox, django_capture_on_commit_callbacks):
    """Approve or reject a submission as a moderator; return the one email its sender gets."""

    def decide(submission, decision, reason="Not an organisation."):
        with django_capture_on_commit_callbacks(execute=True):
            if decision == "approve":
                services.submission_approve(submission=submission, moderator=moderator)
            else:
                services.submission_reject(
                    submission=submission, moderator=moderator, reason=reason
                )
        (message,) = mailoutbox
        return message

    return decide


def test_the_submitter_is_told_of_a_rejection_with_the_reason(decision_email):
    message = decision_email(create(), "reject", reason="It is not UK-based.")
    assert message.to == ["sam@example.org"]
    assert "not accepted" in message.subject
    assert "It is not UK-based." in message.body


def test_the_submitter_is_told_of_an_approval_with_the_new_page(decision_email):
    message = decision_email(create(name="Fish & Chips Trust"), "approve")
    assert "approved" in message.subject
    assert Organisation.objects.get().get_absolute_url() in message.body


@pytest.mark.parametrize("decide", ["approve", "reject"])
def test_a_decision_email_carries_none_of_the_submitters_own_words(decide, decision_email):
    # Whoever typed the address may not own it: the form must not relay their text to it.
    submission = create(name="Cheap pills at pills.example", summary="Visit pills.example now")
    submission.submitter_name = "Claim your prize at prize.example"
    submission.save()
    message = decision_email(submission, decide)
    for text in (message.subject, message.body):
        assert "pills.example" not in text
        assert "prize.example" not in text
    assert "Ethical Tech Map" in message.subject


def test_an_edit_decision_names_the_published_entry(decision_email):
    org = OrganisationFactory(name="Open Rights Group", city="London")
    submission = SubmissionFactory(
        kind="edit",
        organisation=org,
        submitter_email="sam@example.org",
        data={"city": "Leeds", "shown": {"city": "London"}},
    )
    message = decision_email(submission, "approve")
    assert "about Open Rights Group" in message.body


def test_nobody_is_emailed_about_a_report_sent_without_an_address(
    moderator, mailoutbox, django_capture_on_commit_callbacks
):
    submission = SubmissionFactory(
        kind="report", organisation=OrganisationFactory(), submitter_email="", data={}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_approve(submission=submission, moderator=moderator)
    assert mailoutbox == []


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_TIMEOUT = 2
    settings.MODERATOR_EMAILS = ["queue@example.org"]


@pytest.mark.django_db(transaction=True)
def test_a_refusing_mail_server_loses_no_submission_and_logs_no_personal_data(
    client, mail_server_down, caplog
):
    load_vocabularies()
    caplog.set_level(logging.INFO)

    response = client.post(
        reverse("submit:new"),
        new_org_post(submitter_email="private.person@example.org", submitter_name="Pat Private"),
    )

    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == "pending"
    assert "Could not send the new submission email" in caplog.text
    assert "private.person" not in caplog.text and "Pat Private" not in caplog.text
    assert "queue@example.org" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_refusing_mail_server_does_not_undo_a_decision(mail_server_down, caplog):
    moderator = UserFactory(is_staff=True)
    submission = create(email="private.person@example.org")
    services.submission_reject(submission=submission, moderator=moderator, reason="No.")
    submission.refresh_from_db()
    assert submission.status == "rejected"
    assert "Could not send the decision email" in caplog.text
    assert "private.person" not in caplog.text
