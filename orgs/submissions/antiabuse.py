"""Keeping spam out of the public forms without tracking people.

- A honeypot: a field people never see (hidden by CSS) that bots fill in. A post with it filled in
  is answered as if it worked and nothing is stored.
- A minimum fill time: the form carries a stamp of the time it was shown, signed so it cannot be
  forged; a post quicker than a person could type is shown again with a request to check and send.
- The stamp works once: a stored submission claims it, so the same form sent again (or replayed
  by a script) is shown back with a fresh stamp and a word that it arrived, nothing lost.
- A rate limit per client. The client is known only by a keyed hash of its address (salted with
  SECRET_KEY, so it cannot be reversed by trying every address) that expires with the window: no
  IP address is stored anywhere.

Claimed stamps and the rate limit count in the store every app process shares
(`ethicalmap.limits`: Redis, or the database), so they hold however many processes answer.
"""

import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from ethicalmap import limits

HONEYPOT_FIELD = "homepage"
STARTED_FIELD = "started"
RATE_WINDOW_SECONDS = 60 * 60
# A form left open for longer than this is sent again with a fresh stamp, nothing lost.
STARTED_MAX_AGE_SECONDS = 60 * 60 * 24

_signer = signing.Signer(salt="orgs.antiabuse.started")


def started_token(at=None):
    """A signed stamp of when a form was shown (now by default), unique to this showing.

    The random part tells apart two people who opened the form in the same second: each stamp
    can be claimed once.
    """
    return _signer.sign(f"{int(time.time() if at is None else at)}.{secrets.token_hex(8)}")


def seconds_since(token):
    """Seconds since the stamp was made, or None when it is missing, forged or malformed."""
    try:
        started = int(_signer.unsign(token or "").partition(".")[0])
    except (signing.BadSignature, ValueError):
        return None
    return time.time() - started


class AntiAbuseFormMixin(forms.Form):
    """A honeypot and a signed start time; `is_bot` tells the view to store nothing."""

    homepage = forms.CharField(
        label="Leave this field empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    too_fast_message = (
        "That was quicker than a person can fill in this form. Please check your answers "
        "and send it again."
    )
    stale_message = "This form had expired. Please check your answers and send it again."
    used_message = (
        "We already have this form: it was sent once and is waiting for a moderator. To send "
        "another, check your answers and send it again."
    )

    # False for a form only a person holding a single-use link can reach (a maintainer's).
    guarded = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_bot = False

    def clean(self):
        # Errors are added rather than raised, so the form's own checks still run and a person
        # sees every problem at once.
        cleaned = super().clean()
        if not self.guarded:
            return cleaned
        if cleaned.get(HONEYPOT_FIELD):
            self.is_bot = True
            self.add_error(None, forms.ValidationError("Not sent.", code="honeypot"))
            return cleaned
        age = seconds_since(cleaned.get(STARTED_FIELD))
        if age is None or age > STARTED_MAX_AGE_SECONDS:
            self.add_error(None, forms.ValidationError(self.stale_message, code="stale"))
        elif age < settings.SUBMISSION_MIN_FILL_SECONDS:
            self.add_error(None, forms.ValidationError(self.too_fast_message, code="too_fast"))
        return cleaned

    def claim_started(self):
        """Claim the form's stamp for the submission about to be stored: True the first time.

        When it was claimed before, the form gets an error saying so (and, once refreshed, a
        stamp it can be sent with). Call only on a valid form.
        """
        stamp = limits.key("stamp", self.cleaned_data[STARTED_FIELD])
        if limits.claim(stamp, STARTED_MAX_AGE_SECONDS):
            return True
        self.add_error(None, forms.ValidationError(self.used_message, code="used"))
        return False

    def release_started(self):
        """Give the stamp back, when what it was claimed for could not be stored."""
        limits.release(limits.key("stamp", self.cleaned_data[STARTED_FIELD]))

    def refresh_started(self):
        """Stamp the form again so that, shown anew, it can be sent after a person checks it."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data[STARTED_FIELD] = started_token()


def client_fingerprint(request):
    """A keyed hash of the client's address, for counting only; the address itself is dropped."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and len(forwarded) >= proxies:
        # Behind our proxies, the client is the address the outermost one added; anything to
        # its left was sent by the client and can be forged.
        address = forwarded[-proxies]
    return salted_hmac("orgs.antiabuse.client", address, algorithm="sha256").hexdigest()[:32]


def rate_limit_exceeded(request, scope="submissions"):
    """Count this request; return seconds to wait when over the limit, else 0.

    The window is an hour from the client's first post.
    """
    limit = settings.SUBMISSION_RATE_LIMIT
    if limit <= 0:
        return 0
    counted = limits.hit(limits.key(scope, client_fingerprint(request)), RATE_WINDOW_SECONDS)
    if counted.count > limit:
        return max(counted.reset_in, 1)
    return 0
