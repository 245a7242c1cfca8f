"""Reports, self-assessments and endorsements end to end; no form changes the map by itself."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from orgs.models import Organisation, Relationship, Submission
from orgs.submissions import services
from principles.models import Assessment, Endorsement, Principle
from taxonomy.models import Term
from tests.factories import AssessmentFactory, TermFactory, UserFactory
from tests.orgs.submissions.submission_helpers import (
    SUBMITTER,
    a_while_ago,
    edit_post,
    in_directory,
    new_org_post,
    page,
)

pytestmark = pytest.mark.django_db


# --- Report -----------------------------------------------------------------------------------


def report_post(**overrides):
    return {
        "problem": "closed",
        "details": "Their site says they closed in March.",
        **SUBMITTER,
        "submitter_name": "",
        "submitter_email": "",
        "started": a_while_ago(),
        **overrides,
    }


def test_a_report_needs_no_email_and_changes_nothing_until_approved(client, listed):
    response = client.post(reverse("orgs:report", args=[listed.slug]), report_post())
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.kind == "report" and submission.submitter_email == ""
    assert submission.data == {
        "problem": "closed",
        "details": "Their site says they closed in March.",
    }
    assert in_directory(client, listed.name)


def test_a_confirmed_closed_report_archives_the_entry(client, listed, approver):
    client.post(reverse("orgs:report", args=[listed.slug]), report_post())
    services.submission_approve(submission=Submission.objects.get(), moderator=approver)
    listed.refresh_from_db()
    assert listed.status == "archived"
    assert client.get(listed.get_absolute_url()).status_code == 404
    assert not in_directory(client, listed.name)


def test_a_confirmed_outdated_report_marks_the_entry_verified(client, listed, approver):
    client.post(reverse("orgs:report", args=[listed.slug]), report_post(problem="outdated"))
    services.submission_approve(submission=Submission.objects.get(), moderator=approver)
    listed.refresh_from_db()
    assert listed.status == "published"
    assert listed.last_verified == timezone.localdate()


def test_a_report_without_a_reason_is_refused(client, listed):
    response = client.post(reverse("orgs:report", args=[listed.slug]), report_post(details=""))
    assert response.status_code == 200
    assert 'href="#id_details"' in response.content.decode()
    assert Submission.objects.count() == 0


# --- Self-assessment and endorsement -------------------------------------------------------


def assess_post(**overrides):
    return {**SUBMITTER, "started": a_while_ago(), **overrides}


def test_the_assessment_form_lists_every_principle_with_the_maturity_levels(client, listed):
    html = page(client, reverse("orgs:assess", args=[listed.slug]))
    for principle in Principle.objects.live():
        assert escape(principle.title) in html
    assert "Not assessed" in html and "1. " in html


def test_an_approved_assessment_is_published_and_supersedes_the_last_one(client, listed, approver):
    principle = Principle.objects.get(slug="find-and-fix-bias")
    old = AssessmentFactory(
        organisation=listed, principle=principle, level=2, assessed_on=datetime.date(2024, 1, 1)
    )
    post = assess_post(
        **{
            "p_find-and-fix-bias_level": "4",
            "p_find-and-fix-bias_evidence": "We audit every model before release.",
            "p_find-and-fix-bias_evidence_url": "https://example.org/audits",
        }
    )
    response = client.post(reverse("orgs:assess", args=[listed.slug]), post)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.kind == "assessment"
    assert Assessment.objects.get(pk=old.pk).status == "published"  # unchanged until approval

    services.submission_approve(submission=submission, moderator=approver)

    old.refresh_from_db()
    assert old.status == "superseded"
    current = Assessment.objects.get(organisation=listed, principle=principle, status="published")
    assert current.level == 4 and current.evidence_url == "https://example.org/audits"


def test_a_level_without_evidence_is_refused(client, listed):
    response = client.post(
        reverse("orgs:assess", args=[listed.slug]),
        assess_post(**{"p_find-and-fix-bias_level": "3"}),
    )
    assert "Say what the organisation does" in response.content.decode()
    assert Submission.objects.count() == 0


def test_an_empty_assessment_is_refused(client, listed):
    response = client.post(reverse("orgs:assess", args=[listed.slug]), assess_post())
    assert "Choose a level for at least one principle" in response.content.decode()


def test_an_endorsement_is_published_on_approval(client, listed, approver):
    post = assess_post(
        **{"p_protect-personal-data_endorse": "on", "statement": "We collect the least data."}
    )
    client.post(reverse("orgs:assess", args=[listed.slug]), post)
    submission = Submission.objects.get()
    assert submission.kind == "endorsement"
    assert not Endorsement.objects.exists()

    services.submission_approve(submission=submission, moderator=approver)

    endorsement = Endorsement.objects.get()
    assert endorsement.principle.slug == "protect-personal-data"
    assert endorsement.status == "published"
    assert endorsement.statement == "We collect the least data."


# --- Nothing changes without a moderator -----------------------------------------------------


def test_every_form_creates_one_submission_and_nothing_else(client, listed):
    def counts():
        return (
            Organisation.objects.count(),
            Relationship.objects.count(),
            Assessment.objects.count(),
            Endorsement.objects.count(),
            Term.objects.count(),
        )

    before = counts()
    client.post(reverse("submit:new"), new_org_post())
    url = reverse("orgs:suggest_edit", args=[listed.slug])
    client.post(url, edit_post(client.get(url).context["form"], city="York"))
    client.post(reverse("orgs:report", args=[listed.slug]), report_post())
    client.post(
        reverse("orgs:assess", args=[listed.slug]),
        assess_post(**{"p_protect-personal-data_endorse": "on"}),
    )
    assert counts() == before
    assert sorted(Submission.objects.values_list("kind", flat=True)) == [
        "edit",
        "endorsement",
        "new",
        "report",
    ]


def test_a_term_added_after_the_form_was_shown_is_accepted(client, vocabularies):
    term = TermFactory(vocabulary=Term.objects.get(slug="data-privacy").vocabulary)
    client.post(reverse("submit:new"), new_org_post(consequences=[term.slug]))
    assert Submission.objects.get().data["consequences"] == [term.slug]


def test_a_moderator_is_recorded_even_outside_a_request(vocabularies):
    user = UserFactory()
    client_post = new_org_post()
    submission = services.submission_create(
        kind="new",
        data={
            "name": client_post["name"],
            "summary": client_post["summary"],
            "region": "london",
        },
        consent=True,
    )
    org = services.submission_approve(submission=submission, moderator=user)
    assert org.history.first().history_user == user
