"""Load the starter content in `ethicalmap/starter_data/`.

Loading creates what is missing and never overwrites a moderator's edit, so it is idempotent and
safe on a database that already has an older version of the starter data. For an organisation
that exists, it fills only what is empty there and was never edited by a moderator:

- a field, when no moderator's change in the organisation's history touched that field (history
  rows with a user; one that created the entry counts as touching every field);
- a vocabulary of its classification (consequences, activities, themes, sectors, offers), when
  it has no term of that vocabulary and no moderator ever changed the organisation at all: the
  history does not record links to terms, so a moderator's edit anywhere may have been one.
"""

import csv
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ethicalmap.starter_fill import empty_to_fill, moderator_edits, save_filled
from ethicalmap.starter_resources import load_resources
from orgs.models import Organisation, OrgType, Region, Relationship
from principles.models import LevelDescriptor, MaturityLevel, Practice, Principle
from taxonomy.models import Term, Vocabulary

DATA_DIR = Path(__file__).resolve().parent / "starter_data"

# The CSV's wording, mapped to our choices.
ORG_TYPES = {
    "charity": OrgType.CHARITY,
    "social enterprise": OrgType.SOCIAL_ENTERPRISE,
    "cooperative": OrgType.COOPERATIVE,
    "company": OrgType.COMPANY,
    "public body": OrgType.PUBLIC_BODY,
    "academic": OrgType.ACADEMIC,
    "network/community": OrgType.NETWORK,
    "funder": OrgType.FUNDER,
    "trade body": OrgType.TRADE_BODY,
}
# The ITL1 names (as in the data since its second version), and the first version's spellings.
REGIONS = {
    "": "",
    **{label: value for value, label in Region.choices},
    "North East England": Region.NORTH_EAST,
    "North West England": Region.NORTH_WEST,
    "Yorkshire and the Humber": Region.YORKSHIRE,
    "South East England": Region.SOUTH_EAST,
    "South West England": Region.SOUTH_WEST,
    "Netherlands (outside UK)": Region.INTERNATIONAL,
}
# Organisations based outside the UK (the data says "International"); the rest are in GB.
COUNTRIES = {"green-web-foundation": "NL"}
# The CSV columns of classification terms: (column, vocabulary, relation on Organisation).
CLASSIFICATION = [
    ("consequences", "consequences", "terms"),
    ("activities", "activities", "terms"),
    ("themes", "themes", "terms"),
    ("sectors", "sectors", "terms"),
    ("offers", "help", "offers"),
]
# The first version called two partnerships `collaborates`; such a link is the same link.
SAME_LINK_KINDS = {Relationship.Kind.PARTNER: [Relationship.Kind.COLLABORATES]}


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    filled: set = field(default_factory=set)  # slugs of organisations with fields filled
    classified: set = field(default_factory=set)  # ... with classification terms added
    terms_added: int = 0
    kept: set = field(default_factory=set)  # ... with something left as a moderator made it
    resources_filled: set = field(default_factory=set)  # slugs of resources filled or linked
    resources_kept: set = field(default_factory=set)  # ... left as a moderator made them

    def add(self, label, count):
        if not count:
            return
        self.created[label] = self.created.get(label, 0) + count

    @property
    def changed(self):
        return bool(self.created or self.filled or self.classified or self.resources_filled)

    def __str__(self):
        parts = []
        if self.created:
            created = ", ".join(f"{count} {label}" for label, count in self.created.items())
            parts.append(f"created {created}")
        if self.filled:
            parts.append(f"filled empty fields of {len(self.filled)} organisations")
        if self.classified:
            parts.append(
                f"added {self.terms_added} classification links to "
                f"{len(self.classified)} organisations"
            )
        if self.resources_filled:
            parts.append(f"filled empty fields of {len(self.resources_filled)} resources")
        if not parts:
            parts.append("up to date")
        if self.kept:
            parts.append(
                f"left {len(self.kept)} organisations edited by a moderator as they are "
                f"({', '.join(sorted(self.kept))})"
            )
        if self.resources_kept:
            parts.append(
                f"left {len(self.resources_kept)} resources edited by a moderator as they are "
                f"({', '.join(sorted(self.resources_kept))})"
            )
        return "; ".join(parts)


