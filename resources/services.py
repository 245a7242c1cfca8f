"""Writes to the library: a shared resource a moderator approved."""

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from principles.models import Principle
from resources.models import Resource
from taxonomy.models import Term

CONSEQUENCES = "consequences"
MAX_SLUG_ATTEMPTS = 100


def resource_create(*, data, moderator, publisher=None):
    """Publish a resource from the data a member sent, recorded as the moderator's change;
    its slug is the title's, numbered when taken."""
    resource = Resource(
        title=data["title"],
        url=data["url"],
        kind=data["kind"],
        summary=data["summary"],
        publisher_name=data.get("publisher_name", ""),
        publisher=publisher,
        licence=data.get("licence", ""),
        free=data.get("free", True),
        year=data.get("year"),
        language=data.get("language") or "en",
    )
    resource._history_user = moderator
    base = slugify(data["title"])[:100] or "resource"
    with transaction.atomic():
        for attempt in range(1, MAX_SLUG_ATTEMPTS + 1):
            resource.slug = base if attempt == 1 else f"{base}-{attempt}"
            if Resource.objects.filter(slug=resource.slug).exists():
                continue
            resource.full_clean()
            try:
                with transaction.atomic():
                    resource.save()
            except IntegrityError:
                continue  # taken in the meantime
            break
        else:
            raise IntegrityError(f"No free slug for {base!r}.")
        resource.areas.set(
            Term.objects.in_vocabulary(CONSEQUENCES).filter(slug__in=data.get("areas", []))
        )
        resource.principles.set(
            Principle.objects.live().filter(slug__in=data.get("principles", []))
        )
    return resource


BROKEN_LINK_REASON = "Link check: {problem} ({url})"


def resource_flag_broken_link(*, resource, url, problem):
    """Flag a published resource whose address is broken for a moderator's check; False when
    it is flagged already (a moderator clears the flag once the address is fixed)."""
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        if locked.needs_verification:
            return False
        locked.needs_verification = True
        locked._change_reason = BROKEN_LINK_REASON.format(problem=problem, url=url)[:100]
        locked.save(update_fields=["needs_verification", "updated"])
    return True


def cite_case_studies(*, assessment, slugs):
    """Link a self-assessment to the published case studies about its organisation that it
    cites; others (withdrawn since, or about someone else) are left out."""
    cited = Resource.objects.published().filter(
        slug__in=slugs,
        kind=Resource.Kind.CASE_STUDY,
        case_organisation_id=assessment.organisation_id,
    )
    assessment.case_studies.add(*cited)
