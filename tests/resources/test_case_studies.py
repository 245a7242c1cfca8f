"""A case study: its organisation, the principle it shows, the level it evidences, what changed;
an approved self-assessment can cite it as evidence."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from orgs.models import Submission
from orgs.submissions import services
from principles.models import Assessment, Principle
from tests.factories import OrganisationFactory, ResourceFactory
from tests.orgs.submissions.submission_helpers import SUBMITTER, a_while_ago, load_vocabularies

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(db):
    cache.clear()
    load_vocabularies()
    org = OrganisationFactory(name="Fair Lending Co")
    principle = Principle.objects.get(slug="find-and-fix-bias")
    study = ResourceFactory(
        slug="fair-lending-audit", title="How Fair Lending audited its model", kind="case-study",
        case_organisation=org, principles=[principle], maturity_level=4,
        what_changed="Approval rates evened out across postcodes.",
    )  # fmt: skip
    return org, principle, study


def test_a_case_study_page_shows_its_organisation_level_and_what_changed(client, case):
    org, principle, study = case
    html = client.get(study.get_absolute_url()).content.decode()
    assert f'<a href="{org.get_absolute_url()}">Fair Lending Co</a>' in html
    assert "Level 4 of 5" in html
    assert "Approval rates evened out across postcodes." in html
    assert principle.title in html


def test_an_approved_self_assessment_cites_the_case_studies_about_its_organisation(
    client, case, moderator
):
    org, principle, study = case
    other = ResourceFactory(kind="case-study", case_organisation=OrganisationFactory())
    form = client.get(reverse("orgs:assess", args=[org.slug])).content.decode()
    assert "How Fair Lending audited its model" in form and other.title not in form
    post = {
        "p_find-and-fix-bias_level": "4",
        "p_find-and-fix-bias_evidence": "We audit every model.",
        "p_find-and-fix-bias_case_studies": [study.slug],
        "statement": "",
        **SUBMITTER,
        "started": a_while_ago(),
    }
    assert client.post(reverse("orgs:assess", args=[org.slug]), post).status_code == 302
    submission = Submission.objects.get()
    assert not study.evidence_for.exists()  # nothing public until approved
    services.submission_approve(submission=submission, moderator=moderator)
    assessment = Assessment.objects.get(organisation=org, principle=principle)
    assert list(assessment.case_studies.all()) == [study]
    profile = client.get(org.get_absolute_url()).content.decode()
    assert f'Case study: <a href="{study.get_absolute_url()}">' in profile


def test_a_self_assessment_cannot_cite_a_case_study_about_someone_else(client, case, moderator):
    org, principle, study = case
    other = ResourceFactory(kind="case-study", case_organisation=OrganisationFactory())
    submission = Submission.objects.create(
        kind="assessment", organisation=org, consent=True,
        data={"assessments": [{"principle": principle.slug, "level": 3, "evidence": "We do.",
                               "case_studies": [other.slug, study.slug]}], "endorsements": []},
    )  # fmt: skip
    services.submission_approve(submission=submission, moderator=moderator)
    assessment = Assessment.objects.get(organisation=org, principle=principle)
    assert list(assessment.case_studies.all()) == [study]