def load_taxonomy(report):
    data = tomllib.loads((DATA_DIR / "taxonomy.toml").read_text(encoding="utf-8"))
    for vocab_data in data["vocabulary"]:
        vocabulary, created = Vocabulary.objects.get_or_create(
            slug=vocab_data["slug"],
            defaults={
                "name": vocab_data["name"],
                "description": vocab_data.get("description", ""),
                "order": vocab_data.get("order", 0),
            },
        )
        report.add("vocabularies", int(created))
        for position, term_data in enumerate(vocab_data.get("term", []), start=1):
            if Term.objects.filter(slug=term_data["slug"]).exists():
                continue
            parent_slug = term_data.get("parent")
            term = Term(
                vocabulary=vocabulary,
                parent=Term.objects.get(slug=parent_slug) if parent_slug else None,
                slug=term_data["slug"],
                name=term_data["name"],
                definition=term_data["definition"],
                description=term_data.get("description", "").strip(),
                synonyms=term_data.get("synonyms", ""),
                order=term_data.get("order", position),
            )
            term.full_clean()
            term.save()
            report.add("terms", 1)


def load_principles(report):
    data = tomllib.loads((DATA_DIR / "principles.toml").read_text(encoding="utf-8"))
    for level_data in data["maturity_level"]:
        _, created = MaturityLevel.objects.get_or_create(
            level=level_data["level"],
            defaults={"name": level_data["name"], "description": level_data["description"]},
        )
        report.add("maturity levels", int(created))
    for position, principle_data in enumerate(data["principle"], start=1):
        if Principle.objects.filter(slug=principle_data["slug"]).exists():
            continue
        principle = Principle(
            slug=principle_data["slug"],
            order=principle_data.get("order", position),
            title=principle_data["title"],
            summary=principle_data["summary"],
            body=principle_data.get("body", "").strip(),
            status=principle_data.get("status", Principle.Status.DRAFT),
        )
        principle.full_clean()
        principle.save()
        principle.mitigates.set(Term.objects.filter(slug__in=principle_data.get("mitigates", [])))
        Practice.objects.bulk_create(
            Practice(principle=principle, text=text, order=order)
            for order, text in enumerate(principle_data.get("practices", []), start=1)
        )
        LevelDescriptor.objects.bulk_create(
            LevelDescriptor(principle=principle, level=level, description=text)
            for level, text in enumerate(principle_data.get("levels", []), start=1)
        )
        report.add("principles", 1)


STATUSES = {"active": Organisation.Status.PUBLISHED, "closed": Organisation.Status.ARCHIVED}
YES_NO = {"yes": True, "no": False}
# The fields the CSV gives that loading fills on an existing organisation where they are empty.
# (The status and country always have a value; the coordinates go in as a pair.)
FILLABLE = [
    "name",
    "summary",
    "website",
    "org_type",
    "founded",
    "city",
    "region",
    "latitude",
    "longitude",
    "charity_number",
    "company_number",
    "area_served",
    "needs_verification",
    "source_urls",
]


