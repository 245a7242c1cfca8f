import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from ethicalmap.markdown import StoresRenderedMarkdown
from ethicalmap.validators import WebURLField
from orgs import identifiers
from orgs.querysets import PUBLISHED, OrganisationQuerySet, RelationshipQuerySet
from orgs.submissions.querysets import SubmissionQuerySet


class Region(models.TextChoices):
    """The 12 UK ITL1 regions, plus UK-wide and international."""

    NORTH_EAST = "north-east", "North East"
    NORTH_WEST = "north-west", "North West"
    YORKSHIRE = "yorkshire-and-the-humber", "Yorkshire and The Humber"
    EAST_MIDLANDS = "east-midlands", "East Midlands"
    WEST_MIDLANDS = "west-midlands", "West Midlands"
    EAST = "east-of-england", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south-east", "South East"
    SOUTH_WEST = "south-west", "South West"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"
    UK_WIDE = "uk-wide", "UK-wide"
    INTERNATIONAL = "international", "International"


# ONS (GSS) codes of the ITL1 regions, for joining the map to official statistics.
REGION_ONS_CODES = {
    Region.NORTH_EAST: "E12000001",
    Region.NORTH_WEST: "E12000002",
    Region.YORKSHIRE: "E12000003",
    Region.EAST_MIDLANDS: "E12000004",
    Region.WEST_MIDLANDS: "E12000005",
    Region.EAST: "E12000006",
    Region.LONDON: "E12000007",
    Region.SOUTH_EAST: "E12000008",
    Region.SOUTH_WEST: "E12000009",
    Region.WALES: "W92000004",
    Region.SCOTLAND: "S92000003",
    Region.NORTHERN_IRELAND: "N92000002",
}


