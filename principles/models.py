from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ethicalmap.markdown import StoresRenderedMarkdown
from ethicalmap.validators import WebURLField
from principles.querysets import AssessmentQuerySet, EndorsementQuerySet, PrincipleQuerySet

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
LEVEL_RANGE = Q(level__gte=1, level__lte=5)


class MaturityLevel(models.Model):
    """A step of the maturity model, from 1 (aware) to 5 (leading)."""

    level = models.PositiveSmallIntegerField(unique=True, validators=LEVEL_VALIDATORS)
    name = models.CharField(max_length=60)
    description = models.TextField()

    class Meta:
        ordering = ["level"]
        constraints = [models.CheckConstraint(condition=LEVEL_RANGE, name="maturity_level_1_to_5")]

    def __str__(self):
        return f"{self.level}. {self.name}"


class Principle(StoresRenderedMarkdown, models.Model):
    """A product principle: what a product team does to mitigate an unintended consequence."""

    markdown_fields = {"body": "body_html"}

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft for community review"
        ADOPTED = "adopted", "Adopted by the community"
        RETIRED = "retired", "Retired"

    slug = models.SlugField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=400)
    body = models.TextField(blank=True, help_text="Markdown.")
    body_html = models.TextField(blank=True, editable=False)
    mitigates = models.ManyToManyField(
        "taxonomy.Term",
        blank=True,
        related_name="principles",
        limit_choices_to={"vocabulary__slug": "consequences"},
        help_text="The unintended consequences this principle mitigates.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PrincipleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("principles:detail", kwargs={"slug": self.slug})


class Practice(models.Model):
    """A concrete action a product team takes to follow a principle."""

    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="practices")
    text = models.CharField(max_length=400)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["principle", "order", "pk"]

    def __str__(self):
        return self.text


class LevelDescriptor(models.Model):
    """What a maturity level looks like for one principle."""

    principle = models.ForeignKey(Principle, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)
    description = models.CharField(max_length=500)

    history = HistoricalRecords()

    class Meta:
        ordering = ["principle", "level"]
        constraints = [
            models.UniqueConstraint(fields=["principle", "level"], name="descriptor_unique_level"),
            models.CheckConstraint(condition=LEVEL_RANGE, name="descriptor_level_1_to_5"),
        ]

    def __str__(self):
        return f"{self.principle}: level {self.level}"


class Assessment(models.Model):
    """An organisation's self-assessment against one principle, public once a moderator approves."""

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded by a newer assessment"
        WITHDRAWN = "withdrawn", "Withdrawn"

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="assessments"
    )
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="assessments")
    level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)
    evidence = models.TextField(max_length=5_000, blank=True)
    evidence_url = WebURLField(max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.PUBLISHED)
    assessed_on = models.DateField()
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    # Who changed it and when: a moderator's decision on it leaves a row (principles/services.py).
    history = HistoricalRecords()
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "principle__order"]
        constraints = [
            models.CheckConstraint(condition=LEVEL_RANGE, name="assessment_level_1_to_5"),
            models.UniqueConstraint(
                fields=["organisation", "principle"],
                condition=Q(status="published"),
                name="assessment_one_published_per_principle",
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.principle} at level {self.level}"


class Endorsement(models.Model):
    """An organisation's public commitment to a principle."""

    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="endorsements"
    )
    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="endorsements")
    statement = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PUBLISHED)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["principle__order", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "principle"], name="endorsement_unique_per_principle"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} endorses {self.principle}"
