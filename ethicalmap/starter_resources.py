"""Load the starter resources of `ethicalmap/starter_data/resources.csv`.

Like the organisations (`ethicalmap/starter.py`): loading creates the missing resources and, for
one that exists, fills only the fields that are empty there and that no moderator's change in its
history touched; its areas and principles only when it has none and no moderator ever changed it
(the history does not record links). Rows the data marks `needs_verification` carry the flag a
moderator works from. Running it again changes nothing.
"""

import csv
from pathlib import Path

from ethicalmap.starter_fill import empty_to_fill, moderator_edits, save_filled
from orgs.models import Organisation
from principles.models import Principle
from resources.models import Resource
from taxonomy.models import Term

CSV = Path(__file__).resolve().parent / "starter_data" / "resources.csv"
CONSEQUENCES = "consequences"
FILLABLE = [
    "title",
    "url",
    "kind",
    "summary",
    "publisher_name",
    "publisher",
    "licence",
    "year",
    "language",
    "needs_verification",
    "source_urls",
]
YES_NO = {"yes": True, "no": False}


def _rows():
    with CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _values(row, organisations):
    return {
        "title": row["title"],
        "url": row["url"],
        "kind": row["kind"],
        "summary": row["summary"],
        "publisher_name": row["publisher"],
        "publisher": organisations.get(row["publisher_org_slug"]),
        "licence": row["licence"],
        "free": YES_NO[row["free"]],
        "year": int(row["year"]) if row["year"].strip() else None,
        "language": row["language"] or "en",
        "needs_verification": YES_NO[row["needs_verification"]],
        "source_urls": "\n".join(row["source_urls"].split()),
    }


def _links(row, terms, principles):
    """(areas, principles) of a row, each slug checked: loading stops on one that is unknown."""
    areas, chosen = [], []
    for slug in filter(None, row["consequences"].split(";")):
        term = terms.get(slug)
        if term is None or term.vocabulary.slug != CONSEQUENCES:
            raise ValueError(f"{row['slug']}: {slug!r} is not a term of {CONSEQUENCES}.")
        areas.append(term)
    for slug in filter(None, row["principles"].split(";")):
        if slug not in principles:
            raise ValueError(f"{row['slug']}: {slug!r} is not a principle.")
        chosen.append(principles[slug])
    return areas, chosen


def _fill(resource, values, edited, report):
    fill, kept = empty_to_fill(resource, values, FILLABLE, edited)
    if kept:
        report.resources_kept.add(resource.slug)
    if fill:
        save_filled(resource, fill)
        report.resources_filled.add(resource.slug)


def _link(resource, areas, principles, touched, report):
    for relation, wanted in (("areas", areas), ("principles", principles)):
        manager = getattr(resource, relation)
        if not wanted or manager.exists():
            continue
        if touched:
            report.resources_kept.add(resource.slug)
            continue
        manager.add(*wanted)
        report.resources_filled.add(resource.slug)


def load_resources(report):
    """Create the missing starter resources; fill what is empty and a moderator never edited."""
    rows = _rows()
    terms = {t.slug: t for t in Term.objects.select_related("vocabulary")}
    principles = {p.slug: p for p in Principle.objects.all()}
    organisations = {
        o.slug: o
        for o in Organisation.objects.filter(
            slug__in=[row["publisher_org_slug"] for row in rows if row["publisher_org_slug"]]
        )
    }
    existing = Resource.objects.in_bulk([row["slug"] for row in rows], field_name="slug")
    edits = moderator_edits(Resource, existing.values(), FILLABLE)
    for row in rows:
        values = _values(row, organisations)
        areas, chosen = _links(row, terms, principles)
        resource = existing.get(row["slug"])
        if resource is None:
            resource = Resource(slug=row["slug"], **values)
            resource.full_clean(validate_constraints=False)
            resource.save()
            resource.areas.set(areas)
            resource.principles.set(chosen)
            report.add("resources", 1)
            continue
        edited = edits.get(resource.pk)
        _fill(resource, values, edited or set(), report)
        _link(resource, areas, chosen, edited is not None, report)
