"""Reads of the principles app: what the public sees of principles, assessments and endorsements.

Principles import nothing of `orgs`: whether an assessment's or an endorsement's organisation is
published is the rule of the organisations' own `published()`, reached through the ForeignKey.
"""

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery

RETIRED = "retired"


def live_q(relation):
    """The rule of `Principle.objects.live()` across a relation: `live_q("principle")`."""
    return ~Q(**{f"{relation}__status": RETIRED})


class PrincipleQuerySet(models.QuerySet):
    def live(self):
        """Principles in use: drafts and adopted ones, not retired."""
        return self.exclude(status=RETIRED)

    def with_counts(self):
        """Annotate `endorsement_count`: public endorsements (by published organisations)."""
        endorsements = self.model._meta.get_field("endorsements").related_model
        return self.annotate(
            endorsement_count=Count(
                "endorsements",
                filter=Q(endorsements__in=endorsements.objects.public()),
                distinct=True,
            )
        )

    def neighbours(self, principle):
        """(previous, next): the principles before and after `principle` in order (one query)."""
        siblings = list(self.order_by("order", "title").only("slug", "title"))
        index = next(i for i, p in enumerate(siblings) if p.pk == principle.pk)
        previous = siblings[index - 1] if index > 0 else None
        return previous, siblings[index + 1] if index + 1 < len(siblings) else None


class _CommitmentQuerySet(models.QuerySet):
    """What assessments and endorsements share: one public rule and the principles' order."""

    def public(self):
        """Published ones, of published organisations, against live principles."""
        organisations = self.model._meta.get_field("organisation").related_model
        return self.filter(
            live_q("principle"),
            status=self.model.Status.PUBLISHED,
            organisation__in=organisations.objects.published(),
        )

    def in_principle_order(self):
        """With their principle joined, in the principles' order."""
        return self.select_related("principle").order_by("principle__order", "principle__title")


class AssessmentQuerySet(_CommitmentQuerySet):
    def level_counts(self):
        """{level: how many of these assessments are at it} (one query)."""
        return dict(self.order_by().values_list("level").annotate(n=Count("pk")))

    def with_level_name(self):
        """Annotate `level_name`: the name of the maturity level the assessment is at."""
        from principles.models import MaturityLevel

        level = MaturityLevel.objects.filter(level=OuterRef("level"))
        return self.annotate(level_name=Subquery(level.values("name")[:1]))


class EndorsementQuerySet(_CommitmentQuerySet):
    def by_organisation_name(self):
        """With their organisation joined, in its name order."""
        return self.select_related("organisation").order_by("organisation__name")
