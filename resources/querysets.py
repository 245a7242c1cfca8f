"""Reads of resources: what the public sees of the shared library."""

from django.db import models
from django.db.models import Prefetch

PUBLISHED = "published"


class ResourceQuerySet(models.QuerySet):
    def published(self):
        """Resources the public sees: published ones (withdrawn ones stay for the history)."""
        return self.filter(status=PUBLISHED)

    def for_listing(self):
        """With what a card shows joined: the publisher, the areas and the principles."""
        terms = self.model._meta.get_field("areas").related_model
        principles = self.model._meta.get_field("principles").related_model
        return self.select_related("publisher").prefetch_related(
            Prefetch(
                "areas",
                queryset=terms.objects.select_related("vocabulary").order_by("order", "name"),
            ),
            Prefetch("principles", queryset=principles.objects.live().order_by("order", "title")),
        )

    def search(self, text):
        """Resources whose title, summary or publisher mention every word of `text`."""
        queryset = self
        for word in text.split()[:10]:
            queryset = queryset.filter(
                models.Q(title__icontains=word)
                | models.Q(summary__icontains=word)
                | models.Q(publisher_name__icontains=word)
            )
        return queryset
