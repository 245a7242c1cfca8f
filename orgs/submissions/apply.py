"""How an approved submission's data is written to the map.

Called by orgs.submissions.services inside the decision's transaction, with the submission
locked. An edit writes only the fields the member changed, read against what they were shown; a
new organisation is published only when nothing on the map is the same organisation.
"""

import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from orgs.models import Organisation, Relationship, Submission, VerifiedBy
from orgs.querysets import Likeness
from orgs.submissions.fields import (
    ARCHIVING_PROBLEMS,
    FIELD_LABELS,
    HELP_FIELDS,
    KEPT,
    SCALAR_FIELDS,
    SET_FIELDS,
    SHOWN,
    TERM_FIELDS,
    edit_conflicts,
    edit_rows,
    entry_version,
    merged,
    organisation_as_data,
)

MAX_SLUG_ATTEMPTS = 100


class EditConflict(ValidationError):
    """The entry changed, since the member saw it, in fields the edit changes too."""

    def __init__(self, fields):
        self.fields = fields
        labels = ", ".join(FIELD_LABELS.get(f, f) for f in fields)
        super().__init__(
            f"The entry changed since the member saw it, in fields the edit changes too "
            f"({labels}): open the submission, choose for each, and approve from there.",
            code="edit_conflict",
        )


class DuplicateEntry(ValidationError):
    """A new organisation that is already on the map: it is merged, not published twice."""

    def __init__(self, name, found):
        self.organisation = found[0][0]
        self.found = found
        matches = "; ".join(f"“{org.name}” ({why})" for org, why in found)
        super().__init__(
            f"“{name}” is already on the map as {matches}: merge it into that entry instead.",
            code="duplicate",
        )


def mark_verified(org, moderator):
    """Verified today: by the moderator deciding, or, when none decides (a maintainer's change
    published at once), by the organisation."""
    org.last_verified = timezone.localdate()
    org.verified_by = VerifiedBy.MODERATOR if moderator is not None else VerifiedBy.ORGANISATION


def lock_organisation(pk):
    return Organisation.objects.select_for_update().get(pk=pk)


def _terms(slugs, vocabulary):
    from taxonomy.models import Term

    return list(Term.objects.in_vocabulary(vocabulary).filter(slug__in=slugs or []))


def save_organisation(org, moderator):
    org._history_user = moderator
    org.full_clean()
    org.save()


def _insert_with_unique_slug(org, moderator):
    """Save a new organisation under a free slug: its name's, else with -2, -3 … appended.

    Two organisations of the same name (which a moderator said are different) approved at the
    same time may pick the same slug; the database's unique constraint then refuses the
    second, which tries the next suffix in a savepoint.
    """
    base = slugify(org.name)[:100].strip("-") or "organisation"
    org._history_user = moderator
    org.slug = base
    org.full_clean(exclude=["slug"])
    taken = set(
        Organisation.objects.filter(slug__regex=rf"^{re.escape(base)}(-[0-9]+)?$").values_list(
            "slug", flat=True
        )
    )
    candidates = [base] + [f"{base}-{n}" for n in range(2, MAX_SLUG_ATTEMPTS + 2)]
    for slug in candidates:
        if slug in taken:
            continue
        org.slug = slug
        try:
            with transaction.atomic():
                org.save()
        except IntegrityError:
            org.pk = None
            taken.add(slug)
            continue
        return org
    raise ValidationError(f"No free address for “{org.name}”: choose another name.")


def _set_relationships(org, links):
    """The entry's links to published organisations made exactly `links`."""
    wanted = {(link["kind"], link["organisation"]) for link in links or []}
    targets = {
        o.slug: o for o in Organisation.objects.published().filter(slug__in={s for _, s in wanted})
    }
    current = {
        (rel.kind, rel.target.slug): rel
        for rel in org.outgoing.filter(target__status=Organisation.Status.PUBLISHED).select_related(
            "target"
        )
    }
    for key, rel in current.items():
        if key not in wanted:
            rel.delete()
    for kind, slug in sorted(wanted):
        target = targets.get(slug)
        if target is None or (kind, slug) in current or target.pk == org.pk:
            continue  # archived since it was proposed, already there, or a self-link
        relationship = Relationship(source=org, target=target, kind=kind)
        relationship.full_clean()
        relationship.save()


