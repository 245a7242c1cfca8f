"""Reads for "who can help": organisations offering (or looking for) a kind of help, on an area,
nearest a region first. The API's `near_region` orders by the same nearness."""

from django.db import connection
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When

from orgs.models import Organisation, Region

# How near an organisation is to a region, nearest first.
BASED, WORKS_THERE, ACROSS_UK, ELSEWHERE = 0, 1, 2, 3
DIRECTIONS = {"offers": "offers", "looking": "looking_for"}  # what the visitor asks: relation


def works_in(region):
    """Organisations whose `area_served` names the region."""
    if connection.features.supports_json_field_contains:
        return Q(area_served__contains=[region])
    # SQLite cannot ask a JSON list what it holds; its text holds the value in quotes, and no
    # region's value is inside another's quotes.
    return Q(area_served__icontains=f'"{region}"')


def across_uk():
    """Organisations that work across the whole UK (or are based "UK-wide")."""
    return works_in(Region.UK_WIDE) | Q(region=Region.UK_WIDE)


def with_nearness(queryset, region):
    """Annotate `nearness` to the region: based there, working there, across the UK, elsewhere."""
    return queryset.annotate(
        nearness=Case(
            When(region=region, then=Value(BASED)),
            When(works_in(region), then=Value(WORKS_THERE)),
            When(across_uk(), then=Value(ACROSS_UK)),
            default=Value(ELSEWHERE),
            output_field=IntegerField(),
        )
    )


def who_can_help(*, need, area=None, region=None, direction="offers"):
    """Published organisations that offer (or look for) `need`, working on `area` (a term,
    narrower terms included), nearest `region` first, then by name; each with `matched_areas`,
    its terms that matched the area. Three queries once evaluated (two without an area)."""
    from taxonomy.models import Term

    organisations = Organisation.objects.published().classified_under(
        [need.pk], DIRECTIONS[direction]
    )
    if area is not None:
        tree = Term.objects.filter(vocabulary_id=area.vocabulary_id).tree()
        area_ids = sorted(tree.descendants([area.pk]))
        organisations = organisations.classified_under(area_ids).prefetch_related(
            Prefetch(
                "terms",
                queryset=Term.objects.filter(pk__in=area_ids).order_by("parent_id", "name"),
                to_attr="matched_areas",
            )
        )
    if region:
        return with_nearness(organisations, region).order_by("nearness", "name", "pk")
    return organisations.order_by("name", "pk")


def nearness_counts(organisations):
    """How many of the (nearness-annotated) organisations are near the region, across the UK or
    elsewhere, in one query: {near, across_uk, elsewhere}."""
    return organisations.order_by().aggregate(
        near=Count("pk", filter=Q(nearness__lte=WORKS_THERE)),
        across_uk=Count("pk", filter=Q(nearness=ACROSS_UK)),
        elsewhere=Count("pk", filter=Q(nearness=ELSEWHERE)),
    )
