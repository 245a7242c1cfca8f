"""Load the starter content in `ethicalmap/starter_data/`.

Loading creates what is missing and leaves what exists alone, so it is idempotent and never
overwrites a moderator's edits. Each loader returns how many rows it created.
"""

import csv
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

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
REGIONS = {
    "": ("", "GB"),
    "North East England": (Region.NORTH_EAST, "GB"),
    "North West England": (Region.NORTH_WEST, "GB"),
    "Yorkshire and the Humber": (Region.YORKSHIRE, "GB"),
    "East Midlands": (Region.EAST_MIDLANDS, "GB"),
    "West Midlands": (Region.WEST_MIDLANDS, "GB"),
    "East of England": (Region.EAST, "GB"),
    "London": (Region.LONDON, "GB"),
    "South East England": (Region.SOUTH_EAST, "GB"),
    "South West England": (Region.SOUTH_WEST, "GB"),
    "Wales": (Region.WALES, "GB"),
    "Scotland": (Region.SCOTLAND, "GB"),
    "Northern Ireland": (Region.NORTHERN_IRELAND, "GB"),
    "Netherlands (outside UK)": (Region.INTERNATIONAL, "NL"),
}
# Rows whose facts the gatherers were least sure of: a moderator checks them first.
TO_VERIFY = {
    "full-fact",
    "worker-info-exchange",
    "cast",
    "cdei-rtau",
    "digital-communities-wales",
    "citizens-online",
    "open-data-institute",
    "ada-lovelace-institute",
    "institute-for-strategic-dialogue",
}


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)

    def add(self, label, count):
        if not count:
            return
        self.created[label] = self.created.get(label, 0) + count

    def __str__(self):
        return ", ".join(f"{count} {label}" for label, count in self.created.items())


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


def _float_or_none(value):
    return float(value) if value.strip() else None


def load_organisations(report):
    consequences = {t.slug: t for t in Term.objects.in_vocabulary("consequences")}
    with (DATA_DIR / "organisations.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    existing = set(Organisation.objects.values_list("slug", flat=True))
    for row in rows:
        if row["slug"] in existing:
            continue
        region, country = REGIONS[row["region"]]
        organisation = Organisation(
            slug=row["slug"],
            name=row["name"],
            summary=row["description"],
            website=row["website"],
            org_type=ORG_TYPES[row["org_type"]],
            city=row["city"],
            region=region,
            country=country,
            latitude=_float_or_none(row["latitude"]),
            longitude=_float_or_none(row["longitude"]),
            charity_number=row["charity_number"],
            company_number=row["company_number"],
            status=(
                Organisation.Status.ARCHIVED
                if row["status"] == "closed"
                else Organisation.Status.PUBLISHED
            ),
            needs_verification=row["slug"] in TO_VERIFY,
            source_urls="\n".join(row["source_urls"].split()),
            last_verified=None,
        )
        organisation.full_clean()
        organisation.save()
        organisation.terms.set(
            consequences[slug] for slug in row["consequences"].split(";") if slug
        )
        report.add("organisations", 1)


def load_relationships(report):
    organisations = {o.slug: o for o in Organisation.objects.all()}
    with (DATA_DIR / "relationships.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            _, created = Relationship.objects.get_or_create(
                source=organisations[row["source"]],
                target=organisations[row["target"]],
                kind=row["kind"],
                defaults={"note": row["note"]},
            )
            report.add("relationships", int(created))


@transaction.atomic
def load_starter_data():
    """Create whatever part of the starter content is missing; return a LoadReport."""
    report = LoadReport()
    load_taxonomy(report)
    load_principles(report)
    load_organisations(report)
    load_relationships(report)
    return report
