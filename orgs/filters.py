"""The organisation filters, shared by the directory pages, the maps and the API.

Repeating a term-like parameter (`term=a&term=b`) asks for organisations that have all of them; a
broader term includes its narrower terms, so `term=data-privacy` also finds organisations
classified under `surveillance`.
"""

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from orgs.facets import FILTER_LABELS
from orgs.models import Organisation, OrgType, Region
from orgs.search import (
    RANK_ORDER,
    in_rank_order,
    normalise_query,
    ranked_keys,
    search_organisations,
)
from taxonomy.models import Term

SORTS = {
    "relevance": None,  # by search rank when searching, else by name
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "newest": ("-created", "-pk"),
    "verified": ("-last_verified", "name", "pk"),
}
SORT_CHOICES = [
    ("relevance", "Relevance"),
    ("name", "Name (A to Z)"),
    ("-name", "Name (Z to A)"),
    ("newest", "Newest"),
    ("verified", "Recently verified"),
]


class TermSlugFilter(django_filters.ModelMultipleChoiceFilter):
    """Repeatable term slugs; every one must match (narrower terms included)."""

    def __init__(self, *args, vocabulary=None, relation="terms", **kwargs):
        queryset = Term.objects.in_vocabulary(vocabulary) if vocabulary else Term.objects.all()
        self.relation = relation
        super().__init__(*args, queryset=queryset, to_field_name="slug", **kwargs)

    def filter(self, qs, value):
        # No choice is `queryset.none()`: asking it for its truth would build its SQL, six
        # filters on every request.
        if value is None or isinstance(value, QuerySet) and value.query.is_empty():
            return qs
        # A subquery on the link table for each term: no join, so no DISTINCT over every column
        # of the organisations, which cost more than the filter itself at 100,000.
        tree = self.queryset.tree()
        for term in value:
            qs = qs.classified_under(sorted(tree.descendants([term.pk])), self.relation)
        return qs


class BoundingBoxField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            min_lon, min_lat, max_lon, max_lat = (float(part) for part in value.split(","))
        except ValueError:
            raise ValidationError(
                "Give the box as four numbers: minlon,minlat,maxlon,maxlat.", code="invalid"
            ) from None
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise ValidationError(
                "The box must have minlon <= maxlon within -180..180 and minlat <= maxlat "
                "within -90..90.",
                code="invalid",
            )
        return (min_lon, min_lat, max_lon, max_lat)


