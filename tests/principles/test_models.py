import pytest
from django.db import IntegrityError, transaction

from principles.models import Assessment, LevelDescriptor
from tests.factories import AssessmentFactory, EndorsementFactory, PrincipleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("level", [0, 6])
def test_an_assessment_level_is_between_one_and_five(level):
    with pytest.raises(IntegrityError):
        AssessmentFactory(level=level)


def test_only_one_published_assessment_per_organisation_and_principle():
    first = AssessmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(organisation=first.organisation, principle=first.principle)
    first.status = Assessment.Status.SUPERSEDED
    first.save()
    AssessmentFactory(organisation=first.organisation, principle=first.principle)
    assert first.organisation.assessments.count() == 2


def test_a_principle_has_one_descriptor_per_level():
    principle = PrincipleFactory()
    LevelDescriptor.objects.create(principle=principle, level=1, description="Ad hoc.")
    with pytest.raises(IntegrityError), transaction.atomic():
        LevelDescriptor.objects.create(principle=principle, level=1, description="Again.")
    with pytest.raises(IntegrityError):
        LevelDescriptor.objects.create(principle=principle, level=6, description="Beyond.")


def test_an_organisation_endorses_a_principle_once():
    endorsement = EndorsementFactory()
    with pytest.raises(IntegrityError):
        EndorsementFactory(organisation=endorsement.organisation, principle=endorsement.principle)
