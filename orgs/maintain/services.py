"""Writes of the maintainer feature: claims, confirming an entry, handing it on, stopping.

Every write is one transaction; emails go out after it commits (orgs.maintain.notifications).
A maintainer's proposed changes are ordinary submissions, marked as theirs, decided by a
moderator like any other.
"""

import datetime
import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ethicalmap import limits
from orgs.maintain import notifications
from orgs.maintain.domains import email_matches_website
from orgs.maintain.links import link_issue, link_use
from orgs.models import Maintainer, MaintainerLink, Organisation, Submission, VerifiedBy
from orgs.submissions.fields import RECORD_KEYS, Problem
from orgs.submissions.services import submission_approve, submission_create

CLAIM_BY_EMAIL = "email"
CLAIM_TO_QUEUE = "queue"


def _send_link(maintainer, purpose):
    token = link_issue(maintainer=maintainer, purpose=purpose)
    transaction.on_commit(
        functools.partial(
            notifications.send_link, maintainer_id=maintainer.pk, token=token, purpose=purpose
        )
    )


def _set_maintained(organisation_pk):
    maintained = Maintainer.objects.active().filter(organisation_id=organisation_pk).exists()
    Organisation.objects.filter(pk=organisation_pk).update(maintained=maintained)


def claim_create(*, organisation, name, email, role, evidence=""):
    """Receive a claim on an entry; return how it goes on (CLAIM_BY_EMAIL or CLAIM_TO_QUEUE).

    A work email at the website's domain, on an entry nobody maintains, is sent a link that
    makes its owner the maintainer. Any other claim goes to the moderators' queue with the
    evidence given; a claim on a maintained entry also tells the current maintainer.
    """
    email = email.strip().lower()
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if not org.maintained and email_matches_website(email, org.website):
            maintainer = Maintainer(organisation=org, name=name, email=email, role=role)
            maintainer.full_clean()
            maintainer.save()
            _send_link(maintainer, MaintainerLink.Purpose.CLAIM)
            return CLAIM_BY_EMAIL
        submission_create(
            kind=Submission.Kind.CLAIM,
            organisation=org,
            data={"role": role, "evidence": evidence},
            submitter_name=name,
            submitter_email=email,
            connection=role[:300],
            consent=True,
        )
        if org.maintained:
            transaction.on_commit(
                functools.partial(notifications.notify_second_claim, organisation_id=org.pk)
            )
    return CLAIM_TO_QUEUE


def maintainer_from_claim(*, submission, moderator):
    """Make an approved claim's sender the entry's maintainer (ending any before them) and
    send them a link; called by the approval, inside its transaction."""
    org = Organisation.objects.select_for_update().get(pk=submission.organisation_id)
    for previous in Maintainer.objects.active().filter(organisation=org):
        _end(previous, reason="Replaced by an approved claim")
    maintainer = Maintainer(
        organisation=org,
        name=submission.submitter_name,
        email=submission.submitter_email,
        role=submission.data.get("role", ""),
        status=Maintainer.Status.ACTIVE,
        confirmed_at=timezone.now(),
    )
    maintainer._history_user = moderator
    maintainer.full_clean()
    maintainer.save()
    _set_maintained(org.pk)
    submission.maintainer = maintainer
    _send_link(maintainer, MaintainerLink.Purpose.SIGN_IN)
    return org


def link_follow(*, token):
    """Use a link: a claim's link makes its owner the maintainer. Return the maintainer."""
    with transaction.atomic():
        link = link_use(token)
        maintainer = Maintainer.objects.select_for_update().get(pk=link.maintainer_id)
        if maintainer.status == Maintainer.Status.CLAIMED:
            taken = Maintainer.objects.active().filter(organisation_id=maintainer.organisation_id)
            if taken.exists():
                raise ValidationError(
                    "Someone else has started looking after this entry since you claimed it. "
                    "A moderator can help: reply to the email.",
                    code="taken",
                )
            maintainer.status = Maintainer.Status.ACTIVE
            maintainer.confirmed_at = timezone.now()
            maintainer.full_clean()
            maintainer.save()
            _set_maintained(maintainer.organisation_id)
    return maintainer


def _active(maintainer):
    locked = Maintainer.objects.select_for_update().get(pk=maintainer.pk)
    if locked.status != Maintainer.Status.ACTIVE:
        raise ValidationError("You no longer look after this entry.", code="ended")
    return locked


def organisation_confirm(*, maintainer):
    """ "Still right": the entry is verified today by the organisation (history records it)."""
    with transaction.atomic():
        maintainer = _active(maintainer)
        org = Organisation.objects.select_for_update().get(pk=maintainer.organisation_id)
        org.last_verified = timezone.localdate()
        org.verified_by = VerifiedBy.ORGANISATION
        org._change_reason = "Confirmed by the organisation"
        org.full_clean()
        org.save()
    return org


# What a maintainer a moderator trusts may publish at once. Never the name, the areas of concern
# or the links between organisations: those always wait for a moderator.
PUBLISH_AT_ONCE = frozenset(
    {"summary", "description", "website", "contact_url", "offers", "looking_for"}
)
PUBLISHED_AT_ONCE = "Published at once from the entry's maintainer: to review."