def _read_csv(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _float_or_none(value):
    return float(value) if value.strip() else None


def _areas_served():
    """Where the organisations that do not work across the whole UK work (by slug)."""
    return {row["slug"]: row["area_served"].split(";") for row in _read_csv("areas_served.csv")}


def _field_values(row, areas):
    """An organisation's fields as the starter data gives them."""
    return {
        "name": row["name"],
        "summary": row["description"],
        "website": row["website"],
        "org_type": ORG_TYPES[row["org_type"]],
        "founded": int(row["founded"]) if row["founded"].strip() else None,
        "city": row["city"],
        "region": REGIONS[row["region"]],
        "country": COUNTRIES.get(row["slug"], "GB"),
        "latitude": _float_or_none(row["latitude"]),
        "longitude": _float_or_none(row["longitude"]),
        "charity_number": row["charity_number"],
        "company_number": row["company_number"],
        "area_served": areas.get(row["slug"], [Region.UK_WIDE]),
        "needs_verification": YES_NO[row["needs_verification"]],
        "source_urls": "\n".join(row["source_urls"].split()),
    }


def _classification(row, terms):
    """{relation: {vocabulary: [terms]}} of a row, each slug checked against its vocabulary."""
    wanted = {}
    for column, vocabulary, relation in CLASSIFICATION:
        for slug in filter(None, row[column].split(";")):
            term = terms.get(slug)
            if term is None or term.vocabulary.slug != vocabulary:
                raise ValueError(f"{row['slug']}: {slug!r} is not a term of {vocabulary}.")
            wanted.setdefault(relation, {}).setdefault(vocabulary, []).append(term)
    return wanted


def _classified_vocabularies(organisations):
    """{(pk, relation): vocabulary slugs it has a term of} for the given organisations."""
    found = {}
    pks = [o.pk for o in organisations]
    for relation in {relation for _, _, relation in CLASSIFICATION}:
        links = getattr(Organisation, relation).through.objects.filter(organisation_id__in=pks)
        for pk, vocabulary in links.values_list("organisation_id", "term__vocabulary__slug"):
            found.setdefault((pk, relation), set()).add(vocabulary)
    return found


def _create_organisation(row, values, classification, report):
    organisation = Organisation(
        slug=row["slug"], status=STATUSES[row["status"]], last_verified=None, **values
    )
    # The database enforces the model's constraints; checking each one first is a query apiece.
    organisation.full_clean(validate_constraints=False)
    organisation.save()
    report.add("organisations", 1)
    for relation, by_vocabulary in classification.items():
        getattr(organisation, relation).add(*(t for ts in by_vocabulary.values() for t in ts))


def _fill_fields(organisation, values, edited, report):
    fill, kept = empty_to_fill(organisation, values, FILLABLE, edited)
    if kept:
        report.kept.add(organisation.slug)
    if ("latitude" in fill) != ("longitude" in fill):  # a moderator set or cleared the other
        fill.pop("latitude", None)
        fill.pop("longitude", None)
    if fill:
        save_filled(organisation, fill)
        report.filled.add(organisation.slug)


def _fill_classification(organisation, classification, has, touched, report):
    for relation, by_vocabulary in classification.items():
        for vocabulary, terms in by_vocabulary.items():
            if vocabulary in has.get((organisation.pk, relation), ()):
                continue
            if touched:
                report.kept.add(organisation.slug)
                continue
            getattr(organisation, relation).add(*terms)
            report.terms_added += len(terms)
            report.classified.add(organisation.slug)


def load_organisations(report):
    """Create the missing organisations; fill what is empty and a moderator never edited."""
    rows = _read_csv("organisations.csv")
    areas = _areas_served()
    terms = {term.slug: term for term in Term.objects.select_related("vocabulary")}
    existing = {
        o.slug: o for o in Organisation.objects.filter(slug__in=[row["slug"] for row in rows])
    }
    edits = moderator_edits(Organisation, existing.values(), FILLABLE)
    has = _classified_vocabularies(existing.values())
    for row in rows:
        values = _field_values(row, areas)
        classification = _classification(row, terms)
        organisation = existing.get(row["slug"])
        if organisation is None:
            _create_organisation(row, values, classification, report)
            continue
        edited = edits.get(organisation.pk)
        _fill_fields(organisation, values, edited or set(), report)
        _fill_classification(organisation, classification, has, edited is not None, report)


def load_relationships(report):
    """Add the links that are missing: no link of that kind (or its old name) between the two."""
    organisations = {o.slug: o for o in Organisation.objects.all()}
    for row in _read_csv("relationships.csv"):
        source, target = organisations[row["source"]], organisations[row["target"]]
        kinds = [row["kind"], *SAME_LINK_KINDS.get(row["kind"], [])]
        if Relationship.objects.filter(source=source, target=target, kind__in=kinds).exists():
            continue
        relationship = Relationship(
            source=source, target=target, kind=row["kind"], note=row["note"]
        )
        relationship.full_clean(validate_constraints=False)
        relationship.save()
        report.add("relationships", 1)


@transaction.atomic
def load_starter_data():
    """Create whatever part of the starter content is missing, fill what is empty and was never
    edited by a moderator; return a LoadReport."""
    report = LoadReport()
    load_taxonomy(report)
    load_principles(report)
    load_organisations(report)
    load_relationships(report)
    load_resources(report)
    return report
