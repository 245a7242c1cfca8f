"""Counts of published organisations that show the shape of the field, and its gaps.

Plain functions, each one query whatever the number of organisations, over any queryset of
organisations (all published ones by default), so the API's `stats/` endpoint and an insights page
can share them, filtered or not.
"""

from django.db.models import Count, Q

from orgs.models import REGION_ONS_CODES, Organisation, OrgType, Region
from taxonomy.models import Term

# Terms that fewer organisations than this work on are gaps in the map.
GAP_THRESHOLD = 3
# Kinds of help are what organisations offer or look for, not what they work on: not counted here.
HELP_VOCABULARY = "help"


def _organisations(organisations):
    """The organisations to count: published ones, or the given queryset without its ordering."""
    if organisations is None:
        return Organisation.objects.published()
    return Organisation.objects.filter(pk__in=organisations.order_by().values("pk"))


def organisation_count(organisations=None):
    return _organisations(organisations).count()


def counts_by_term(organisations=None):
    """Every term (other than kinds of help) with how many of the organisations it classifies
    directly, in display order: [{slug, name, vocabulary, parent, count}]."""
    if organisations is None:
        counted = Q(organisations__status="published")
    else:
        counted = Q(organisations__in=_organisations(organisations).values("pk"))
    terms = (
        Term.objects.ordered()
        .exclude(vocabulary__slug=HELP_VOCABULARY)
        .annotate(count=Count("organisations", filter=counted, distinct=True))
    )
    return [
        {
            "slug": term.slug,
            "name": term.name,
            "vocabulary": term.vocabulary.slug,
            "parent": term.parent.slug if term.parent_id else None,
            "count": term.count,
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


def summary(organisations=None, threshold=GAP_THRESHOLD):
    """Every count at once, in five queries."""
    by_term = counts_by_term(organisations)
    return {
        "organisations": organisation_count(organisations),
        "by_term": by_term,
        "by_theme": [term for term in by_term if term["vocabulary"] == "themes"],
        "by_type": counts_by_type(organisations),
        "by_region": counts_by_region(organisations),
        "by_founded_year": counts_by_founded_year(organisations),
        "gap_threshold": threshold,
        "gaps": gaps(by_term, threshold),
    }
