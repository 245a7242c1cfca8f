"""The facets of the library's page: each choice with how many of the listed resources it has."""

from django.db.models import Count

from resources.filters import CONSEQUENCES, COST_CHOICES, NOT_STATED
from resources.models import Resource
from taxonomy.models import Term
from taxonomy.querysets import TermTree


def _options(label, param, data, counts, labels):
    selected = data.get(param) or ""
    return {
        "label": label,
        "param": param,
        "selected": selected,
        "options": [
            {"value": value, "label": label, "count": counts.get(value, 0)}
            for value, label in labels
            if counts.get(value) or value == selected
        ],
    }


def _counts(resources, column):
    rows = resources.order_by().values(column).annotate(n=Count("pk", distinct=True))
    return {row[column]: row["n"] for row in rows}


def resource_facets(resources, principles, data):
    """The facets of the listed `resources`, with the live `principles` to choose from; a fixed
    number of queries whatever the size of the library."""
    listed = resources.values("pk")
    terms = list(Term.objects.in_vocabulary(CONSEQUENCES).ordered())
    tree = TermTree.from_terms(terms)
    roots = [t for t in terms if t.parent_id is None]
    links = Resource.areas.through.objects.filter(resource_id__in=listed)
    by_pk = tree.counts(links, [t.pk for t in roots], member="resource_id")
    area_counts = {t.slug: by_pk.get(t.pk, 0) for t in roots}
    principle_links = Resource.principles.through.objects.filter(resource_id__in=listed)
    principle_counts = _counts(principle_links, "principle__slug")
    free = _counts(resources, "free")
    licences = _counts(resources, "licence")
    licence_counts = {NOT_STATED if k == "" else k: v for k, v in licences.items()}
    cost_counts = {"free": free.get(True, 0), "paid": free.get(False, 0)}
    licence_labels = [(k, k) for k in sorted(licence_counts) if k != NOT_STATED]
    return [
        _options("Kind", "kind", data, _counts(resources, "kind"), Resource.Kind.choices),
        _options("Area of concern", "area", data, area_counts, [(t.slug, t.name) for t in roots]),
        _options(
            "Principle",
            "principle",
            data,
            principle_counts,
            [(p.slug, p.title) for p in principles],
        ),
        _options("Cost", "cost", data, cost_counts, COST_CHOICES),
        _options(
            "Licence",
            "licence",
            data,
            licence_counts,
            [*licence_labels, (NOT_STATED, "Not stated")],
        ),
    ]
