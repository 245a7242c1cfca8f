"""Reads of vocabularies and terms, and the tree of broader and narrower terms.

Terms nest to any depth (`Term.clean` only forbids cycles and crossing vocabularies). The term
table is small, a few hundred rows, so the tree is read once as (pk, parent pk) pairs and walked
in Python: a fixed number of queries however deep the terms go. Everything that counts or filters
"a term and its narrower terms" goes through `TermTree`.

Taxonomy imports nothing of the other apps: the organisations classified under a term are
reached through the relations that `orgs` adds to Term (`organisations`, `offered_by`,
`sought_by`), and which of them are public is the rule of their own `published()`.
"""

from django.db import models
from django.db.models import BigIntegerField, Case, Count, F, Q, Value, When


def _published_organisations(term_model, relation="organisations"):
    """The published organisations, reached through a relation to Term (see the module's note)."""
    return term_model._meta.get_field(relation).related_model.objects.published()


class TermTree:
    """Broader and narrower terms at any depth, from (pk, parent pk) pairs."""

    def __init__(self, pairs):
        self.parent = dict(pairs)
        self.children = {}
        for pk, parent in self.parent.items():
            if parent is not None:
                self.children.setdefault(parent, []).append(pk)

    @classmethod
    def from_terms(cls, terms):
        """The tree of terms already read (no query); siblings keep the order they come in."""
        return cls((term.pk, term.parent_id) for term in terms)

    def descendants(self, pks):
        """The given term pks and the pks of every narrower term, at any depth."""
        found = set(pks)
        frontier = list(found)
        while frontier:
            frontier = [c for pk in frontier for c in self.children.get(pk, ()) if c not in found]
            found.update(frontier)
        return found

    def ancestors(self, pk):
        """The pks of the broader terms of `pk`, nearest first."""
        found, seen = [], {pk}
        parent = self.parent.get(pk)
        while parent is not None and parent not in seen:  # a cycle (forbidden) ends the walk
            found.append(parent)
            seen.add(parent)
            parent = self.parent.get(parent)
        return found

    def root_of(self, pk):
        """The pk of the broadest term above `pk` (itself when it has no parent)."""
        ancestors = self.ancestors(pk)
        return ancestors[-1] if ancestors else pk

    def depth(self, pk):
        """0 for a broadest term, 1 for its narrower terms, and so on."""
        return len(self.ancestors(pk))

    def walk(self):
        """(pk, depth) of every term in reading order: each term followed by its narrower terms.

        A term whose parent is not in the tree is read as a broadest term."""
        roots = [pk for pk, parent in self.parent.items() if parent not in self.parent]
        stack = [(pk, 0) for pk in reversed(roots)]
        seen = set()
        while stack:
            pk, depth = stack.pop()
            if pk in seen:
                continue
            seen.add(pk)
            yield pk, depth
            stack.extend((child, depth + 1) for child in reversed(self.children.get(pk, ())))

    def rolled_up(self, column, pks):
        """A SQL expression mapping the term id in `column` to the one of `pks` it falls under.

        The subtrees of `pks` must not overlap (terms of one depth, say); other ids are kept."""
        whens = []
        for pk in pks:
            below = sorted(self.descendants([pk]) - {pk})
            if below:
                whens.append(When(**{f"{column}__in": below}, then=Value(pk)))
        if not whens:
            return F(column)
        return Case(*whens, default=F(column), output_field=BigIntegerField())

    def counts(self, links, pks, *, column="term_id", member="organisation_id"):
        """{pk: distinct `member`s of the `links` rows on the term or a narrower one}, for `pks`.

        One GROUP BY query per depth among `pks`: a row counts towards each broader term, so terms
        of different depths cannot share a query."""
        by_depth = {}
        for pk in pks:
            by_depth.setdefault(self.depth(pk), []).append(pk)
        counts = {}
        for group in by_depth.values():
            rows = (
                links.filter(**{f"{column}__in": sorted(self.descendants(group))})
                .annotate(node=self.rolled_up(column, group))
                .values("node")
                .annotate(count=Count(member, distinct=True))
                .order_by()
            )
            counts.update({row["node"]: row["count"] for row in rows})
        return counts

    def organisation_counts(self, pks=None, relation="organisations"):
        """{pk: published organisations classified under the term or a narrower one}, for `pks`
        (every term of the tree by default): one query per depth."""
        from taxonomy.models import Term

        links = getattr(Term, relation).through.objects.filter(
            organisation__in=_published_organisations(Term, relation)
        )
        return self.counts(links, self.parent if pks is None else pks)


def reading_order(terms):
    """The terms, each followed by its narrower terms at any depth; siblings keep their order."""
    by_pk = {term.pk: term for term in terms}
    return [by_pk[pk] for pk, _ in TermTree.from_terms(terms).walk()]


class VocabularyQuerySet(models.QuerySet):
    def with_terms(self):
        """Vocabularies with their terms prefetched in display order."""
        from taxonomy.models import Term

        return self.prefetch_related(models.Prefetch("terms", queryset=Term.objects.ordered()))


class TermQuerySet(models.QuerySet):
    def ordered(self):
        """Terms in display order, with their vocabulary and parent joined."""
        return self.select_related("vocabulary", "parent").order_by(
            "vocabulary__order", "order", "name"
        )

    def in_vocabulary(self, slug):
        """Terms of the vocabulary with this slug."""
        return self.filter(vocabulary__slug=slug)

    def roots(self):
        """The broadest terms: those without a parent."""
        return self.filter(parent__isnull=True)

    def tree(self):
        """The tree of these terms, read in one query of (pk, parent pk) pairs."""
        return TermTree(self.order_by().values_list("pk", "parent_id"))

    def with_counts(self):
        """Annotate `organisation_count`: published organisations classified under the term
        itself (not its narrower terms)."""
        return self.annotate(
            organisation_count=Count(
                "organisations",
                filter=Q(organisations__in=_published_organisations(self.model)),
                distinct=True,
            )
        )
