"""Emails to maintainers and about claims, sent after the transaction commits.

A failure is logged by maintainer number and error type only, never with an address or a name.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from orgs.maintain.links import LINK_MAX_AGE
from orgs.models import Maintainer, MaintainerLink, Organisation
from orgs.submissions.notifications import moderator_addresses

logger = logging.getLogger(__name__)


def _send(*, what, ref, subject, template, context, recipients):
    if not recipients:
        return False
    body = render_to_string(template, {"SITE_URL": settings.SITE_URL, **context})
    try:
        send_mail(subject, body, None, recipients, fail_silently=False)
    except Exception as error:  # noqa: BLE001 - any mail failure is logged and survived
        logger.warning("Could not send the %s email (%s, %s)", what, ref, type(error).__name__)
        return False
    return True


def link_url(token):
    return settings.SITE_URL + reverse("maintain:link", kwargs={"token": token})


def send_link(*, maintainer_id, token, purpose):
    """Send a maintainer (or someone claiming an entry) their single-use link."""
    maintainer = Maintainer.objects.select_related("organisation").get(pk=maintainer_id)
    claim = purpose == MaintainerLink.Purpose.CLAIM
    subject = (
        f"Confirm you look after {maintainer.organisation.name} on the Ethical Tech Map"
        if claim
        else f"Your link to look after {maintainer.organisation.name} on the Ethical Tech Map"
    )
    return _send(
        what="maintainer link",
        ref=f"maintainer {maintainer.pk}",
        subject=subject,
        template="orgs/maintain/email/link.txt",
        context={
            "organisation": maintainer.organisation,
            "claim": claim,
            "url": link_url(token),
            "days": LINK_MAX_AGE.days,
        },
        recipients=[maintainer.email],
    )


def notify_second_claim(*, organisation_id):
    """Tell the current maintainer and the moderators someone else claimed the entry."""
    organisation = Organisation.objects.get(pk=organisation_id)
    current = list(
        Maintainer.objects.active()
        .filter(organisation=organisation)
        .values_list("email", flat=True)
    )
    context = {"organisation": organisation}
    for recipients in (current, moderator_addresses()):
        _send(
            what="second claim",
            ref=f"organisation {organisation.pk}",
            subject=f"Someone else has claimed {organisation.name} on the Ethical Tech Map",
            template="orgs/maintain/email/second_claim.txt",
            context={**context, "to_moderators": recipients is not current},
            recipients=recipients,
        )


def send_reminder(*, maintainer, token):
    """The yearly reminder: is the entry still right? One link to confirm or change it."""
    return _send(
        what="reminder",
        ref=f"maintainer {maintainer.pk}",
        subject=f"Is the entry for {maintainer.organisation.name} still right?",
        template="orgs/maintain/email/reminder.txt",
        context={
            "organisation": maintainer.organisation,
            "url": link_url(token),
            "days": LINK_MAX_AGE.days,
        },
        recipients=[maintainer.email],
    )


def send_digest(*, organisations):
    """The moderators' weekly list of the stalest entries nobody maintains."""
    return _send(
        what="stale digest",
        ref=f"{len(organisations)} entries",
        subject=f"{len(organisations)} entries on the Ethical Tech Map to check",
        template="orgs/maintain/email/digest.txt",
        context={"organisations": organisations},
        recipients=moderator_addresses(),
    )