def maintainer_propose(*, maintainer, data):
    """Queue the maintainer's changes as an edit, marked as theirs, for a moderator; publish
    them at once when a moderator lets this maintainer, they touch only PUBLISH_AT_ONCE, and
    the entry has not changed since it was shown (else they wait like any other)."""
    with transaction.atomic():
        maintainer = _active(maintainer)
        submission = submission_create(
            kind=Submission.Kind.EDIT,
            organisation=maintainer.organisation,
            data=data,
            connection="The entry's maintainer",
            consent=True,
        )
        submission.maintainer = maintainer
        submission.save(update_fields=["maintainer"])
        proposed = set(data) - RECORD_KEYS - {"note"}
        if maintainer.may_publish and proposed <= PUBLISH_AT_ONCE:
            try:
                with transaction.atomic():
                    submission_approve(
                        submission=submission, moderator=None, reason=PUBLISHED_AT_ONCE
                    )
            except ValidationError:
                pass  # the entry changed meanwhile: a moderator decides, as for anyone
    return submission


def maintainer_allow_publishing(*, maintainer, moderator, allowed):
    """Let (or stop) a maintainer's changes to PUBLISH_AT_ONCE publish at once."""
    with transaction.atomic():
        locked = Maintainer.objects.select_for_update().get(pk=maintainer.pk)
        locked.may_publish = allowed
        locked._history_user = moderator
        locked.save(update_fields=["may_publish"])
    return locked


def maintainer_ask_archive(*, maintainer, details):
    """Queue the maintainer's request to take the entry off the map, for a moderator."""
    with transaction.atomic():
        maintainer = _active(maintainer)
        submission = submission_create(
            kind=Submission.Kind.REPORT,
            organisation=maintainer.organisation,
            data={"problem": Problem.CLOSED, "details": details},
            connection="The entry's maintainer",
            consent=True,
        )
        submission.maintainer = maintainer
        submission.save(update_fields=["maintainer"])
    return submission


def _end(maintainer, *, reason):
    # Their name and email go when they stop: only that someone looked after it, and when, stays.
    maintainer.status = Maintainer.Status.ENDED
    maintainer.ended_at = timezone.now()
    maintainer.name = ""
    maintainer.email = ""
    maintainer.personal_data_purged = maintainer.ended_at
    maintainer._change_reason = reason
    maintainer.save()


def maintainer_stop(*, maintainer):
    """The maintainer stops looking after the entry; their name and email are removed."""
    with transaction.atomic():
        maintainer = _active(maintainer)
        _end(maintainer, reason="Stopped maintaining the entry")
        _set_maintained(maintainer.organisation_id)
    return maintainer


def maintainer_hand_on(*, maintainer, name, email, role=""):
    """Hand the entry to a colleague: they are sent a link that makes them its maintainer, and
    the one handing on stops now (their name and email are removed)."""
    with transaction.atomic():
        maintainer = _active(maintainer)
        _end(maintainer, reason="Handed on to a colleague")
        colleague = Maintainer(
            organisation_id=maintainer.organisation_id,
            name=name,
            email=email.strip().lower(),
            role=role,
        )
        colleague.full_clean()
        colleague.save()
        _set_maintained(maintainer.organisation_id)
        _send_link(colleague, MaintainerLink.Purpose.CLAIM)
    return colleague


def sign_in_link_send(*, email):
    """Email a sign-in link to each entry the address maintains; say nothing about which."""
    with transaction.atomic():
        for maintainer in Maintainer.objects.active().filter(email=email.strip().lower()):
            _send_link(maintainer, MaintainerLink.Purpose.SIGN_IN)


# --- Yearly reminders, and the moderators' digest ----------------------------------------------

REMIND_AFTER = datetime.timedelta(days=335)  # eleven months
DIGEST_SIZE = 20


def reminders_send(*, today):
    """Remind, once, each maintainer whose entry was last confirmed eleven months ago; return
    how many. Each is marked reminded in its own transaction, so a second run sends nothing."""
    sent = 0
    due = Maintainer.objects.due_reminder(confirmed_before=today - REMIND_AFTER)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            maintainer = (
                Maintainer.objects.due_reminder(confirmed_before=today - REMIND_AFTER)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("organisation")
                .filter(pk=pk)
                .first()
            )
            if maintainer is None:
                continue  # reminded meanwhile, by another run
            maintainer.reminded_on = today
            maintainer.save(update_fields=["reminded_on"])
            token = link_issue(maintainer=maintainer, purpose=MaintainerLink.Purpose.SIGN_IN)
            transaction.on_commit(
                functools.partial(notifications.send_reminder, maintainer=maintainer, token=token)
            )
        sent += 1
    return sent


def stale_digest_send(*, today):
    """Once an ISO week, send the moderators the stalest entries nobody maintains; return how
    many it listed (0 when this week's was sent already)."""
    year, week, _ = today.isocalendar()
    if not limits.claim(limits.key("stale-digest", f"{year}-W{week}"), 8 * 24 * 60 * 60):
        return 0
    stalest = list(Organisation.objects.published().unmaintained().stalest()[:DIGEST_SIZE])
    if stalest:
        notifications.send_digest(organisations=stalest)
    return len(stalest)


def claims_purge_personal_data(*, made_before):
    """End the claims never confirmed and made before the date, removing the name and email
    they carry; return how many."""
    purged = 0
    for pk in (
        Maintainer.objects.claimed().filter(created__lt=made_before).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            maintainer = Maintainer.objects.claimed().select_for_update().filter(pk=pk).first()
            if maintainer is not None:
                _end(maintainer, reason="Claim never confirmed: personal data purged")
                purged += 1
    return purged
