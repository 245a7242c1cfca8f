from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ethicalmap.markdown import StoresRenderedMarkdown
from taxonomy.querysets import TermQuerySet, VocabularyQuerySet


def scheme_iri(vocabulary):
    """The IRI of a vocabulary (by slug) as a SKOS concept scheme: its place in the glossary."""
    return settings.SITE_URL + reverse("taxonomy:glossary") + f"#{vocabulary}"


def concept_iri(vocabulary, term):
    """The IRI of a term (by its vocabulary's slug and its own) as a SKOS concept: its page.
    The SKOS export and the organisations' JSON-LD both name a term by this one IRI."""
    return settings.SITE_URL + reverse(
        "taxonomy:term", kwargs={"vocabulary": vocabulary, "term": term}
    )


class Vocabulary(models.Model):
    """A controlled list of terms: consequences, themes, activities, sectors, kinds of help."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "vocabularies"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("taxonomy:glossary") + f"#{self.slug}"

    @property
    def scheme_iri(self):
        return scheme_iri(self.slug)


class Term(StoresRenderedMarkdown, models.Model):
    """A shared definition: one named idea that organisations and principles are classified by."""

    markdown_fields = {"description": "description_html"}

    vocabulary = models.ForeignKey(Vocabulary, on_delete=models.PROTECT, related_name="terms")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="A broader term of the same vocabulary.",
    )
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    definition = models.CharField(
        max_length=400, help_text="One sentence: the shared definition of the term."
    )
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    synonyms = models.CharField(
        max_length=400, blank=True, help_text="Other names people use, separated by commas."
    )
    order = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["vocabulary__order", "order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="term_not_its_own_parent",
            ),
        ]
        indexes = [models.Index(fields=["vocabulary", "order"], name="term_vocab_order_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "taxonomy:term", kwargs={"vocabulary": self.vocabulary.slug, "term": self.slug}
        )

    @property
    def concept_iri(self):
        return concept_iri(self.vocabulary.slug, self.slug)

    @property
    def synonym_list(self):
        return [s.strip() for s in self.synonyms.split(",") if s.strip()]

    def clean(self):
        super().clean()
        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "A term cannot be its own parent."})
        if self.parent.vocabulary_id != self.vocabulary_id:
            raise ValidationError({"parent": "The parent must be in the same vocabulary."})
        seen = {self.pk}
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError({"parent": "This parent would make a cycle of terms."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
