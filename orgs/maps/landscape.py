"""The landscape: for each area of concern, who works on it, grouped by what they do.

An organisation appears under every area it works on (narrower terms count towards their area)
and, within an area, under each of its activities. However many organisations there are, the page
costs the same handful of queries: counts come from GROUP BY, and each cell shows its first few
organisations by name (see `_cap`), ranked by a window function in the database over the first
CANDIDATES organisations, with "and N more" linking to the filtered directory for the rest.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import DenseRank, Lower

from orgs.facets import organisation_ids
from orgs.models import Organisation

CELL_CAP = 12
MIN_CELL_CAP = 5
AREA_NAMES = 36
# An area whose organisations have no activity recorded has one cell: it may show more of them.
SINGLE_CELL_CAP = 24
CANDIDATES = 2000
NO_ACTIVITY = 0


@dataclass
class Cell:
    activity: object  # a Term, or None for "activity not recorded"
    count: int
    organisations: list = field(default_factory=list)

    @property
    def more(self):
        return max(0, self.count - len(self.organisations))


@dataclass
class Area:
    term: object
    position: int
    count: int = 0
    cells: list = field(default_factory=list)


@dataclass
class Landscape:
    areas: list
    total: int
    unclassified: int

    @property
    def empty_areas(self):
        return [area for area in self.areas if not area.count]


def _rows_ranked(queryset, partition, cap):
    ranked = queryset.annotate(
        rank=Window(
            DenseRank(),
            partition_by=partition,
            order_by=[Lower("organisation__name").asc(), F("organisation_id").asc()],
        )
    ).filter(rank__lte=cap)
    return ranked


def _cap(cells):
    """How many organisations a cell shows, in an area of that many cells.

    An area shows about AREA_NAMES names, however many cells it has, so that a big map keeps
    the shape of the field readable at a glance; the counts say how many more there are.
    """
    if cells <= 1:
        return SINGLE_CELL_CAP
    return min(CELL_CAP, max(MIN_CELL_CAP, AREA_NAMES // cells))


def _first_members(by_activity, without_activity):
    """{(area, activity): [organisation pks]}: the first of each cell by name, ranked in SQL."""
    rows = list(
        _rows_ranked(by_activity, [F("area"), F("activity")], SINGLE_CELL_CAP).values_list(
            "area", "activity", "organisation_id"
        )
    )
    rows += [
        (area, NO_ACTIVITY, org)
        for area, org in _rows_ranked(without_activity, [F("area")], SINGLE_CELL_CAP).values_list(
            "area", "organisation_id"
        )
    ]
    members = {}
    for area, activity, org in rows:
        cell = members.setdefault((area, activity), [])
        if org not in cell:  # an organisation under two terms of one area is ranked twice
            cell.append(org)
    return members


def build_landscape(filtered, taxonomy):
    """The landscape of the filtered organisations."""
    through = Organisation.terms.through
    ids = organisation_ids(filtered)
    area_ids = taxonomy.ids("consequences")
    activity_ids = taxonomy.ids("activities")
    area_case = taxonomy.root_case("consequences")
    has_area = Exists(through.objects.filter(organisation_id=OuterRef("pk"), term_id__in=area_ids))
    has_activity = Exists(
        through.objects.filter(
            organisation_id=OuterRef("organisation_id"), term_id__in=activity_ids
        )
    )

    totals = Organisation.objects.filter(pk__in=ids).aggregate(
        total=Count("pk"), classified=Count("pk", filter=Q(has_area))
    )
    in_areas = through.objects.filter(organisation_id__in=ids, term_id__in=area_ids).annotate(
        area=area_case
    )
    area_counts = {
        row["area"]: (row["count"], row["with_activity"])
        for row in in_areas.annotate(has_activity=has_activity)
        .values("area")
        .annotate(
            count=Count("organisation_id", distinct=True),
            with_activity=Count("organisation_id", distinct=True, filter=Q(has_activity=True)),
        )
    }
    by_activity = in_areas.filter(organisation__terms__in=activity_ids).annotate(
        activity=F("organisation__terms")
    )
    cell_counts = {
        (row["area"], row["activity"]): row["count"]
        for row in by_activity.values("area", "activity").annotate(
            count=Count("organisation_id", distinct=True)
        )
    }
    for area, (count, with_activity) in area_counts.items():
        if count > with_activity:
            cell_counts[(area, NO_ACTIVITY)] = count - with_activity

    without_activity = in_areas.annotate(has_activity=has_activity).filter(has_activity=False)
    members = _cell_members(filtered, taxonomy, cell_counts, by_activity, without_activity)
    return Landscape(
        areas=_areas(taxonomy, area_counts, cell_counts, members),
        total=totals["total"],
        unclassified=totals["total"] - totals["classified"],
    )


def _cell_members(filtered, taxonomy, cell_counts, by_activity, without_activity):
    """{(area, activity): the first organisations of that cell}, as model instances.

    Ranking every row of a big map is slow, so the cells are first filled from the CANDIDATES
    first organisations by name; a cell that holds more organisations than that gave it is then
    ranked in full, on its own.
    """
    first = filtered.order_by("name", "pk").values("pk")[:CANDIDATES]
    members = _first_members(
        by_activity.filter(organisation_id__in=first),
        without_activity.filter(organisation_id__in=first),
    )
    cells_in = {}
    for area, _ in cell_counts:
        cells_in[area] = cells_in.get(area, 0) + 1
    short = {
        key
        for key, count in cell_counts.items()
        if len(members.get(key, ())) < min(count, _cap(cells_in[key[0]]))
    }
    if short:
        short_terms = sorted(taxonomy.tree.descendants(area for area, _ in short))
        extra = _first_members(
            by_activity.filter(term_id__in=short_terms),
            without_activity.filter(term_id__in=short_terms),
        )
        members.update({key: extra.get(key, []) for key in short})
    organisations = Organisation.objects.only("pk", "slug", "name", "org_type", "region").in_bulk(
        {org for cell in members.values() for org in cell}
    )
    return {key: [organisations[pk] for pk in cell] for key, cell in members.items()}


def _areas(taxonomy, area_counts, cell_counts, members):
    """The areas of concern in order, each with its cells and their first organisations."""
    areas = []
    activities = [(t.pk, t) for t in taxonomy.roots("activities")] + [(NO_ACTIVITY, None)]
    for position, term in enumerate(taxonomy.roots("consequences"), start=1):
        area = Area(term=term, position=position, count=area_counts.get(term.pk, (0, 0))[0])
        cells = [
            Cell(activity, cell_counts[(term.pk, key)], members.get((term.pk, key), []))
            for key, activity in activities
            if cell_counts.get((term.pk, key))
        ]
        cap = _cap(len(cells))
        for cell in cells:
            cell.organisations = sorted(
                cell.organisations, key=lambda o: (o.name.casefold(), o.pk)
            )[:cap]
        area.cells = cells
        areas.append(area)
    return areas
