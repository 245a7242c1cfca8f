"""The resource filters, shared by the library's page and the API.

A broader area of concern includes its narrower terms: `area=data-privacy` also finds resources
about `surveillance`.
"""

import django_filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from principles.models import Principle
from resources.models import Resource
from taxonomy.models import Term

CONSEQUENCES = "consequences"
COST_CHOICES = [("free", "Free"), ("paid", "Paid")]
# A licence the publisher does not state is a choice of its own.
NOT_STATED = "not-stated"


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """One object by its slug; a string in the API's schema."""


class ResourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search", max_length=200)
    kind = django_filters.ChoiceFilter(choices=Resource.Kind.choices, label="Kind")
    area = SlugChoiceFilter(
        queryset=Term.objects.in_vocabulary(CONSEQUENCES),
        to_field_name="slug",
        method="under_area",
        label="Area of concern",
    )
    principle = SlugChoiceFilter(
        queryset=Principle.objects.live(),
        to_field_name="slug",
        field_name="principles",
        label="Principle",
    )
    cost = django_filters.ChoiceFilter(choices=COST_CHOICES, method="by_cost", label="Cost")
    licence = django_filters.CharFilter(method="by_licence", label="Licence", max_length=100)

    class Meta:
        model = Resource
        fields = ["q", "kind", "area", "principle", "cost", "licence"]

    def search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset

    def under_area(self, queryset, name, term):
        pks = sorted(Term.objects.in_vocabulary(CONSEQUENCES).tree().descendants([term.pk]))
        links = Resource.areas.through.objects.filter(term_id__in=pks)
        return queryset.filter(pk__in=links.values("resource_id"))

    def by_cost(self, queryset, name, value):
        return queryset.filter(free=value == "free")

    def by_licence(self, queryset, name, value):
        return queryset.filter(Q(licence="") if value == NOT_STATED else Q(licence=value))


def filter_resources(data, queryset):
    """(filterset, resources): the published resources `data` (a QueryDict) asks for; bad
    values are ignored rather than refused, so a stale link still lists something."""
    filterset = ResourceFilter(data, queryset=queryset)
    if filterset.is_valid():
        return filterset, filterset.qs
    valid = {name: data.get(name) for name in filterset.filters if name not in filterset.errors}
    return filterset, ResourceFilter(valid, queryset=queryset).qs
