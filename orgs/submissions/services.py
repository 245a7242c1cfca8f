"""Writes of submissions: receiving submissions and the moderators' decisions on them.

Every public form calls `submission_create`, which stores one Submission and nothing else. Only a
moderator's `submission_approve` (or `submission_merge`) changes what the public sees, in one
transaction that locks the submission so it cannot be applied twice. Emails go out after the
transaction commits, and a failing mail server never undoes or blocks a decision.
"""

import functools
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from orgs.models import Organisation, Submission
from orgs.submissions import apply, notifications
from orgs.submissions.fields import SET_FIELDS, Problem, organisation_as_data


class SubmissionAlreadyDecided(ValidationError):
    """A moderator (or a second click) tried to decide a submission that is already decided."""

    def __init__(self, submission):
        super().__init__(
            f"This submission was already {submission.get_status_display().lower()}.",
            code="already_decided",
        )


# --- Receiving ------------------------------------------------------------------------------


def submission_create(
    *,
    kind,
    data,
    organisation=None,
    submitter_name="",
    submitter_email="",
    connection="",
    consent,
):
    """Store what a member of the public sent, for the moderators; the public sees no change."""
    if not consent:
        raise ValidationError({"consent": "A submission needs the sender's consent."})
    with transaction.atomic():
        submission = Submission(
            kind=kind,
            organisation=organisation,
            data=data,
            submitter_name=submitter_name,
            submitter_email=submitter_email,
            connection=connection,
            consent=consent,
        )
        if kind == Submission.Kind.NEW:
            submission.possible_duplicate_of = Organisation.objects.duplicate_of(
                name=data.get("name"),
                website=data.get("website"),
                charity_number=data.get("charity_number"),
                company_number=data.get("company_number"),
            )
        submission.full_clean()
        submission.save()
        transaction.on_commit(
            functools.partial(notifications.notify_moderators, submission_id=submission.pk)
        )
    return submission


# --- Deciding -------------------------------------------------------------------------------


def _lock_pending(submission):
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Submission.Status.PENDING:
        raise SubmissionAlreadyDecided(locked)
    return locked


def _record_decision(submission, *, status, moderator, reason=""):
    submission.status = status
    submission.reviewed_by = moderator
    submission.reviewed_at = timezone.now()
    submission.reason = reason
    submission._history_user = moderator
    submission.full_clean()
    submission.save()
    if submission.submitter_email:
        transaction.on_commit(
            functools.partial(notifications.notify_submitter, submission_id=submission.pk)
        )


def submission_approve(
    *, submission, moderator, entry_seen=None, overwrite=(), distinct_from=(), reason=""
):
    """Apply a pending submission to the map and record who approved it (None: published at
    once, as a trusted maintainer's change is, with the `reason` saying so); return the entry
    (orgs.submissions.apply writes it).

    An edit whose fields the entry changed too since the member saw it is refused
    (`EditConflict`) unless `entry_seen` is the entry's version the moderator decided on, with
    `overwrite` naming the fields to take from the edit. A new organisation already on the map
    is refused (`DuplicateEntry`) unless the moderator named that entry in `distinct_from`
    (primary keys) as a different organisation.
    """
    with transaction.atomic():
        locked = _lock_pending(submission)
        organisation = apply.APPLY[locked.kind](
            locked,
            moderator,
            entry_seen=entry_seen,
            overwrite=set(overwrite),
            distinct_from=[int(pk) for pk in distinct_from],
        )
        _record_decision(
            locked, status=Submission.Status.APPROVED, moderator=moderator, reason=reason
        )
    submission.refresh_from_db()
    return organisation


