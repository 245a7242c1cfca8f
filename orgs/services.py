"""Writes to organisations that do not come from a submission."""

from django.db import transaction
from simple_history.utils import bulk_update_with_history

from orgs.models import Organisation


def organisations_mark_for_review(*, organisations, moderator=None):
    """Set `needs_verification` on entries (recorded in their history); return how many."""
    changed = [org for org in organisations if not org.needs_verification]
    for org in changed:
        org.needs_verification = True
    with transaction.atomic():
        bulk_update_with_history(
            changed,
            Organisation,
            ["needs_verification"],
            default_user=moderator,
            default_change_reason="Not verified for a long time (flag_stale)",
        )
    return len(changed)