def write_sets(org, targets):
    """Set each many-valued field named in `targets` (terms, help, tags, links) to its values."""
    for key, vocabulary in TERM_FIELDS.items():
        if key in targets:
            kept = list(org.terms.exclude(vocabulary__slug=vocabulary))
            org.terms.set(kept + _terms(targets[key], vocabulary))
    for key in HELP_FIELDS:
        if key in targets:
            getattr(org, key).set(_terms(targets[key], "help"))
    if "tags" in targets:
        org.tags.set([t for t in targets["tags"] or [] if t])
    if "relationships" in targets:
        _set_relationships(org, targets["relationships"])


def sets_of(data, current, shown):
    """Each many-valued field of `data`, merged with the entry as `current` has it."""
    return {
        key: merged(key, current.get(key), None if shown is None else shown.get(key), data[key])
        for key in SET_FIELDS
        if key in data
    }


def scalar_values(data, fields=SCALAR_FIELDS):
    values = {}
    for field in fields:
        if field in data:
            value = data[field]
            values[field] = value if value is not None or field == "founded" else ""
    return values


def lock_publication(likeness):
    """Hold, until the transaction ends, what approving a new organisation publishes under.

    One PostgreSQL advisory lock for each of its website host, its name as compared and its
    registration numbers, taken in order: two approvals that could publish the same
    organisation share a key, so the second waits for the first to commit and then sees its
    entry. SQLite needs none: its transactions take the write lock when they begin.
    """
    if connection.vendor != "postgresql":
        return
    keys = {
        f"{kind}:{value}"
        for kind, value in (
            ("host", likeness.host),
            ("name", likeness.key),
            ("charity", likeness.charity_number),
            ("company", likeness.company_number),
        )
        if value
    }
    with connection.cursor() as cursor:
        for key in sorted(keys):
            digest = hashlib.sha256(f"orgs.publish:{key}".encode()).digest()
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], signed=True)]
            )


def _refuse_duplicates(submission, distinct_from):
    data = submission.data
    lock_publication(
        Likeness(
            data.get("name"),
            data.get("website"),
            data.get("charity_number"),
            data.get("company_number"),
        )
    )
    found = Organisation.objects.duplicates_of(
        name=data.get("name"),
        website=data.get("website"),
        charity_number=data.get("charity_number"),
        company_number=data.get("company_number"),
        exclude=distinct_from,
    )
    if found:
        raise DuplicateEntry(data.get("name"), found)


def _flag_pending_twins(submission, org):
    """Point the queue's other pending submissions of the same organisation at the new entry."""
    twins = Submission.objects.pending_duplicates_of(
        name=submission.data.get("name"), website=submission.data.get("website"), exclude=submission
    )
    # A twin another moderator is deciding right now is locked (and, waiting for this
    # publication's lock, would deadlock with us): it is left alone, being decided anyway.
    free = Submission.objects.filter(
        pk__in=[twin.pk for twin in twins], possible_duplicate_of__isnull=True
    ).select_for_update(skip_locked=True)
    Submission.objects.filter(pk__in=list(free.values_list("pk", flat=True))).update(
        possible_duplicate_of=org
    )


def apply_new(submission, moderator, *, distinct_from=(), **_):
    _refuse_duplicates(submission, distinct_from)
    org = Organisation(**scalar_values(submission.data))
    mark_verified(org, moderator)
    _insert_with_unique_slug(org, moderator)
    write_sets(org, sets_of(submission.data, {}, None))
    submission.data = {**submission.data, "published_as": org.slug}
    if distinct_from:
        slugs = Organisation.objects.filter(pk__in=distinct_from).values_list("slug", flat=True)
        submission.data["distinct_from"] = sorted(slugs)
    _flag_pending_twins(submission, org)
    return org


