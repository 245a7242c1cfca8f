"""The shared library: guides, toolkits, case studies, research, courses, standards, and other
maps and networks, each tied to the areas of concern and principles it helps with.

Resources sit between `principles` and `orgs`: they point at principles and terms, and name an
organisation (the publisher, or the one a case study is about) by the string "orgs.Organisation",
as the self-assessments do; `orgs` may import them.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ethicalmap.validators import WebURLField
from resources.querysets import PUBLISHED, ResourceQuerySet


class Resource(models.Model):
    """A resource that helps product teams avoid an unintended consequence of technology."""

    class Kind(models.TextChoices):
        GUIDE = "guide", "Guide"
        TOOLKIT = "toolkit", "Toolkit"
        CASE_STUDY = "case-study", "Case study"
        RESEARCH = "research", "Research report"
        COURSE = "course", "Course"
        STANDARD = "standard", "Standard"
        MAP = "map-or-network", "Map or network"

    class Status(models.TextChoices):
        PUBLISHED = PUBLISHED, "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    url = WebURLField("address", max_length=500)
    kind = models.CharField(max_length=20, choices=Kind)
    summary = models.CharField(max_length=400, help_text="One or two plain sentences, our words.")
    publisher_name = models.CharField(
        "published by", max_length=200, blank=True, help_text="Who publishes it, as they say."
    )
    publisher = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
        help_text="The publisher's entry, when it is an organisation on the map.",
    )
    areas = models.ManyToManyField(
        "taxonomy.Term",
        blank=True,
        related_name="resources",
        limit_choices_to={"vocabulary__slug": "consequences"},
        help_text="The areas of concern it helps with.",
    )
    principles = models.ManyToManyField(
        "principles.Principle",
        blank=True,
        related_name="resources",
        help_text="The principles it helps put into practice.",
    )
    licence = models.CharField(
        max_length=100, blank=True, help_text="As the publisher states it; empty when not stated."
    )
    free = models.BooleanField(default=True, help_text="Free to use.")
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text="Year published, or of the latest major version.",
    )
    language = models.CharField(
        max_length=10, default="en", help_text="Language code (BCP 47), such as en or cy."
    )
    # A case study: the organisation it is about, the maturity level it evidences, what changed.
    case_organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_studies",
        verbose_name="case study of",
        help_text="For a case study: the organisation on the map it is about.",
    )
    maturity_level = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="For a case study: the maturity level (1 to 5) it evidences.",
    )
    what_changed = models.TextField(
        blank=True, max_length=2000, help_text="For a case study: what changed, in plain words."
    )
    evidence_for = models.ManyToManyField(
        "principles.Assessment",
        blank=True,
        related_name="case_studies",
        help_text="For a case study: the self-assessments that cite it as evidence.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PUBLISHED)
    needs_verification = models.BooleanField(
        default=False, help_text="Facts a moderator should check before relying on them."
    )
    source_urls = models.TextField(
        blank=True, help_text="Where the facts come from, one address per line (moderators only)."
    )
    created = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(maturity_level__isnull=True)
                | models.Q(maturity_level__gte=1, maturity_level__lte=5),
                name="resource_maturity_level_1_to_5",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:detail", kwargs={"slug": self.slug})

    @property
    def publisher_on_map(self):
        """The publisher's entry when the public can see it, else None."""
        return _on_map(self.publisher)

    @property
    def case_organisation_on_map(self):
        """The entry of the organisation a case study is about, when the public can see it."""
        return _on_map(self.case_organisation)

    @property
    def source_url_list(self):
        return self.source_urls.split()

    @property
    def is_case_study(self):
        return self.kind == self.Kind.CASE_STUDY


def _on_map(organisation):
    # The organisations' own rule of what is public, asked of the row already joined.
    if organisation is None or organisation.status != PUBLISHED:
        return None
    return organisation