def submission_reject(*, submission, moderator, reason):
    """Reject a pending submission, keeping it with the reason (which the submitter is sent)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason: the submitter is sent it."})
    with transaction.atomic():
        locked = _lock_pending(submission)
        _record_decision(
            locked, status=Submission.Status.REJECTED, moderator=moderator, reason=reason
        )
    submission.refresh_from_db()
    return submission


def submission_mark_spam(*, submission, moderator):
    """Mark a pending submission as spam: kept for the record, and nobody is emailed."""
    with transaction.atomic():
        locked = _lock_pending(submission)
        locked.status = Submission.Status.SPAM
        locked.reviewed_by = moderator
        locked.reviewed_at = timezone.now()
        locked._history_user = moderator
        locked.full_clean()
        locked.save()
    submission.refresh_from_db()
    return submission


def submission_merge(*, submission, organisation, moderator):
    """Merge a `new` submission into an entry already on the map.

    The entry keeps what it has; the submission fills its empty fields and adds its terms, tags
    and links. The submission is approved, with a note of where it went.
    """
    if submission.kind != Submission.Kind.NEW:
        raise ValidationError("Only a new organisation can be merged into an existing entry.")
    with transaction.atomic():
        locked = _lock_pending(submission)
        org = apply.lock_organisation(organisation.pk)
        for field, value in apply.scalar_values(locked.data).items():
            if value not in (None, "") and getattr(org, field) in (None, ""):
                setattr(org, field, value)
        apply.mark_verified(org, moderator)
        apply.save_organisation(org, moderator)
        # What the entry has is kept: the submission's values are added, none removed.
        nothing_removed = dict.fromkeys(SET_FIELDS, [])
        apply.write_sets(
            org, apply.sets_of(locked.data, organisation_as_data(org), nothing_removed)
        )
        locked.data = {**locked.data, "merged_into": org.slug}
        _record_decision(
            locked,
            status=Submission.Status.APPROVED,
            moderator=moderator,
            reason=f"Merged into the entry already on the map: {org.name}.",
        )
    submission.refresh_from_db()
    return org


# --- Keeping the map fresh, and forgetting people ---------------------------------------------

LINK_CHECK_SOURCE = "check_links"


def link_check_report(*, organisation, url, problem):
    """Put a broken website in the moderators' queue as a report, once while one is pending."""
    with transaction.atomic():
        org = apply.lock_organisation(organisation.pk)
        already = org.submissions.pending().filter(
            kind=Submission.Kind.REPORT, data__source=LINK_CHECK_SOURCE
        )
        if already.exists():
            return None
        submission = Submission(
            kind=Submission.Kind.REPORT,
            organisation=org,
            data={
                "problem": Problem.OUTDATED,
                "details": f"The website {url} could not be reached on "
                f"{timezone.localdate():%d %B %Y}: {problem}.",
                "source": LINK_CHECK_SOURCE,
            },
        )
        submission.full_clean()
        submission.save()
    return submission


# Keys of a submission's data that hold personal data, should a form ever send any.
PERSONAL_DATA_KEYS = {"submitter_name", "submitter_email", "email", "contact_email", "phone"}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d ()-]{8,}\d(?!\w)")


def _scrub(value):
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if k not in PERSONAL_DATA_KEYS}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, str):
        return _PHONE.sub("[phone number removed]", _EMAIL.sub("[email removed]", value))
    return value


def _scrub_history(submission):
    # Each row keeps what was proposed and decided at its time, scrubbed like the submission.
    rows = list(submission.history.all())
    for row in rows:
        row.connection = ""
        row.data = _scrub(row.data)
        row.reason = _scrub(row.reason)
    submission.history.model.objects.bulk_update(rows, ["connection", "data", "reason"])


def submissions_purge_personal_data(*, decided_before):
    """Remove the submitter's details from submissions decided before the date; return how many.

    The submission itself is kept (it is the record of what changed and why); its name, email
    and connection are blanked, and addresses, phone numbers and personal keys are removed from
    what was proposed and the reason, here and in every row of its history.
    """
    purged = 0
    due = Submission.objects.exclude(status=Submission.Status.PENDING).filter(
        reviewed_at__lt=decided_before, personal_data_purged__isnull=True
    )
    now = timezone.now()
    for pk in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            submission = Submission.objects.select_for_update().get(pk=pk)
            submission.submitter_name = ""
            submission.submitter_email = ""
            submission.connection = ""
            submission.data = _scrub(submission.data)
            submission.reason = _scrub(submission.reason)
            submission.personal_data_purged = now
            submission._change_reason = "Personal data purged"
            submission.save()
            _scrub_history(submission)
        purged += 1
    return purged