class MomentField(forms.Field):
    """A date or an ISO 8601 timestamp, as an aware datetime. A date is its first moment, and a
    date or timestamp without an offset is read in the site's time zone (TIME_ZONE)."""

    default_error_messages = {
        "invalid": "Give a date (2026-01-31) or an ISO 8601 timestamp "
        "(2026-01-31T09:30:00Z, 2026-01-31T09:30:00+01:00)."
    }
    # An unencoded "+" in a query string arrives as a space: "2026-01-31T09:30:00 01:00".
    SPACED_OFFSET = re.compile(r"(T[\d:.,]+) (\d\d(?::?\d\d)?)$")

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        value = self.SPACED_OFFSET.sub(r"\1+\2", value)
        try:
            moment = parse_datetime(value)  # a bare date too, as its midnight
            if moment is None:
                raise ValueError(value)
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return moment.astimezone(datetime.UTC)  # a year the database can hold
        except (ValueError, OverflowError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class MomentFilter(django_filters.Filter):
    field_class = MomentField


class BoundingBoxFilter(django_filters.Filter):
    field_class = BoundingBoxField

    def filter(self, qs, value):
        if not value:
            return qs
        min_lon, min_lat, max_lon, max_lat = value
        return qs.filter(
            longitude__gte=min_lon,
            longitude__lte=max_lon,
            latitude__gte=min_lat,
            latitude__lte=max_lat,
        )


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search", max_length=200)
    term = TermSlugFilter(label="Works on")
    vocabulary = django_filters.CharFilter(
        method="filter_vocabulary", label="Has a term of vocabulary", max_length=60
    )
    theme = TermSlugFilter(vocabulary="themes", label="Theme")
    activity = TermSlugFilter(vocabulary="activities", label="Activity")
    sector = TermSlugFilter(vocabulary="sectors", label="Sector")
    offers = TermSlugFilter(vocabulary="help", relation="offers", label="Offers")
    looking_for = TermSlugFilter(vocabulary="help", relation="looking_for", label="Looking for")
    # Columns of the organisation itself: no join, so no DISTINCT (django-filter's default for
    # multiple choices), which made PostgreSQL compare every column of every row it listed.
    type = django_filters.MultipleChoiceFilter(
        field_name="org_type", choices=OrgType.choices, label="Type", distinct=False
    )
    region = django_filters.MultipleChoiceFilter(
        choices=Region.choices, label="Region", distinct=False
    )
    tag = django_filters.CharFilter(method="filter_tag", label="Tag", max_length=100)
    updated_since = MomentFilter(field_name="updated", lookup_expr="gte")
    verified_since = django_filters.DateFilter(field_name="last_verified", lookup_expr="gte")
    has_location = django_filters.BooleanFilter(method="filter_has_location")
    bbox = BoundingBoxFilter(label="Bounding box (minlon,minlat,maxlon,maxlat)")
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="filter_sort", label="Sort by", empty_label=None
    )

    class Meta:
        model = Organisation
        fields = []

    # A list sets this to show a search's best matches only (orgs.search.BEST_MATCHES); a map
    # or a count of a search takes every match.
    best_matches = None

    def get_form_class(self):
        # django-filter makes a form class, and a form field for every filter, for every request:
        # 4 ms of an API list's 30 at 10,000. They depend on the filter set's class alone, so
        # each class makes them once; each form still gets its own copies of the fields.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_search(self, queryset, name, value):
        # Searched last, in `qs`, within every other filter: the best matches of a search in a
        # region are the region's best, not the region's share of the best overall.
        return queryset

    def filter_vocabulary(self, queryset, name, value):
        # The API's filter too: there `value` is a Vocabulary, here a slug.
        return queryset.classified_in(value)

    def filter_tag(self, queryset, name, value):
        # One tag is on an organisation once: the join gives each organisation once, no DISTINCT.
        return queryset.filter(tags__slug=value.strip().lower())

    def filter_has_location(self, queryset, name, value):
        return queryset.filter(latitude__isnull=not value)

    def filter_sort(self, queryset, name, value):
        # Sorting is applied last, in `qs`, once the search has annotated its rank.
        return queryset

    # When `best_matches` is set and a search given: the keys of its best matches, best first,
    # and whether more match. None and False otherwise.
    ranked_keys = None
    more_matches = False

    @property
    def searched(self):
        """The filtered organisations, searched (and annotated with `rank`) when a search is
        given; found once per filter set."""
        if not hasattr(self, "_searched"):
            queryset = super().qs
            # Invalid parameters are left out of cleaned_data; the valid ones still apply.
            text = self.search_text()
            if text and self.best_matches is not None:
                keys = ranked_keys(queryset, text, self.best_matches + 1)
                self.ranked_keys = keys[: self.best_matches]
                self.more_matches = len(keys) > self.best_matches
                queryset = in_rank_order(queryset, self.ranked_keys)
            elif text:
                queryset = search_organisations(queryset, text)
            self._searched = queryset
        return self._searched

    def search_text(self):
        """The words searched for, as the search reads them; empty when none."""
        cleaned = getattr(self.form, "cleaned_data", {})
        return normalise_query(cleaned.get("search") or cleaned.get("q") or "")

    @property
    def qs(self):
        queryset = self.searched  # validates the form first
        cleaned = getattr(self.form, "cleaned_data", {})
        order = SORTS.get(cleaned.get("sort") or "relevance")
        if order is None:
            order = RANK_ORDER if self.search_text() else ("name", "pk")
        return queryset.order_by(*order)

    @property
    def invalid_fields(self):
        """Names of the parameters that were given but not understood (for a friendly note)."""
        return sorted(self.errors) if self.is_bound else []


def _chosen(value):
    if isinstance(value, QuerySet):  # terms: none chosen is `.none()`, known without a query
        return not value.query.is_empty()
    return value not in (None, "", [], ())


def has_active_filters(filterset):
    """Whether any filter other than sorting narrows the result."""
    data = getattr(filterset.form, "cleaned_data", {})
    return any(_chosen(value) for name, value in data.items() if name != "sort")


def filter_organisations(request, *, best_matches=None):
    """The published organisations the request's filters leave, and the filterset behind them;
    of a search, the best `best_matches` if given."""
    filterset = OrganisationFilter(request.GET, queryset=Organisation.objects.published())
    filterset.best_matches = best_matches
    return filterset, filterset.qs


def filter_notes(filterset):
    """Plain-language notes for filter values we did not understand (they are left out)."""
    notes = []
    for name in filterset.invalid_fields:
        label = FILTER_LABELS.get(name, name.replace("_", " ").capitalize())
        values = ", ".join(f"“{v}”" for v in filterset.data.getlist(name))
        notes.append(f"{label}: we do not know {values}, so that filter was left out.")
    return notes
