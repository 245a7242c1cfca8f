import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from orgs.models import Organisation, Relationship, Submission
from tests.factories import OrganisationFactory, RelationshipFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def test_slugs_are_unique():
    OrganisationFactory(slug="same")
    with pytest.raises(IntegrityError):
        OrganisationFactory(slug="same")


def test_an_organisation_cannot_be_linked_to_itself():
    org = OrganisationFactory()
    with pytest.raises(IntegrityError):
        Relationship.objects.create(source=org, target=org, kind=Relationship.Kind.PARTNER)


def test_a_self_link_is_refused_by_validation_with_a_message():
    org = OrganisationFactory()
    with pytest.raises(ValidationError, match="cannot be linked to itself"):
        Relationship(source=org, target=org, kind=Relationship.Kind.FUNDS).full_clean()


def test_the_same_link_of_one_kind_cannot_be_made_twice():
    link = RelationshipFactory()
    with pytest.raises(IntegrityError):
        Relationship.objects.create(source=link.source, target=link.target, kind=link.kind)


def test_two_links_of_different_kinds_between_the_same_pair_are_allowed():
    link = RelationshipFactory(kind=Relationship.Kind.PARTNER)
    Relationship.objects.create(
        source=link.source, target=link.target, kind=Relationship.Kind.FUNDS
    )
    assert Relationship.objects.filter(source=link.source).count() == 2


def test_coordinates_come_in_pairs():
    with pytest.raises(IntegrityError):
        OrganisationFactory(latitude=51.5, longitude=None)


@pytest.mark.parametrize(("lat", "lon"), [(91, 0), (-91, 0), (0, 181), (0, -181)])
def test_coordinates_must_be_on_the_globe(lat, lon):
    with pytest.raises(IntegrityError):
        OrganisationFactory(latitude=lat, longitude=lon)


def test_founding_year_must_be_plausible():
    with pytest.raises(IntegrityError):
        OrganisationFactory(founded=3000)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://x.org/"]
)
def test_only_web_addresses_are_accepted(url):
    org = OrganisationFactory.build(website=url)
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert "website" in error.value.message_dict


def test_a_new_submission_is_about_no_existing_organisation():
    with pytest.raises(IntegrityError):
        SubmissionFactory(kind=Submission.Kind.NEW, organisation=OrganisationFactory())


def test_an_edit_submission_must_name_its_organisation():
    with pytest.raises(IntegrityError):
        SubmissionFactory(kind=Submission.Kind.EDIT, organisation=None)


def test_a_decided_submission_has_a_decision_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        SubmissionFactory(status=Submission.Status.APPROVED, reviewed_at=None)


def test_changes_to_an_organisation_are_recorded_in_its_history():
    org = OrganisationFactory(name="Before")
    org.name = "After"
    org.save()
    assert [h.name for h in org.history.order_by("history_date")] == ["Before", "After"]


def test_the_private_contact_email_is_not_kept_in_history():
    org = OrganisationFactory(contact_email="private@example.org")
    assert not hasattr(org.history.first(), "contact_email")


def test_published_excludes_archived_organisations():
    shown = OrganisationFactory()
    OrganisationFactory(status=Organisation.Status.ARCHIVED)
    assert list(Organisation.objects.published()) == [shown]
