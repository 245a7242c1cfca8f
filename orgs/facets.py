"""Facets of the directory and the filter forms of the maps.

Every count is an aggregate over the organisations the current filters leave (one query per facet
group, never one per organisation), so the numbers beside a filter say how many of the results
on screen have that value. Term facets roll narrower terms up into their broader term, as the
filter does: `term=data-privacy` also finds organisations classified under `surveillance`.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from taggit.models import Tag, TaggedItem

from orgs.models import Organisation, OrgType, Region
from taxonomy.models import Term
from taxonomy.querysets import TermTree, reading_order

# The term-like parameters of OrganisationFilter: (parameter, label, vocabulary, relation).
TERM_FACETS = [
    ("term", "Area of concern", "consequences", "terms"),
    ("activity", "Activity", "activities", "terms"),
    ("theme", "Theme", "themes", "terms"),
    ("offers", "Offers help with", "help", "offers"),
    ("looking_for", "Looking for help with", "help", "looking_for"),
    ("sector", "Sector served", "sectors", "terms"),
]
CHOICE_FACETS = [("type", "Type of organisation", OrgType), ("region", "Region", Region)]
FACET_VOCABULARIES = {vocabulary for _, _, vocabulary, _ in TERM_FACETS}
TAG_FACET_SIZE = 12
FILTER_LABELS = {
    "q": "Search",
    "tag": "Tag",
    **{param: label for param, label, _, _ in TERM_FACETS},
    **{param: label for param, label, _ in CHOICE_FACETS},
}


@dataclass
class Option:
    value: str
    label: str
    count: int = 0
    selected: bool = False
    children: list = field(default_factory=list)
    hint: str = ""

    def walk(self):
        """The option and, depth first, every narrower option under it."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Facet:
    param: str
    label: str
    options: list
    multiple: bool = True

    @property
    def has_values(self):
        """Whether any option is worth showing: it has organisations, or it is chosen."""
        return any(o.count or o.selected for o in self.options)

    @property
    def selected_count(self):
        return sum(1 for option in self.options for x in option.walk() if x.selected)


class Taxonomy:
    """The terms the facets and filter forms need, read in one query, and their tree."""

    def __init__(self):
        terms = (
            Term.objects.filter(vocabulary__slug__in=FACET_VOCABULARIES)
            .select_related("vocabulary")
            .order_by("vocabulary__order", "order", "name")
        )
        self.by_vocabulary = {}
        self.by_slug = {}
        self.by_pk = {}
        for term in terms:
            self.by_vocabulary.setdefault(term.vocabulary.slug, []).append(term)
            self.by_slug[term.slug] = term
            self.by_pk[term.pk] = term
        self.tree = TermTree.from_terms(self.by_pk.values())

    def roots(self, vocabulary):
        return [t for t in self.by_vocabulary.get(vocabulary, []) if t.parent_id is None]

    def children(self, term):
        return [self.by_pk[pk] for pk in self.tree.children.get(term.pk, ())]

    def root_of(self, term):
        return self.by_pk[self.tree.root_of(term.pk)]

    def root_case(self, vocabulary, column="term_id"):
        """A SQL expression mapping a term id of `vocabulary` (a slug, or several) to its
        broadest term's id."""
        roots = [t.pk for slug in _slugs(vocabulary) for t in self.roots(slug)]
        return self.tree.rolled_up(column, roots)

    def terms_of(self, vocabulary):
        """The terms of `vocabulary`: a slug, or a tuple of slugs."""
        return [term for slug in _slugs(vocabulary) for term in self.by_vocabulary.get(slug, [])]

    def ids(self, vocabulary):
        return [t.pk for t in self.terms_of(vocabulary)]


def _slugs(vocabulary):
    return (vocabulary,) if isinstance(vocabulary, str) else vocabulary


def organisation_ids(filtered):
    """The filtered organisations as a subquery of primary keys, without ordering or annotations."""
    return filtered.order_by().values("pk")


