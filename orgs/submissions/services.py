"""Writes of submissions: receiving submissions and the moderators' decisions on them.

Every public form calls `submission_create`, which stores one Submission and nothing else. Only a
moderator's `submission_approve` (or `submission_merge`) changes what the public sees, in one
transaction that locks the submission so it cannot be applied twice. Emails go out after the
transaction commits, and a failing mail server never undoes or blocks a decision.
"""

import functools
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from orgs.models import Organisation, Relationship, Submission
from orgs.submissions import notifications
from orgs.submissions.fields import (
    ARCHIVING_PROBLEMS,
    HELP_FIELDS,
    SCALAR_FIELDS,
    TERM_FIELDS,
    Problem,
)

MAX_SLUG_ATTEMPTS = 100


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
                name=data.get("name"), website=data.get("website")
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


def _lock_organisation(pk):
    return Organisation.objects.select_for_update().get(pk=pk)


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


def _terms(slugs, vocabulary):
    from taxonomy.models import Term

    return list(Term.objects.in_vocabulary(vocabulary).filter(slug__in=slugs or []))


def _save_organisation(org, moderator):
    org._history_user = moderator
    org.full_clean()
    org.save()


def _insert_with_unique_slug(org, moderator):
    """Save a new organisation under a free slug: its name's, else with -2, -3 … appended.

    Two duplicates approved at the same time may pick the same slug; the database's unique
    constraint then refuses the second, which tries the next suffix in a savepoint.
    """
    base = slugify(org.name)[:100].strip("-") or "organisation"
    org._history_user = moderator
    org.slug = base
    org.full_clean(exclude=["slug"])
    taken = set(
        Organisation.objects.filter(slug__regex=rf"^{re.escape(base)}(-[0-9]+)?$").values_list(
            "slug", flat=True
        )
    )
    candidates = [base] + [f"{base}-{n}" for n in range(2, MAX_SLUG_ATTEMPTS + 2)]
    for slug in candidates:
        if slug in taken:
            continue
        org.slug = slug
        try:
            with transaction.atomic():
                org.save()
        except IntegrityError:
            org.pk = None
            taken.add(slug)
            continue
        return org
    raise ValidationError(f"No free address for “{org.name}”: choose another name.")


def _set_relationships(org, links, *, replace):
    wanted = {(link["kind"], link["organisation"]) for link in links or []}
    targets = {
        o.slug: o for o in Organisation.objects.published().filter(slug__in={s for _, s in wanted})
    }
    current = {
        (rel.kind, rel.target.slug): rel
        for rel in org.outgoing.filter(target__status=Organisation.Status.PUBLISHED).select_related(
            "target"
        )
    }
    if replace:
        for key, rel in current.items():
            if key not in wanted:
                rel.delete()
    for kind, slug in sorted(wanted):
        target = targets.get(slug)
        if target is None or (kind, slug) in current or target.pk == org.pk:
            continue  # archived since it was proposed, already there, or a self-link
        relationship = Relationship(source=org, target=target, kind=kind)
        relationship.full_clean()
        relationship.save()


def _apply_classification(org, data, *, replace):
    """Terms, help, tags and links from `data`; `replace` drops what the data leaves out."""
    for key, vocabulary in TERM_FIELDS.items():
        if key not in data:
            continue
        proposed = _terms(data[key], vocabulary)
        if replace:
            kept = list(org.terms.exclude(vocabulary__slug=vocabulary))
            org.terms.set(kept + proposed)
        else:
            org.terms.add(*proposed)
    for key in HELP_FIELDS:
        if key in data:
            proposed = _terms(data[key], "help")
            manager = getattr(org, key)
            if replace:
                manager.set(proposed)
            else:
                manager.add(*proposed)
    if "tags" in data:
        tags = [t for t in data["tags"] or [] if t]
        if replace:
            org.tags.set(tags)
        elif tags:
            org.tags.add(*tags)
    if "relationships" in data:
        _set_relationships(org, data["relationships"], replace=replace)


def _scalar_values(data):
    values = {}
    for field in SCALAR_FIELDS:
        if field in data:
            value = data[field]
            values[field] = value if value is not None or field == "founded" else ""
    return values


def _apply_new(submission, moderator):
    org = Organisation(**_scalar_values(submission.data))
    org.last_verified = timezone.localdate()
    _insert_with_unique_slug(org, moderator)
    _apply_classification(org, submission.data, replace=True)
    submission.data = {**submission.data, "published_as": org.slug}
    return org


def _apply_edit(submission, moderator):
    org = _lock_organisation(submission.organisation_id)
    for field, value in _scalar_values(submission.data).items():
        setattr(org, field, value)
    org.last_verified = timezone.localdate()
    _save_organisation(org, moderator)
    _apply_classification(org, submission.data, replace=True)
    return org


def _apply_report(submission, moderator):
    org = _lock_organisation(submission.organisation_id)
    if submission.data.get("problem") in ARCHIVING_PROBLEMS:
        org.status = Organisation.Status.ARCHIVED
    org.last_verified = timezone.localdate()
    _save_organisation(org, moderator)
    return org


def _apply_assessment(submission, moderator):
    from principles.models import Principle
    from principles.services import assessment_publish, endorsement_publish

    org = _lock_organisation(submission.organisation_id)
    data = submission.data
    slugs = {a["principle"] for a in data.get("assessments", [])} | set(
        data.get("endorsements", [])
    )
    principles = Principle.objects.in_bulk(slugs, field_name="slug")
    assessed_on = timezone.localtime(submission.created).date()
    for item in data.get("assessments", []):
        principle = principles.get(item["principle"])
        if principle is None:
            continue  # retired and deleted since
        assessment_publish(
            organisation=org,
            principle=principle,
            level=item["level"],
            evidence=item.get("evidence", ""),
            evidence_url=item.get("evidence_url", ""),
            assessed_on=assessed_on,
        )
    for slug in data.get("endorsements", []):
        if slug in principles:
            endorsement_publish(
                organisation=org, principle=principles[slug], statement=data.get("statement", "")
            )
    return org


_APPLY = {
    Submission.Kind.NEW: _apply_new,
    Submission.Kind.EDIT: _apply_edit,
    Submission.Kind.REPORT: _apply_report,
    Submission.Kind.ASSESSMENT: _apply_assessment,
    Submission.Kind.ENDORSEMENT: _apply_assessment,
}


def submission_approve(*, submission, moderator):
    """Apply a pending submission to the map and record who approved it; return the entry."""
    with transaction.atomic():
        locked = _lock_pending(submission)
        organisation = _APPLY[locked.kind](locked, moderator)
        _record_decision(locked, status=Submission.Status.APPROVED, moderator=moderator)
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
        org = _lock_organisation(organisation.pk)
        for field, value in _scalar_values(locked.data).items():
            if value not in (None, "") and getattr(org, field) in (None, ""):
                setattr(org, field, value)
        org.last_verified = timezone.localdate()
        _save_organisation(org, moderator)
        _apply_classification(org, locked.data, replace=False)
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
        org = _lock_organisation(organisation.pk)
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
