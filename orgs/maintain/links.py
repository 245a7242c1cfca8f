"""Signed, expiring, single-use links for maintainers.

A link's token is a random id signed with a timestamp (django.core.signing.TimestampSigner), so
a token older than LINK_MAX_AGE or not made by us is refused without a database read. The
database keeps only a hash of the id; using a link locks its row and marks it used in the same
transaction, so a link works once however many processes answer.
"""

import datetime
import hashlib
import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from orgs.models import Maintainer, MaintainerLink

LINK_MAX_AGE = datetime.timedelta(days=7)
_signer = signing.TimestampSigner(salt="orgs.maintain.link")


class LinkRefused(ValidationError):
    """A link that cannot be used; the message says why, in plain words."""


EXPIRED = LinkRefused(
    "This link has expired: links work for 7 days. Ask for a new one below.", code="expired"
)
USED = LinkRefused(
    "This link has already been used: each link works once. Ask for a new one below.",
    code="used",
)
UNKNOWN = LinkRefused(
    "This link is not one of ours, or it was copied incompletely. Ask for a new one below.",
    code="unknown",
)
ENDED = LinkRefused("This link is for someone who no longer looks after the entry.", code="ended")


def _digest(ident):
    return hashlib.sha256(ident.encode()).hexdigest()


def link_issue(*, maintainer, purpose):
    """Store a new link for the maintainer and return its token, to put in an email."""
    ident = secrets.token_urlsafe(24)
    MaintainerLink.objects.create(maintainer=maintainer, purpose=purpose, digest=_digest(ident))
    return _signer.sign(ident)


def _ident(token):
    try:
        return _signer.unsign(token or "", max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise EXPIRED from None
    except signing.BadSignature:
        raise UNKNOWN from None


def link_check(token, *, for_update=False):
    """The link the token names, if it can still be used; LinkRefused says why not."""
    links = MaintainerLink.objects.select_related("maintainer__organisation")
    if for_update:
        links = links.select_for_update(of=("self",))
    link = links.filter(digest=_digest(_ident(token))).first()
    if link is None:
        raise UNKNOWN
    if link.used_at is not None:
        raise USED
    if link.maintainer.status == Maintainer.Status.ENDED:
        raise ENDED
    return link


def link_use(token):
    """Mark the link used and return it; call inside a transaction (the row stays locked)."""
    link = link_check(token, for_update=True)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return link