def _through(relation):
    return Organisation._meta.get_field(relation).remote_field.through


def rolled_up_counts(ids, taxonomy, vocabulary, relation="terms"):
    """{broadest term pk: organisations of `ids` under it or a narrower term}, in one query.

    `vocabulary` is a slug or a tuple of slugs: one query counts every vocabulary linked
    through the same `relation` (broadest terms are unique across vocabularies)."""
    roots = [t.pk for slug in _slugs(vocabulary) for t in taxonomy.roots(slug)]
    links = _through(relation).objects.filter(organisation_id__in=ids)
    return taxonomy.tree.counts(links, roots)


def _term_facet(param, label, vocabulary, relation, taxonomy, ids, selected, counts):
    terms = {t.slug: t.pk for t in taxonomy.by_vocabulary.get(vocabulary, [])}
    chosen = {terms[slug] for slug in selected.get(param, []) if slug in terms}
    # Narrower terms are offered once their broader term, or one below it, is chosen (a
    # drill-down, to any depth): a term opens when its subtree holds a choice.
    opened = {pk for term in chosen for pk in [term, *taxonomy.tree.ancestors(term)]}
    shown = [c for pk in opened for c in taxonomy.tree.children.get(pk, ())]
    if shown:
        links = _through(relation).objects.filter(organisation_id__in=ids)
        counts = {**counts, **taxonomy.tree.counts(links, shown)}

    def option(term, hint=""):
        found = Option(term.slug, term.name, counts.get(term.pk, 0), term.pk in chosen, hint=hint)
        if term.pk in opened:
            found.children = [option(child) for child in taxonomy.children(term)]
        return found

    options = [option(root, hint=root.definition) for root in taxonomy.roots(vocabulary)]
    return Facet(param, label, options)


def _choice_facets(filtered, selected):
    """The type and region facets, from one count of the filtered organisations by both.

    Grouped on the filtered query itself (each organisation is in it once: its filters join
    nothing that repeats a row), not on `pk IN (the filtered query)`, which PostgreSQL evaluated
    as a second pass over the matches: for a common word at 100,000, 22 ms instead of 2 x 67."""
    rows = filtered.order_by().values_list("org_type", "region").annotate(count=Count("pk"))
    counts = {"org_type": Counter(), "region": Counter()}
    for org_type, region, count in rows:
        counts["org_type"][org_type] += count
        counts["region"][region] += count
    facets = {}
    for (param, label, choices), field_name in zip(
        CHOICE_FACETS, ["org_type", "region"], strict=True
    ):
        chosen = set(selected.get(param, []))
        options = [
            Option(value, str(name), counts[field_name][value], value in chosen)
            for value, name in choices.choices
        ]
        facets[param] = Facet(param, label, options)
    return facets


def _tag_facet(ids, selected):
    chosen = (selected.get("tag") or [""])[0].strip().lower()
    # The content type by subquery, not a join, and COUNT(*): a tag is on an organisation once
    # (taggit's unique constraint), so no DISTINCT, which sorted every tagging of the matches
    # (130 ms for a filter at 100,000, now 12 ms; 215 ms for a common word, now 44 ms).
    organisations = ContentType.objects.filter(
        app_label=Organisation._meta.app_label, model=Organisation._meta.model_name
    )
    rows = (
        TaggedItem.objects.filter(content_type=organisations.values("pk")[:1], object_id__in=ids)
        .values("tag__slug", "tag__name")
        .annotate(count=Count("*"))
        .order_by("-count", "tag__name")[:TAG_FACET_SIZE]
    )
    options = [
        Option(row["tag__slug"], row["tag__name"], row["count"], row["tag__slug"] == chosen)
        for row in rows
    ]
    if chosen and not any(o.selected for o in options):
        options.insert(0, Option(chosen, chosen, 0, True))
    return Facet("tag", "Tag", options, multiple=False)