def apply_edit(submission, moderator, *, entry_seen=None, overwrite=(), **_):
    """Write the fields the member changed, and only those.

    A field the entry changed too since the member saw it is a conflict: it is written only
    when a moderator who saw the entry as it is now chose the proposed value (`overwrite`),
    and kept as it is otherwise. Many-valued fields take the member's additions and removals.
    """
    org = lock_organisation(submission.organisation_id)
    data = submission.data
    current = organisation_as_data(org)
    conflicts = edit_conflicts(data, current)
    if conflicts and entry_seen != entry_version(org):
        raise EditConflict(conflicts)
    kept = [key for key in conflicts if key not in overwrite]
    changing = {row["key"] for row in edit_rows(data, current) if row["status"] != "already"} - set(
        kept
    )
    for field, value in scalar_values(data, [f for f in SCALAR_FIELDS if f in changing]).items():
        setattr(org, field, value)
    mark_verified(org, moderator)
    save_organisation(org, moderator)
    shown = data.get(SHOWN)
    sets = {key: data[key] for key in SET_FIELDS if key in changing}
    overwritten = {key: data[key] for key in sets if key in conflicts}
    write_sets(org, {**sets_of(sets, current, shown), **overwritten})
    if kept:
        submission.data = {**data, KEPT: kept}
    return org


def apply_report(submission, moderator, **_):
    org = lock_organisation(submission.organisation_id)
    if submission.data.get("problem") in ARCHIVING_PROBLEMS:
        org.status = Organisation.Status.ARCHIVED
    mark_verified(org, moderator)
    save_organisation(org, moderator)
    return org


def apply_assessment(submission, moderator, **_):
    from principles.models import Principle
    from principles.services import assessment_publish, endorsement_publish
    from resources.services import cite_case_studies

    org = lock_organisation(submission.organisation_id)
    data = submission.data
    slugs = {a["principle"] for a in data.get("assessments", [])} | set(
        data.get("endorsements", [])
    )
    principles = Principle.objects.in_bulk(slugs, field_name="slug")
    assessed_on = timezone.localtime(submission.created).date()
    for item in data.get("assessments", []):
        principle = principles.get(item["principle"])
        if principle is None:
            continue  # retired and deleted since
        assessment = assessment_publish(
            organisation=org,
            principle=principle,
            level=item["level"],
            evidence=item.get("evidence", ""),
            evidence_url=item.get("evidence_url", ""),
            assessed_on=assessed_on,
        )
        cite_case_studies(assessment=assessment, slugs=item.get("case_studies", []))
    for slug in data.get("endorsements", []):
        if slug in principles:
            endorsement_publish(
                organisation=org, principle=principles[slug], statement=data.get("statement", "")
            )
    return org


def apply_claim(submission, moderator, **_):
    """Make the claim's sender the entry's maintainer; they are emailed a link."""
    from orgs.maintain.services import maintainer_from_claim  # it writes submissions too

    return maintainer_from_claim(submission=submission, moderator=moderator)


def apply_resource(submission, moderator, **_):
    """Publish a shared resource; its publisher is linked when an organisation on the map has
    exactly that name. The submission keeps the slug it was published as."""
    from resources.services import resource_create

    name = submission.data.get("publisher_name") or ""
    publishers = (
        list(Organisation.objects.published().filter(name__iexact=name)[:2]) if name else []
    )
    resource = resource_create(
        data=submission.data,
        moderator=moderator,
        publisher=publishers[0] if len(publishers) == 1 else None,
    )
    submission.data = {**submission.data, "resource_published_as": resource.slug}
    return resource


APPLY = {
    Submission.Kind.NEW: apply_new,
    Submission.Kind.EDIT: apply_edit,
    Submission.Kind.REPORT: apply_report,
    Submission.Kind.ASSESSMENT: apply_assessment,
    Submission.Kind.ENDORSEMENT: apply_assessment,
    Submission.Kind.CLAIM: apply_claim,
    Submission.Kind.RESOURCE: apply_resource,
}
