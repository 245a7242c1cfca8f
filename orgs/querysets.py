from django.db import models
from django.db.models import Count, Prefetch, Q


class OrganisationQuerySet(models.QuerySet):
    def published(self):
        """Organisations the public may see."""
        return self.filter(status="published")

    def with_terms(self):
        """Prefetch every classification a card or profile shows, tags included."""
        from taxonomy.models import Term

        terms = Term.objects.select_related("vocabulary").order_by(
            "vocabulary__order", "order", "name"
        )
        return self.prefetch_related(
            Prefetch("terms", queryset=terms),
            Prefetch("offers", queryset=terms),
            Prefetch("looking_for", queryset=terms),
            "tags",
        )

    def for_directory(self):
        """Published organisations ready to render in a list, in name order."""
        return self.published().with_terms().order_by("name", "pk")

    def with_counts(self):
        """Annotate `relationship_count`: links to or from the organisation."""
        return self.annotate(
            relationship_count=Count("outgoing", distinct=True) + Count("incoming", distinct=True)
        )

    def needing_verification(self, *, older_than):
        """Published organisations never verified, or last verified before `older_than`."""
        return self.published().filter(
            Q(last_verified__isnull=True) | Q(last_verified__lt=older_than)
        )


class RelationshipQuerySet(models.QuerySet):
    def public(self):
        """Relationships whose both ends are published."""
        return self.filter(source__status="published", target__status="published").select_related(
            "source", "target"
        )


class SubmissionQuerySet(models.QuerySet):
    def pending(self):
        """Submissions waiting for a moderator."""
        return self.filter(status="pending")

    def queue(self):
        """The moderators' queue: pending first, oldest first within a status."""
        return self.select_related("organisation", "reviewed_by").order_by(
            models.Case(
                models.When(status="pending", then=0), default=1, output_field=models.IntegerField()
            ),
            "created",
        )
