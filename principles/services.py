"""Writes of the principles app: publishing an organisation's self-assessment and endorsements, and
the moderators' decisions on them.

Every change of status goes through here and leaves one history row saying what changed, why,
and, for a moderator's decision, who made it. The admin's actions call these services; the status
is not editable in the admin's forms, so there is no second, unrecorded way to change it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from principles.models import Assessment, Endorsement


class StatusNotChanged(ValidationError):
    """A decision that does not apply to the assessment or endorsement as it is now."""

    def __init__(self, instance, message):
        super().__init__(f"{instance}: {message}", code="status_not_changed")


def _set_status(instance, status, *, moderator, reason):
    instance.status = status
    if moderator is not None:  # else the request's user, when there is one (simple-history)
        instance._history_user = moderator
    instance._change_reason = reason
    instance.full_clean()
    instance.save()


def _supersede_published(*, organisation_id, principle_id, moderator=None):
    published = Assessment.objects.select_for_update().filter(
        organisation_id=organisation_id,
        principle_id=principle_id,
        status=Assessment.Status.PUBLISHED,
    )
    for old in published:
        _set_status(
            old,
            Assessment.Status.SUPERSEDED,
            moderator=moderator,
            reason="Superseded by a newer assessment",
        )


@transaction.atomic
def assessment_publish(
    *, organisation, principle, level, evidence="", evidence_url="", assessed_on
):
    """Publish an assessment, superseding the organisation's published one for the principle."""
    _supersede_published(organisation_id=organisation.pk, principle_id=principle.pk)
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


def _withdraw(instance, *, moderator):
    """Lock a published assessment or endorsement and withdraw it, with its moderator."""
    model = type(instance)
    locked = model.objects.select_for_update().get(pk=instance.pk)
    if locked.status != model.Status.PUBLISHED:
        raise StatusNotChanged(
            locked, f"only a published {model._meta.verbose_name} can be withdrawn."
        )
    _set_status(
        locked, model.Status.WITHDRAWN, moderator=moderator, reason="Withdrawn by a moderator"
    )
    return locked


def _lock_unpublished(instance):
    """Lock an assessment or endorsement that is not published now, to publish it again."""
    locked = type(instance).objects.select_for_update().get(pk=instance.pk)
    if locked.status == type(instance).Status.PUBLISHED:
        raise StatusNotChanged(locked, "it is already published.")
    return locked


@transaction.atomic
def assessment_withdraw(*, assessment, moderator):
    """Take a published assessment off the organisation's profile and the insights."""
    return _withdraw(assessment, moderator=moderator)


@transaction.atomic
def assessment_republish(*, assessment, moderator):
    """Publish a withdrawn or superseded assessment again, superseding the one published now."""
    locked = _lock_unpublished(assessment)
    _supersede_published(
        organisation_id=locked.organisation_id,
        principle_id=locked.principle_id,
        moderator=moderator,
    )
    _set_status(
        locked,
        Assessment.Status.PUBLISHED,
        moderator=moderator,
        reason="Published again by a moderator",
    )
    return locked


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


@transaction.atomic
def endorsement_withdraw(*, endorsement, moderator):
    """Take an endorsement off the organisation's profile and the principle's page."""
    return _withdraw(endorsement, moderator=moderator)


@transaction.atomic
def endorsement_republish(*, endorsement, moderator):
    """Publish a withdrawn endorsement again."""
    locked = _lock_unpublished(endorsement)
    _set_status(
        locked,
        Endorsement.Status.PUBLISHED,
        moderator=moderator,
        reason="Published again by a moderator",
    )
    return locked
