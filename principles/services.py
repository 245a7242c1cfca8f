"""Writes of the principles app: publishing an organisation's self-assessment and endorsements."""

from django.db import transaction

from principles.models import Assessment, Endorsement


@transaction.atomic
def assessment_publish(
    *, organisation, principle, level, evidence="", evidence_url="", assessed_on
):
    """Publish an assessment, superseding the organisation's published one for the principle."""
    Assessment.objects.filter(
        organisation=organisation, principle=principle, status=Assessment.Status.PUBLISHED
    ).update(status=Assessment.Status.SUPERSEDED)
    assessment = Assessment(
        organisation=organisation,
        principle=principle,
        level=level,
        evidence=evidence,
        evidence_url=evidence_url,
        assessed_on=assessed_on,
        status=Assessment.Status.PUBLISHED,
    )
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def endorsement_publish(*, organisation, principle, statement=""):
    """Publish the organisation's endorsement of the principle (again, if it was withdrawn)."""
    endorsement = (
        Endorsement.objects.select_for_update()
        .filter(organisation=organisation, principle=principle)
        .first()
    ) or Endorsement(organisation=organisation, principle=principle)
    endorsement.status = Endorsement.Status.PUBLISHED
    if statement or not endorsement.pk:
        endorsement.statement = statement
    endorsement.full_clean()
    endorsement.save()
    return endorsement
