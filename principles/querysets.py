from django.db import models
from django.db.models import Count, Q


class PrincipleQuerySet(models.QuerySet):
    def public(self):
        """Principles shown to the public: drafts and adopted ones, not retired."""
        return self.exclude(status="retired")

    def with_counts(self):
        """Annotate `endorsement_count`: published endorsements by published organisations."""
        return self.annotate(
            endorsement_count=Count(
                "endorsements",
                filter=Q(
                    endorsements__status="published",
                    endorsements__organisation__status="published",
                ),
                distinct=True,
            )
        )


class AssessmentQuerySet(models.QuerySet):
    def public(self):
        """Approved (published) assessments of published organisations."""
        return self.filter(status="published", organisation__status="published")


class EndorsementQuerySet(models.QuerySet):
    def public(self):
        """Published endorsements of published organisations."""
        return self.filter(status="published", organisation__status="published")
