"""The API's filters: the pages' OrganisationFilter, strict about what it accepts.

The pages forgive a parameter they do not understand (and say so); the API answers 400 with the
reason, so a client never mistakes an ignored filter for an empty result. The API also names its
search `search` and its sort `ordering`, as API clients expect.
"""

import django_filters
from django.db.models import F, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from taggit.models import Tag

from orgs import search
from orgs.filters import BoundingBoxFilter, OrganisationFilter, TermSlugFilter
from orgs.help.places import UK_REGIONS
from orgs.help.querysets import with_nearness
from orgs.models import Organisation, Relationship
from orgs.search import RANK_ORDER
from taxonomy.api.filters import VocabularyFilter

ORDERINGS = {
    "relevance": None,  # by search rank when searching, else by name
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "created": ("created", "pk"),
    "-created": ("-created", "-pk"),
    "updated": ("updated", "pk"),
    "-updated": ("-updated", "-pk"),
    # Entries without the value come last either way, on every database.
    "founded": (F("founded").asc(nulls_last=True), "name", "pk"),
    "-founded": (F("founded").desc(nulls_last=True), "name", "pk"),
    "last_verified": (F("last_verified").asc(nulls_last=True), "name", "pk"),
    "-last_verified": (F("last_verified").desc(nulls_last=True), "name", "pk"),
}
BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]

# The shared filters take slugs and text: tell the schema generator, which cannot guess.
extend_schema_field(OpenApiTypes.STR)(TermSlugFilter)
extend_schema_field(OpenApiTypes.STR)(BoundingBoxFilter)


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(django_filters.ModelChoiceFilter):
    """One object, by its slug; an unknown slug is an error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, to_field_name="slug", **kwargs)


class OrganisationAPIFilter(OrganisationFilter):
    q = None  # called `search` here
    sort = None  # called `ordering` here
    search = django_filters.CharFilter(method="filter_search", max_length=200)
    ordering = django_filters.ChoiceFilter(
        choices=[(name, name) for name in ORDERINGS], method="filter_ordering"
    )
    vocabulary = VocabularyFilter(method="filter_vocabulary")
    tag = SlugFilter(queryset=Tag.objects.all(), method="filter_tag")
    has_location = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES, method="filter_has_location"
    )
    # Orders, never narrows: based in the region, then working there, then across the UK, then
    # the others, as /help/ does (orgs/help/querysets.py).
    near_region = django_filters.ChoiceFilter(choices=UK_REGIONS, method="filter_near_region")

    class Meta(OrganisationFilter.Meta):
        pass

    @property
    def best_matches(self):
        """A search lists its best matches (orgs.search.BEST_MATCHES), as the directory does."""
        return search.BEST_MATCHES

    def filter_near_region(self, queryset, name, value):
        return with_nearness(queryset, value)  # ordered by it last, in `qs`

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags=value)  # a tag is on an organisation once: no DISTINCT

    def filter_has_location(self, queryset, name, value):
        return super().filter_has_location(queryset, name, value == "true")

    def filter_ordering(self, queryset, name, value):
        return queryset  # applied last, in `qs`, once the search has annotated its rank

    @property
    def qs(self):
        queryset = self.searched
        cleaned = getattr(self.form, "cleaned_data", {})
        order = ORDERINGS.get(cleaned.get("ordering") or "relevance")
        if order is None:
            order = RANK_ORDER if self.search_text() else ("name", "pk")
        if cleaned.get("near_region"):
            order = ("nearness", *order)
        return queryset.order_by(*order)


class OrganisationStatsFilter(OrganisationAPIFilter):
    """The organisation filters, for counting: no order to choose."""

    ordering = None
    near_region = None
    best_matches = None  # counts every match


class RelationshipFilter(django_filters.FilterSet):
    organisation = SlugFilter(
        queryset=Organisation.objects.published(), method="filter_organisation"
    )
    source = SlugFilter(queryset=Organisation.objects.published())
    target = SlugFilter(queryset=Organisation.objects.published())
    kind = django_filters.MultipleChoiceFilter(choices=Relationship.Kind.choices)

    class Meta:
        model = Relationship
        fields = []

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(Q(source=value) | Q(target=value))
