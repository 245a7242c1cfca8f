"""An organisation keeps its own entry: its maintainer, and the single-use links they act by.

Loaded by orgs/models.py, so the models belong to the `orgs` app. A maintainer has no account
and no password: every action starts from a signed, expiring link sent to their email, and each
link works once (its id is stored, hashed, and marked used under a row lock).
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from orgs.maintain.querysets import MaintainerLinkQuerySet, MaintainerQuerySet


class Maintainer(models.Model):
    """A person who looks after an organisation's entry. Their name and email are private."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", "Claimed, not yet confirmed"
        ACTIVE = "active", "Maintains the entry"
        ENDED = "ended", "No longer maintains it"

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="maintainers"
    )
    name = models.CharField(max_length=200, blank=True, help_text="Private: moderators only.")
    email = models.EmailField(blank=True, help_text="Private: moderators only.")
    role = models.CharField(max_length=200, blank=True, help_text="Their role at the organisation.")
    status = models.CharField(max_length=10, choices=Status, default=Status.CLAIMED)
    created = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(
        null=True, blank=True, help_text="When the yearly reminder was last sent."
    )
    may_publish = models.BooleanField(
        "changes publish at once",
        default=False,
        help_text="A moderator lets this maintainer's changes to the summary, description, "
        "website, contact page, offers and looking for publish at once, reviewed after.",
    )
    personal_data_purged = models.DateTimeField(null=True, blank=True, editable=False)

    # Who maintains an entry, and since when, is kept; their name and email are not.
    history = HistoricalRecords(excluded_fields=["name", "email"])
    objects = MaintainerQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="active"),
                name="maintainer_one_active_per_organisation",
            ),
        ]

    def __str__(self):
        return f"Maintainer of {self.organisation} ({self.get_status_display().lower()})"


class MaintainerLink(models.Model):
    """One emailed link: the hash of its random id, and when it was used (once)."""

    class Purpose(models.TextChoices):
        CLAIM = "claim", "Confirm a claim"
        SIGN_IN = "sign-in", "Sign in"

    maintainer = models.ForeignKey(Maintainer, on_delete=models.CASCADE, related_name="links")
    purpose = models.CharField(max_length=10, choices=Purpose)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = MaintainerLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.get_purpose_display()} link for {self.maintainer.organisation}"
