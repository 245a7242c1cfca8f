"""Reads of the moderators' queue."""

from django.db import models

from orgs.querysets import DUPLICATE_CANDIDATES, Likeness


class SubmissionQuerySet(models.QuerySet):
    def pending(self):
        """Submissions waiting for a moderator."""
        return self.filter(status="pending")

    def pending_duplicates_of(self, *, name, website, exclude=None):
        """Pending `new` submissions that propose the same website or a near-identical name."""
        likeness = Likeness(name, website)
        query = likeness.query(name_field="data__name", website_field="data__website")
        if not query:
            return []
        candidates = self.pending().filter(kind="new").filter(query)
        if exclude is not None:
            candidates = candidates.exclude(pk=exclude.pk)
        found = []
        for submission in candidates.order_by("created")[:DUPLICATE_CANDIDATES]:
            data = submission.data or {}
            if likeness.matches(data.get("name"), data.get("website")):
                found.append(submission)
        return found