# The order people scan in: what, who can help, who, where, then the rest.
DIRECTORY_ORDER = [
    "term", "activity", "offers", "looking_for", "type", "region", "theme", "sector", "tag",
]  # fmt: skip


def directory_facets(filtered, taxonomy, selected):
    """Every facet of the directory with its counts among the filtered organisations.

    `filtered` is their queryset, or a list of their primary keys when the caller holds them:
    each count then reads the link tables by those keys, without finding the organisations again
    (a search's best matches, a short filtered list: orgs/views.py)."""
    if isinstance(filtered, list):
        ids, filtered = filtered, Organisation.objects.filter(pk__in=filtered)
    else:
        ids = organisation_ids(filtered)
    # One count per link table, not per facet: at 100,000 organisations each scan of the link
    # table costs about 90 ms, and four facets share `terms`.
    vocabularies = {}
    for _, _, vocabulary, relation in TERM_FACETS:
        vocabularies.setdefault(relation, []).append(vocabulary)
    counts = {
        relation: rolled_up_counts(ids, taxonomy, tuple(slugs), relation)
        for relation, slugs in vocabularies.items()
    }
    facets = {
        param: _term_facet(
            param, label, vocabulary, relation, taxonomy, ids, selected, counts[relation]
        )
        for param, label, vocabulary, relation in TERM_FACETS
    }
    facets.update(_choice_facets(filtered, selected))
    facets["tag"] = _tag_facet(ids, selected)
    return [facets[param] for param in DIRECTORY_ORDER]


def map_filter_fields(taxonomy, selected):
    """The short filter form of the maps: area, activity, theme, type and region as selects."""
    fields = []
    for param, label, vocabulary, _ in TERM_FACETS[:3]:
        terms = reading_order(taxonomy.by_vocabulary.get(vocabulary, []))
        depths = dict(taxonomy.tree.walk())
        options = [(t.slug, "– " * depths[t.pk] + t.name) for t in terms]
        fields.append((param, label, options))
    fields.extend(
        (param, label, [(value, str(name)) for value, name in choices.choices])
        for param, label, choices in CHOICE_FACETS
    )
    return [
        {
            "param": param,
            "label": label,
            "options": options,
            "value": (selected.get(param) or [""])[0],
        }
        for param, label, options in fields
    ]


def selected_values(querydict):
    """The filter values of a request, by parameter, without blanks."""
    params = [*FILTER_LABELS]
    return {p: [v for v in querydict.getlist(p) if v.strip()] for p in params if p in querydict}


def active_filters(querydict, taxonomy, *, known_only=False):
    """What the visitor has chosen, each with a label and the query string that removes it.

    `known_only` leaves out every value the map does not know (and free-text search), for pages
    other sites frame or show: they must not repeat whatever text a link put in the address.
    """
    labels = {slug: term.name for slug, term in taxonomy.by_slug.items()}
    choice_labels = {"type": dict(OrgType.choices), "region": dict(Region.choices)}
    selected = selected_values(querydict)
    tag_names = {}
    if known_only and selected.get("tag"):
        tag_names = dict(Tag.objects.filter(slug__in=selected["tag"]).values_list("slug", "name"))
    chips = []
    for param, values in selected.items():
        for value in values:
            if param in choice_labels:
                name = choice_labels[param].get(value)
            elif param == "tag":
                name = tag_names.get(value) if known_only else value
            elif param == "q":
                name = None if known_only else value
            else:
                name = labels.get(value)
            if name is None:
                if known_only:
                    continue
                name = value
            remaining = querydict.copy()
            remaining.setlist(param, [v for v in querydict.getlist(param) if v != value])
            remaining.pop("page", None)
            chips.append(
                {
                    "param": param,
                    "label": FILTER_LABELS[param],
                    "code": value,
                    "value": str(name),
                    "remove": remaining.urlencode(),
                }
            )
    return chips
