"""Counts of published organisations that show the shape of the field, and its gaps.

Plain functions, each one query whatever the number of organisations, over any queryset of
organisations (all published ones by default), so the API's `stats/` endpoint and the insights
page (orgs/insights.py) share them, filtered or not.
"""

import datetime

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from orgs.facets import Taxonomy
from orgs.models import (
    REGION_ONS_CODES,
    VERIFICATION_LIFETIME,
    Organisation,
    OrgType,
    Region,
    SizeBand,
    VerifiedBy,
)
from orgs.querysets import published_q
from principles.models import Assessment, Principle
from taxonomy.models import Term

# Terms that fewer organisations than this work on are gaps in the map.
GAP_THRESHOLD = 3
# An absence by activity ("no organisation works on X through funding") is only stated for an
# area where the data could show the opposite: at least one of the organisations working on it,
# and at least this share of them, have their activities recorded. Below it, an empty cell says
# more about what is missing from the entries than about the field.
RECORDED_SHARE = 0.5
# Kinds of help are what organisations offer or look for, not what they work on: not counted here.
HELP_VOCABULARY = "help"
NO_ACTIVITY = "Activity not recorded"


def _organisations(organisations):
    """The organisations to count: published ones, or the given queryset without its ordering."""
    if organisations is None:
        return Organisation.objects.published()
    return Organisation.objects.filter(pk__in=organisations.order_by().values("pk"))


def _links(organisations):
    """Rows of the organisation-term table of the organisations to count."""
    links = Organisation.terms.through.objects.order_by()
    if organisations is None:
        return links.filter(published_q("organisation"))
    return links.filter(organisation__in=_organisations(organisations).values("pk"))


def organisation_count(organisations=None):
    return _organisations(organisations).count()


def counts_by_term(organisations=None):
    """Every term (other than kinds of help) with how many of the organisations it classifies
    directly, in display order: [{slug, name, vocabulary, parent, count}].

    Counted on the link table alone, grouped by term: an organisation is linked to a term once,
    so no DISTINCT, and no term columns carried through the grouping (which made PostgreSQL sort
    every link row on disk: 280 ms at 10,000 organisations, now a hash of term ids).
    """
    counts = dict(_links(organisations).values_list("term_id").annotate(count=Count("*")))
    terms = Term.objects.ordered().exclude(vocabulary__slug=HELP_VOCABULARY)
    return [
        {
            "slug": term.slug,
            "name": term.name,
            "vocabulary": term.vocabulary.slug,
            "parent": term.parent.slug if term.parent_id else None,
            "count": counts.get(term.pk, 0),
        }
        for term in terms
    ]


def _counts_by_choice(organisations, field, choices):
    counts = dict(
        _organisations(organisations)
        .exclude(**{field: ""})
        .order_by()
        .values_list(field)
        .annotate(count=Count("pk"))
    )
    return [
        {"code": code, "name": name, "count": counts.get(code, 0)} for code, name in choices.choices
    ]


def counts_by_type(organisations=None):
    """Every type of organisation with its count: [{code, name, count}]."""
    return _counts_by_choice(organisations, "org_type", OrgType)


def counts_by_region(organisations=None):
    """Every region with its ONS code and count: [{code, name, ons_code, count}]."""
    return [
        {**row, "ons_code": REGION_ONS_CODES.get(row["code"])}
        for row in _counts_by_choice(organisations, "region", Region)
    ]


def counts_by_founded_year(organisations=None):
    """How many were founded each year, for the years any were: [{year, count}]."""
    rows = (
        _organisations(organisations)
        .exclude(founded=None)
        .order_by()
        .values_list("founded")
        .annotate(count=Count("pk"))
        .order_by("founded")
    )
    return [{"year": year, "count": count} for year, count in rows]


def gaps(term_counts, threshold=GAP_THRESHOLD):
    """The terms of `counts_by_term` without narrower terms that fewer than `threshold`
    organisations work on, fewest first. (A broader term is not a gap while its narrower terms
    are covered: those are counted on their own.)"""
    broader = {term["parent"] for term in term_counts if term["parent"]}
    order = {term["slug"]: position for position, term in enumerate(term_counts)}
    found = [t for t in term_counts if t["slug"] not in broader and t["count"] < threshold]
    return sorted(found, key=lambda t: (t["count"], order[t["slug"]]))


def counts_by_size(organisations=None):
    """Every size band with its count: [{code, name, count}]."""
    return _counts_by_choice(organisations, "size", SizeBand)