def validate_area_served(value):
    """A list of Region values without repeats; the whole UK ("uk-wide") stands alone."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Give a list of regions.")
    unknown = sorted(set(value) - set(Region.values))
    if unknown:
        raise ValidationError(f"Not a region: {', '.join(unknown)}.")
    if len(set(value)) != len(value):
        raise ValidationError("Name each region once.")
    if Region.UK_WIDE in value and len(value) > 1:
        raise ValidationError("The whole UK includes every region: name it alone.")


class VerifiedBy(models.TextChoices):
    ORGANISATION = "organisation", "The organisation"
    MODERATOR = "moderator", "A moderator"


# An entry verified longer ago than this is stale: the profile says so and the insights count it
# as not recently verified.
VERIFICATION_LIFETIME = datetime.timedelta(days=365)


class OrgType(models.TextChoices):
    CHARITY = "charity", "Charity"
    SOCIAL_ENTERPRISE = "social-enterprise", "Social enterprise"
    COOPERATIVE = "cooperative", "Co-operative"
    COMPANY = "company", "Company"
    PUBLIC_BODY = "public-body", "Public body"
    ACADEMIC = "academic", "Academic or research institution"
    NETWORK = "network", "Network or community"
    FUNDER = "funder", "Funder"
    TRADE_BODY = "trade-body", "Trade or professional body"
    OTHER = "other", "Other"


class SizeBand(models.TextChoices):
    MICRO = "micro", "1 to 9 people"
    SMALL = "small", "10 to 49 people"
    MEDIUM = "medium", "50 to 249 people"
    LARGE = "large", "250 people or more"


class OrganisationManager(models.Manager.from_queryset(OrganisationQuerySet)):
    def get_queryset(self):
        # The search vector belongs to the database (a trigger keeps it, orgs/search.py queries
        # it); nothing in Python reads it, and it was the widest column every list fetched.
        return super().get_queryset().defer("search_vector")


class Organisation(StoresRenderedMarkdown, models.Model):
    """An organisation on the map."""

    markdown_fields = {"description": "description_html"}

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, help_text="One or two sentences.")
    description = models.TextField(blank=True, max_length=10_000, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    website = WebURLField(max_length=500, blank=True)
    contact_url = WebURLField(
        "public contact page",
        max_length=500,
        blank=True,
        help_text="A public page to get in touch (never an email address).",
    )
    contact_email = models.EmailField(
        blank=True, help_text="Private: for moderators only, never shown or exported."
    )
    org_type = models.CharField("type", max_length=30, choices=OrgType, blank=True)
    size = models.CharField(max_length=10, choices=SizeBand, blank=True)
    founded = models.PositiveSmallIntegerField(
        "year founded",
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=30, choices=Region, blank=True)
    # Where it works, not where it is based. A list of Region values rather than a link table:
    # it reads and exports as it is, and a whole-UK organisation is ["uk-wide"] (see README).
    area_served = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_area_served],
        help_text='The whole UK (["uk-wide"]), or the nations and regions it serves; empty when '
        "not known.",
    )
    country = models.CharField(
        max_length=2, default="GB", help_text="ISO 3166-1 alpha-2 code, such as GB or NL."
    )
    latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    charity_number = models.CharField(max_length=12, blank=True)
    company_number = models.CharField(max_length=12, blank=True)
    terms = models.ManyToManyField(
        "taxonomy.Term",
        blank=True,
        related_name="organisations",
        help_text="Consequence areas, themes, activities and sectors the organisation works on.",
    )
    offers = models.ManyToManyField(
        "taxonomy.Term",
        blank=True,
        related_name="offered_by",
        limit_choices_to={"vocabulary__slug": "help"},
        help_text="Help the organisation offers others.",
    )
    looking_for = models.ManyToManyField(
        "taxonomy.Term",
        blank=True,
        related_name="sought_by",
        limit_choices_to={"vocabulary__slug": "help"},
        help_text="Help the organisation is looking for.",
    )
    tags = TaggableManager(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PUBLISHED)
    last_verified = models.DateField(
        null=True, blank=True, help_text="When the entry was last confirmed correct."
    )
    verified_by = models.CharField(
        max_length=12,
        choices=VerifiedBy,
        blank=True,
        help_text="Who confirmed the entry on that date: the organisation or a moderator.",
    )
    # Kept by orgs.maintain.services in the transaction that starts or ends a maintainer, so the
    # public record reads it as a column. Who maintains it is never public.
    maintained = models.BooleanField(default=False, editable=False)
    needs_verification = models.BooleanField(
        default=False, help_text="Facts a moderator should check before relying on them."
    )
    source_urls = models.TextField(
        blank=True, help_text="Where the facts come from, one address per line (moderators only)."
    )
    is_synthetic = models.BooleanField(
        default=False, editable=False, help_text="Made up by seed_demo for testing; not real."
    )
    # Kept current by the database on PostgreSQL (a trigger over name, summary, description and
    # tags, see migration 0003); unused on SQLite. Read only through orgs/search.py.
    search_vector = SearchVectorField(null=True, editable=False)
    # A default rather than auto_now_add, so imports and the demo data can keep their own dates.
    created = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["contact_email", "search_vector"])
    objects = OrganisationManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="org_coordinates_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="org_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="org_longitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(founded__isnull=True) | Q(founded__gte=1800, founded__lte=2100),
                name="org_founded_plausible",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "name"], name="org_status_name_idx"),
            # A region (and type) among the published, with the key: a filtered list is counted
            # and its keys read from this index and the link tables' (term, organisation) index
            # alone, never the rows (at 100,000, a term in a region: 17 ms to count, now 2).
            models.Index(
                fields=["region", "org_type", "id"],
                condition=Q(status=PUBLISHED),
                name="org_published_region_idx",
            ),
            models.Index(fields=["status", "org_type"], name="org_status_type_idx"),
            models.Index(fields=["status", "-created"], name="org_status_created_idx"),
            models.Index(fields=["status", "-last_verified"], name="org_status_verified_idx"),
            models.Index(fields=["updated"], name="org_updated_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        for field, normalise in (
            ("charity_number", identifiers.normalise_charity_number),
            ("company_number", identifiers.normalise_company_number),
        ):
            try:
                setattr(self, field, normalise(getattr(self, field)))
            except ValidationError as error:
                errors[field] = error
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = "Give both latitude and longitude, or neither."
        if errors:
            raise ValidationError(errors)

    @property
    def identifiers(self):
        """Every org-id (org-id.guide) the organisation's numbers give."""
        return identifiers.org_identifiers(self.charity_number, self.company_number)

    @property
    def org_id(self):
        """The primary org-id: the charity's if registered, else the company's, else ''."""
        ids = self.identifiers
        return ids[0] if ids else ""

    @property
    def ons_region_code(self):
        return REGION_ONS_CODES.get(self.region, "")

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def source_url_list(self):
        return self.source_urls.split()


