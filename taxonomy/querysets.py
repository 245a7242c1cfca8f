from django.db import models
from django.db.models import Count, Q


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

    def with_counts(self):
        """Annotate `organisation_count`: published organisations classified under the term."""
        return self.annotate(
            organisation_count=Count(
                "organisations",
                filter=Q(organisations__status="published"),
                distinct=True,
            )
        )