def _under(organisations, taxonomy, vocabulary):
    """Each organisation with each broadest term of `vocabulary` it works under, once:
    (organisation_id, root) rows, as SQL and its parameters."""
    # By the vocabulary's slug rather than its term ids: a vocabulary without terms is still SQL.
    pairs = (
        _links(organisations)
        .filter(term__vocabulary__slug=vocabulary)
        .annotate(root=taxonomy.root_case(vocabulary))
        .values("organisation_id", "root")
        .distinct()
    )
    return pairs.query.sql_with_params()


def _count(select, joins, group, params):
    """Rows of `SELECT {select}, COUNT(*) FROM {joins} GROUP BY {group}`.

    The cross-tabulations count pairs made distinct first (an organisation with two terms under
    one area counts once), then joined: no COUNT(DISTINCT) over the product of every term of
    every organisation, which made the database sort it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}, COUNT(*) FROM {joins} GROUP BY {group}", params)
        return cursor.fetchall()


def coverage(organisations=None, taxonomy=None):
    """How many organisations work on each area of concern through each activity, in two queries.

    Every pair of a broadest area and a broadest activity, zeros included, in display order, then
    for each area those with no activity recorded (activity None):
    [{area, area_name, activity, activity_name, count}]. Narrower terms count towards their
    broadest term, and an organisation counts once in a cell however many of its terms fall in it.
    """
    taxonomy = taxonomy or Taxonomy()
    areas, area_params = _under(organisations, taxonomy, "consequences")
    activities, activity_params = _under(organisations, taxonomy, "activities")
    rows = _count(
        "a.root, b.root",
        f"({areas}) a LEFT JOIN ({activities}) b ON a.organisation_id = b.organisation_id",
        "a.root, b.root",
        (*area_params, *activity_params),
    )
    counts = {(area, activity): count for area, activity, count in rows}
    return [
        {
            "area": area.slug,
            "area_name": area.name,
            "activity": activity.slug if activity else None,
            "activity_name": activity.name if activity else NO_ACTIVITY,
            "count": counts.get((area.pk, activity.pk if activity else None), 0),
        }
        for area in taxonomy.roots("consequences")
        for activity in [*taxonomy.roots("activities"), None]
    ]


def _has_activity(taxonomy, column="organisation_id"):
    return Exists(
        Organisation.terms.through.objects.filter(
            organisation_id=OuterRef(column), term_id__in=taxonomy.ids("activities")
        )
    )


def activities_recorded(organisations=None, taxonomy=None):
    """How many organisations have no activity recorded, of all and of those on each area of
    concern, in two queries: {without_activity, by_area: [{area, area_name, organisations,
    with_activity}]}, every area in display order."""
    taxonomy = taxonomy or Taxonomy()
    without = _organisations(organisations).filter(~_has_activity(taxonomy, "pk")).count()
    areas, area_params = _under(organisations, taxonomy, "consequences")
    active = (
        _links(organisations)
        .filter(term__vocabulary__slug="activities")
        .values("organisation_id")
        .distinct()
    )
    active_sql, active_params = active.query.sql_with_params()
    rows = _count(
        "a.root, COUNT(b.organisation_id)",
        f"({areas}) a LEFT JOIN ({active_sql}) b ON a.organisation_id = b.organisation_id",
        "a.root",
        (*area_params, *active_params),
    )
    counts = {area: (total, with_activity) for area, with_activity, total in rows}
    return {
        "without_activity": without,
        "by_area": [
            {
                "area": area.slug,
                "area_name": area.name,
                "organisations": counts.get(area.pk, (0, 0))[0],
                "with_activity": counts.get(area.pk, (0, 0))[1],
            }
            for area in taxonomy.roots("consequences")
        ],
    }


def gaps_can_be_told(area):
    """Whether enough of the organisations on an area (a row of `activities_recorded`) have
    their activities recorded for an empty or thin activity to mean something."""
    recorded = area["with_activity"]
    return recorded >= 1 and recorded >= RECORDED_SHARE * area["organisations"]


def coverage_by_type(organisations=None, taxonomy=None):
    """How many organisations of each type work on each area of concern, in one query:
    [{area, area_name, org_type, org_type_name, count}], zeros included."""
    taxonomy = taxonomy or Taxonomy()
    areas, params = _under(organisations, taxonomy, "consequences")
    organisation = connection.ops.quote_name(Organisation._meta.db_table)
    rows = _count(
        "a.root, o.org_type",
        f"({areas}) a JOIN {organisation} o ON o.id = a.organisation_id",
        "a.root, o.org_type",
        params,
    )
    counts = {(area, org_type): count for area, org_type, count in rows}
    return [
        {
            "area": area.slug,
            "area_name": area.name,
            "org_type": code,
            "org_type_name": str(name),
            "count": counts.get((area.pk, code), 0),
        }
        for area in taxonomy.roots("consequences")
        for code, name in OrgType.choices
    ]


def _quarter(day):
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _quarters(first, last):
    year, quarter = first.year, (first.month - 1) // 3
    while (year, quarter) <= (last.year, (last.month - 1) // 3):
        yield f"{year}-Q{quarter + 1}"
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)


def growth(organisations=None):
    """Organisations added and verified per quarter, every quarter from the first to the last
    with either, in two queries: [{quarter: "2024-Q1", added, verified}]."""
    found = _organisations(organisations).order_by()
    added = found.annotate(quarter=TruncQuarter("created")).values("quarter")
    verified = (
        found.exclude(last_verified=None)
        .annotate(quarter=TruncQuarter("last_verified"))
        .values("quarter")
    )
    counts = {}
    for name, rows in (("added", added), ("verified", verified)):
        for row in rows.annotate(count=Count("pk")).values_list("quarter", "count"):
            day = row[0].date() if isinstance(row[0], datetime.datetime) else row[0]
            counts.setdefault(day, {})[name] = row[1]
    if not counts:
        return []
    by_quarter = {}
    for day, row in counts.items():
        totals = by_quarter.setdefault(_quarter(day), {"added": 0, "verified": 0})
        for name, count in row.items():
            totals[name] += count
    return [
        {"quarter": quarter, **by_quarter.get(quarter, {"added": 0, "verified": 0})}
        for quarter in _quarters(min(counts), max(counts))
    ]


def maturity(organisations=None):
    """How many approved self-assessments put each public principle at each level (1 to 5),
    in two queries: [{principle, title, level, count}], zeros included."""
    rows = (
        Assessment.objects.public()
        .filter(organisation__in=_organisations(organisations).values("pk"))
        .values("principle", "level")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {(row["principle"], row["level"]): row["count"] for row in rows}
    return [
        {
            "principle": principle.slug,
            "title": principle.title,
            "level": level,
            "count": counts.get((principle.pk, level), 0),
        }
        for principle in Principle.objects.live().order_by("order", "title")
        for level in range(1, 6)
    ]


def freshness(organisations=None, today=None):
    """How many organisations were verified in the last 12 months (and of those, how many by
    the organisation itself and by a moderator), earlier, or never, in one query:
    {organisations, verified_recently, verified_recently_by_organisation,
    verified_recently_by_moderator, verified_earlier, never_verified, share_verified_recently}."""
    since = (today or timezone.localdate()) - VERIFICATION_LIFETIME
    recent = Q(last_verified__gte=since)
    by_organisation = Q(verified_by=VerifiedBy.ORGANISATION)
    counts = _organisations(organisations).aggregate(
        organisations=Count("pk"),
        verified_recently=Count("pk", filter=recent),
        verified_recently_by_organisation=Count("pk", filter=recent & by_organisation),
        # An entry verified before anyone recorded who did it was verified by a moderator.
        verified_recently_by_moderator=Count("pk", filter=recent & ~by_organisation),
        never_verified=Count("pk", filter=Q(last_verified=None)),
    )
    total = counts["organisations"]
    return {
        **counts,
        "verified_earlier": total - counts["verified_recently"] - counts["never_verified"],
        "share_verified_recently": round(counts["verified_recently"] / total, 3) if total else 0,
    }


def summary(organisations=None, threshold=GAP_THRESHOLD):
    """Every count at once, in a fixed number of queries (eighteen)."""
    by_term = counts_by_term(organisations)
    taxonomy = Taxonomy()
    return {
        "organisations": organisation_count(organisations),
        "by_term": by_term,
        "by_theme": [term for term in by_term if term["vocabulary"] == "themes"],
        "by_type": counts_by_type(organisations),
        "by_region": counts_by_region(organisations),
        "by_founded_year": counts_by_founded_year(organisations),
        "gap_threshold": threshold,
        "gaps": gaps(by_term, threshold),
        "by_size": counts_by_size(organisations),
        "coverage": coverage(organisations, taxonomy),
        "activities_recorded": activities_recorded(organisations, taxonomy),
        "coverage_by_type": coverage_by_type(organisations, taxonomy),
        "growth": growth(organisations),
        "maturity": maturity(organisations),
        "freshness": freshness(organisations),
    }