class SearchEntry(models.Model):
    """A published organisation's name and search words, for ranking a search on PostgreSQL.

    Ranking reads the words of every match. From the organisations' rows, at 100,000 that is
    most of a 132 MB table for a common word; this narrow copy is a quarter of it. A trigger on
    the organisations keeps it, in the writing statement (migration 0012): one entry for each
    published organisation, none for the others. Empty on SQLite, whose search does not use it.
    Derived: never edited, exported or shown.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.DO_NOTHING, primary_key=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    search_vector = SearchVectorField()

    class Meta:
        indexes = [GinIndex(fields=["search_vector"], name="search_entry_vector_idx")]

    def __str__(self):
        return self.name


class Relationship(models.Model):
    """A directed link between two organisations: `source` <kind> `target`."""

    class Kind(models.TextChoices):
        PARTNER = "partner", "is a partner of"
        FUNDS = "funds", "funds"
        MEMBER_OF = "member-of", "is a member of"
        SPUN_OUT_OF = "spun-out-of", "was spun out of"
        SUPPLIES = "supplies", "supplies"
        COLLABORATES = "collaborates", "collaborates with"

    source = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="incoming")
    kind = models.CharField(max_length=20, choices=Kind)
    note = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["source__name", "kind", "target__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="relationship_not_to_itself"
            ),
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="relationship_unique_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.get_kind_display()} {self.target}"

    def clean(self):
        super().clean()
        if self.source_id and self.source_id == self.target_id:
            raise ValidationError("An organisation cannot be linked to itself.")


class Submission(models.Model):
    """Something a member of the public sent: nothing in it is public until a moderator approves."""

    class Kind(models.TextChoices):
        NEW = "new", "New organisation"
        EDIT = "edit", "Suggested edit"
        REPORT = "report", "Report"
        ASSESSMENT = "assessment", "Self-assessment"
        ENDORSEMENT = "endorsement", "Endorsement"
        CLAIM = "claim", "Claim to maintain the entry"
        RESOURCE = "resource", "Shared resource"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    kind = models.CharField(max_length=12, choices=Kind)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="submissions",
        help_text="The entry this is about (none for a new organisation or a resource).",
    )
    data = models.JSONField(default=dict, blank=True, help_text="What was proposed.")
    submitter_name = models.CharField(max_length=200, blank=True)
    submitter_email = models.EmailField(blank=True)
    connection = models.CharField(
        "submitter's connection",
        max_length=300,
        blank=True,
        help_text="How the submitter is connected to the organisation (conflict of interest).",
    )
    consent = models.BooleanField(default=False)
    maintainer = models.ForeignKey(
        "orgs.Maintainer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        help_text="Sent by the entry's maintainer (an edit), or the claim to become it.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    possible_duplicate_of = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="An entry already on the map that looks the same.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was rejected (sent to the submitter).")
    personal_data_purged = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    # What was proposed is part of the record (purging personal data scrubs it in history too);
    # the submitter's name and email are not.
    history = HistoricalRecords(excluded_fields=["submitter_name", "submitter_email"])
    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                # A new organisation and a shared resource are about no entry yet.
                condition=Q(kind__in=["new", "resource"], organisation__isnull=True)
                | (~Q(kind__in=["new", "resource"]) & Q(organisation__isnull=False)),
                name="submission_organisation_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(reviewed_at__isnull=False),
                name="submission_decision_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created"], name="submission_queue_idx"),
            models.Index(fields=["kind", "status"], name="submission_kind_status_idx"),
        ]

    def __str__(self):
        about = self.organisation or self.data.get("name") or self.data.get("title") or "unnamed"
        return f"{self.get_kind_display()}: {about}"

    @property
    def is_decided(self):
        return self.status != self.Status.PENDING


# The maintainer of a claimed entry and its links, defined with their feature (orgs/maintain/).
from orgs.maintain.models import Maintainer, MaintainerLink  # noqa: E402, F401
