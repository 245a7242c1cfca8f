"""Emails about submissions, sent through Django's email framework after the transaction commits.

A mail server that is down or refuses a message must never lose or block a submission: failures
are caught and logged by submission number and error type only, never with an address or a name.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from orgs.models import Submission
from orgs.moderators import MODERATORS_GROUP

logger = logging.getLogger(__name__)


def moderator_addresses():
    """MODERATOR_EMAILS if set, else the addresses of the active members of the Moderators group."""
    if settings.MODERATOR_EMAILS:
        return list(settings.MODERATOR_EMAILS)
    users = get_user_model().objects.filter(
        is_active=True, is_staff=True, groups__name=MODERATORS_GROUP
    )
    return sorted({email for email in users.values_list("email", flat=True) if email})


def _one_line(text):
    return " ".join(str(text).split())[:150]


def _send(*, what, submission_id, subject, template, context, recipients):
    if not recipients:
        return False
    body = render_to_string(template, context)
    try:
        send_mail(_one_line(subject), body, None, recipients, fail_silently=False)
    except Exception as error:  # noqa: BLE001 - any mail failure is logged and survived
        logger.warning(
            "Could not send the %s email for submission %s (%s)",
            what,
            submission_id,
            type(error).__name__,
        )
        return False
    return True


def _about(submission):
    if submission.organisation_id:
        return submission.organisation.name
    if submission.kind == Submission.Kind.RESOURCE:
        return (submission.data or {}).get("title") or "a resource"
    return (submission.data or {}).get("name") or "a new organisation"


def _published_name(organisation):
    """The name of an entry already on the map (a moderator's words, not the submitter's)."""
    if organisation is not None and organisation.status == organisation.Status.PUBLISHED:
        return organisation.name
    return ""


def notify_moderators(*, submission_id):
    """Tell the moderators a submission is waiting (no personal data in the message)."""
    submission = Submission.objects.select_related("organisation").get(pk=submission_id)
    admin_url = settings.SITE_URL + reverse("admin:orgs_submission_change", args=[submission.pk])
    return _send(
        what="new submission",
        submission_id=submission.pk,
        subject=f"To moderate: {submission.get_kind_display()}, {_about(submission)}",
        template="orgs/submissions/email/to_moderators.txt",
        context={"submission": submission, "about": _about(submission), "admin_url": admin_url},
        recipients=moderator_addresses(),
    )


def notify_submitter(*, submission_id):
    """Tell the submitter what was decided, with the moderator's reason.

    Nobody has confirmed that the address belongs to whoever typed it, so the message carries
    none of the submitter's own words (their name, what they proposed): only the project's words,
    the moderator's reason and the public entry, so the form cannot relay text to a stranger.
    """
    submission = Submission.objects.select_related("organisation").get(pk=submission_id)
    if not submission.submitter_email:
        return False
    slug = (submission.data or {}).get("published_as") or (submission.data or {}).get("merged_into")
    if slug is None and submission.organisation_id:
        slug = submission.organisation.slug
    profile_url = settings.SITE_URL + reverse("orgs:detail", args=[slug]) if slug else ""
    resource = (submission.data or {}).get("resource_published_as")
    if resource:
        profile_url = settings.SITE_URL + reverse("resources:detail", args=[resource])
    approved = submission.status == Submission.Status.APPROVED
    kind = submission.get_kind_display().lower()
    return _send(
        what="decision",
        submission_id=submission.pk,
        subject=f"Your {kind} to the Ethical Tech Map was "
        + ("approved" if approved else "not accepted"),
        template="orgs/submissions/email/decision.txt",
        context={
            "submission": submission,
            "entry_name": _published_name(submission.organisation),
            "approved": approved,
            "profile_url": profile_url,
            "SITE_URL": settings.SITE_URL,
        },
        recipients=[submission.submitter_email],
    )
