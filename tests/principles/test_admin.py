"""Moderators' decisions on assessments and endorsements: made by actions, each one in the history
with the moderator who made it."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from principles.models import Assessment, Endorsement
from principles.services import assessment_publish
from tests.factories import (
    AssessmentFactory,
    EndorsementFactory,
    OrganisationFactory,
    PracticeFactory,
    PrincipleFactory,
)

pytestmark = pytest.mark.django_db

ASSESSMENTS = reverse("admin:principles_assessment_changelist")
ENDORSEMENTS = reverse("admin:principles_endorsement_changelist")


def act(client, changelist, action, *objects):
    selected = {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], "index": 0}
    return client.post(changelist, selected, follow=True).content.decode()


def test_withdrawing_an_assessment_leaves_a_history_row_naming_the_moderator(
    moderator_client, moderator
):
    assessment = AssessmentFactory()
    html = act(moderator_client, ASSESSMENTS, "withdraw_selected", assessment)
    assert "Withdrew 1 assessment(s)." in html
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.WITHDRAWN
    latest = assessment.history.first()
    assert (latest.status, latest.history_user) == ("withdrawn", moderator)
    assert latest.history_change_reason == "Withdrawn by a moderator"
    assert latest.prev_record.status == "published"


def test_the_moderator_and_the_change_show_in_the_assessments_history_page(
    moderator_client, moderator
):
    assessment = AssessmentFactory()
    act(moderator_client, ASSESSMENTS, "withdraw_selected", assessment)
    url = reverse("admin:principles_assessment_history", args=[assessment.pk])
    html = moderator_client.get(url).content.decode()
    assert moderator.username in html
    assert "Withdrawn by a moderator" in html


def test_publishing_an_assessment_again_supersedes_the_published_one_on_the_record(
    moderator_client, moderator
):
    old = AssessmentFactory(status=Assessment.Status.WITHDRAWN, level=2)
    current = AssessmentFactory(organisation=old.organisation, principle=old.principle, level=4)
    html = act(moderator_client, ASSESSMENTS, "republish_selected", old)
    assert "Published 1 assessment(s) again." in html
    old.refresh_from_db()
    current.refresh_from_db()
    assert (old.status, current.status) == ("published", "superseded")
    for assessment in (old, current):
        assert assessment.history.first().history_user == moderator


def test_a_decision_that_does_not_apply_is_refused_with_a_message(moderator_client):
    withdrawn = AssessmentFactory(status=Assessment.Status.WITHDRAWN)
    html = act(moderator_client, ASSESSMENTS, "withdraw_selected", withdrawn)
    assert "only a published assessment can be withdrawn" in html
    assert withdrawn.history.count() == 1  # created; nothing recorded for the refusal


def test_the_status_cannot_be_changed_in_the_change_form(moderator_client, moderator):
    assessment = AssessmentFactory(level=3)
    url = reverse("admin:principles_assessment_change", args=[assessment.pk])
    form = moderator_client.get(url).context["adminform"].form
    assert "status" not in form.fields
    data = {name: "" if value is None else value for name, value in form.initial.items()}
    response = moderator_client.post(url, {**data, "level": 4, "status": "withdrawn"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assessment.refresh_from_db()
    assert (assessment.level, assessment.status) == (4, "published")
    assert assessment.history.first().history_user == moderator  # an edit is recorded too


def test_withdrawing_and_republishing_an_endorsement_are_recorded(moderator_client, moderator):
    endorsement = EndorsementFactory()
    assert "Withdrew 1 endorsement(s)." in act(
        moderator_client, ENDORSEMENTS, "withdraw_selected", endorsement
    )
    assert "Published 1 endorsement(s) again." in act(
        moderator_client, ENDORSEMENTS, "republish_selected", endorsement
    )
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.PUBLISHED
    rows = list(endorsement.history.order_by("history_date", "history_id"))
    assert [(r.status, r.history_user) for r in rows] == [
        ("published", None),
        ("withdrawn", moderator),
        ("published", moderator),
    ]


def test_a_new_self_assessment_supersedes_the_last_one_on_the_record():
    old = AssessmentFactory(level=2)
    assessment_publish(
        organisation=old.organisation,
        principle=old.principle,
        level=4,
        assessed_on=datetime.date.today(),
    )
    old.refresh_from_db()
    assert old.status == Assessment.Status.SUPERSEDED
    latest = old.history.first()
    assert (latest.status, latest.history_change_reason) == (
        "superseded",
        "Superseded by a newer assessment",
    )


def test_a_change_to_a_principles_practices_is_recorded(moderator_client, moderator):
    practice = PracticeFactory(principle=PrincipleFactory(), text="Old practice.")
    url = reverse("admin:principles_practice_change", args=[practice.pk])
    response = moderator_client.post(
        url, {"principle": practice.principle.pk, "text": "New practice.", "order": 0}
    )
    assert response.status_code == 302
    latest = practice.history.first()
    assert (latest.text, latest.history_user) == ("New practice.", moderator)
    assert latest.prev_record.text == "Old practice."


def test_the_other_organisations_assessments_are_left_alone():
    other = AssessmentFactory(organisation=OrganisationFactory())
    mine = AssessmentFactory(principle=other.principle)
    assessment_publish(
        organisation=mine.organisation,
        principle=mine.principle,
        level=5,
        assessed_on=datetime.date.today(),
    )
    other.refresh_from_db()
    assert other.status == Assessment.Status.PUBLISHED
    assert other.history.count() == 1
