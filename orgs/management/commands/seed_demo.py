"""Make N synthetic organisations for demos, tests and benchmarks.

The rows are deterministic for a given --orgs and --seed, plainly marked as synthetic
(`is_synthetic`, a `demo-` slug, "(demo)" in the name) and never mixed into the starter data:
each run first removes the synthetic rows of the previous one.
"""

import random
from datetime import UTC, date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from taggit.models import Tag, TaggedItem

from ethicalmap.starter import LoadReport, load_taxonomy
from orgs.models import Organisation, OrgType, Region, Relationship, SizeBand
from taxonomy.models import Term

BATCH = 5_000

CITIES = {
    Region.NORTH_EAST: [("Newcastle upon Tyne", 54.978, -1.618), ("Sunderland", 54.906, -1.381)],
    Region.NORTH_WEST: [("Manchester", 53.480, -2.242), ("Liverpool", 53.408, -2.991)],
    Region.YORKSHIRE: [("Leeds", 53.801, -1.549), ("Sheffield", 53.381, -1.470)],
    Region.EAST_MIDLANDS: [("Nottingham", 52.954, -1.158), ("Leicester", 52.637, -1.140)],
    Region.WEST_MIDLANDS: [("Birmingham", 52.486, -1.890), ("Coventry", 52.407, -1.510)],
    Region.EAST: [("Cambridge", 52.205, 0.122), ("Norwich", 52.630, 1.297)],
    Region.LONDON: [("London", 51.507, -0.128)],
    Region.SOUTH_EAST: [("Brighton", 50.822, -0.137), ("Oxford", 51.752, -1.258)],
    Region.SOUTH_WEST: [("Bristol", 51.455, -2.588), ("Exeter", 50.718, -3.534)],
    Region.WALES: [("Cardiff", 51.482, -3.179), ("Swansea", 51.621, -3.944)],
    Region.SCOTLAND: [("Glasgow", 55.864, -4.252), ("Edinburgh", 55.953, -3.189)],
    Region.NORTHERN_IRELAND: [("Belfast", 54.597, -5.930), ("Derry", 54.997, -7.309)],
}
REGION_WEIGHTS = [22, 10, 8, 6, 8, 7, 22, 12, 8, 5, 9, 2]

NAME_A = [
    "Open", "Fair", "Green", "Bright", "Civic", "Common", "Clear", "Kind", "Good", "True",
    "North", "Bold", "Human", "Public", "Shared", "Local", "Free", "Wise", "Safe", "Just",
    "Digital", "Future", "Better", "Ethical", "Honest", "Careful", "Circular", "Mutual",
]  # fmt: skip
NAME_B = [
    "Data", "Code", "Circuit", "Signal", "Bridge", "Commons", "Compass", "Lantern", "Harbour",
    "Orchard", "Thread", "Loom", "Beacon", "Meadow", "Forge", "Spark", "Field", "River",
    "Garden", "Network", "Pixel", "Node", "Archive", "Library", "Workshop", "Atlas", "Seed",
]  # fmt: skip
NAME_C = [
    "Collective", "Co-op", "Labs", "Trust", "Foundation", "Project", "Network", "Institute",
    "Works", "Partnership", "Alliance", "Society", "Hub", "Centre", "Initiative", "Exchange",
]  # fmt: skip
AUDIENCES = [
    "local charities", "small businesses", "young people", "older people", "public bodies",
    "community groups", "schools", "councils", "NHS teams", "disabled people", "researchers",
    "journalists", "volunteers", "product teams", "refugees", "rural communities",
]  # fmt: skip
OBJECTS = [
    "technology", "data", "software", "digital services", "open data", "AI systems",
    "algorithms", "devices", "websites", "apps", "online platforms", "health data",
]  # fmt: skip
METHODS = [
    "training", "research", "advocacy", "open-source tools", "workshops", "mentoring",
    "campaigning", "consultancy", "peer support", "grants", "guides", "policy work",
]  # fmt: skip
VALUES = [
    "fair", "safe", "accessible", "sustainable", "transparent", "accountable", "inclusive",
    "private", "affordable", "trustworthy", "open", "humane",
]  # fmt: skip
TEMPLATES = [
    "We help {aud} use {obj} through {meth}.",
    "Our work makes {obj} more {val} for {aud}.",
    "We run {meth} with the community on {val} {obj}.",
    "We believe {obj} should be {val} for everyone.",
    "We support {aud} with {meth} and {meth2}.",
    "Our team works with {aud} to make {obj} {val}.",
    "We campaign for {val} {obj} and against harmful design.",
    "Every year we train hundreds of {aud} to question {obj}.",
]  # fmt: skip
TAGS = [
    "open-source", "open-data", "ai", "civic-tech", "health", "education", "climate", "housing",
    "youth", "older-people", "disability", "rural", "co-design", "repair", "privacy-tools",
    "security", "journalism", "employment", "local-government", "nhs", "b-corp", "standards",
]  # fmt: skip
EPOCH = datetime(2015, 1, 1, tzinfo=UTC)
TODAY = date(2026, 11, 1)


class Command(BaseCommand):
    help = "Replace the synthetic organisations with N new ones (deterministic for a --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, required=True, help="How many to make.")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")

    def handle(self, *args, orgs, seed, **options):
        if orgs < 0 or orgs > 2_000_000:
            raise CommandError("--orgs must be between 0 and 2,000,000.")
        with transaction.atomic():
            load_taxonomy(LoadReport())
            removed = self.remove_synthetic()
            self.make(orgs, random.Random(seed))
        self.stdout.write(
            f"Removed {removed} and made {orgs} synthetic organisations (seed {seed})."
        )

    def remove_synthetic(self):
        synthetic = Organisation.objects.filter(is_synthetic=True)
        ids = list(synthetic.values_list("pk", flat=True))
        content_type = ContentType.objects.get_for_model(Organisation)
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            TaggedItem.objects.filter(content_type=content_type, object_id__in=chunk).delete()
            Relationship.objects.filter(source_id__in=chunk).delete()
            Relationship.objects.filter(target_id__in=chunk).delete()
            for through in (Organisation.terms.through, Organisation.offers.through):
                through.objects.filter(organisation_id__in=chunk).delete()
            Organisation.looking_for.through.objects.filter(organisation_id__in=chunk).delete()
            # Their links are gone and bulk_create made no history for them, so the rows go in
            # one statement: Django's delete() would load each one to record history.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {Organisation._meta.db_table} WHERE id IN "
                    f"({', '.join(['%s'] * len(chunk))})",
                    chunk,
                )
        return len(ids)

    def make(self, count, rng):
        terms = Term.objects.select_related("vocabulary").order_by("pk")
        by_vocab = {}
        for term in terms:
            by_vocab.setdefault(term.vocabulary.slug, []).append(term.pk)
        regions = list(CITIES)
        org_types = [choice.value for choice in OrgType if choice != OrgType.OTHER]
        sizes = [choice.value for choice in SizeBand] + [""]
        tags = [Tag.objects.get_or_create(name=name, defaults={"slug": name})[0] for name in TAGS]
        content_type = ContentType.objects.get_for_model(Organisation)

        for start in range(0, count, BATCH):
            batch = [self.organisation(start + i, rng, regions, org_types, sizes)
                     for i in range(min(BATCH, count - start))]  # fmt: skip
            # bulk_create sets primary keys on PostgreSQL and on SQLite (RETURNING).
            created = Organisation.objects.bulk_create(batch, batch_size=BATCH)
            self.link(created, rng, by_vocab, tags, content_type)
        if count > 1:
            self.relate(count, rng)

    def organisation(self, index, rng, regions, org_types, sizes):
        number = index + 1
        name = f"{rng.choice(NAME_A)} {rng.choice(NAME_B)} {rng.choice(NAME_C)} {number} (demo)"
        sentences = []
        for _ in range(rng.randint(2, 3)):
            template = rng.choice(TEMPLATES)
            sentences.append(
                template.format(
                    aud=rng.choice(AUDIENCES),
                    obj=rng.choice(OBJECTS),
                    meth=rng.choice(METHODS),
                    meth2=rng.choice(METHODS),
                    val=rng.choice(VALUES),
                )
            )
        if rng.random() < 0.08:
            region, city, lat, lon = "", "", None, None
        else:
            region = rng.choices(regions, weights=REGION_WEIGHTS, k=1)[0]
            city, lat, lon = rng.choice(CITIES[region])
            lat = round(lat + rng.uniform(-0.08, 0.08), 5)
            lon = round(lon + rng.uniform(-0.12, 0.12), 5)
        created = EPOCH + timedelta(days=rng.randint(0, (TODAY - EPOCH.date()).days))
        verified_days_ago = rng.randint(0, 1200) if rng.random() < 0.7 else None
        organisation = Organisation(
            slug=f"demo-{number:06d}",
            name=name,
            summary=sentences[0],
            description=" ".join(sentences[1:]),
            website=f"https://demo-{number:06d}.example.org/",
            org_type=rng.choice(org_types),
            size=rng.choice(sizes),
            founded=rng.randint(1980, 2025),
            city=city,
            region=region,
            latitude=lat,
            longitude=lon,
            status=(
                Organisation.Status.ARCHIVED
                if rng.random() < 0.05
                else Organisation.Status.PUBLISHED
            ),
            last_verified=(
                TODAY - timedelta(days=verified_days_ago) if verified_days_ago is not None else None
            ),
            is_synthetic=True,
            created=created,
        )
        organisation.render_markdown_fields()  # bulk_create does not call save()
        return organisation

    def link(self, organisations, rng, by_vocab, tags, content_type):
        Terms = Organisation.terms.through
        Offers = Organisation.offers.through
        Looking = Organisation.looking_for.through
        term_rows, offer_rows, looking_rows, tag_rows = [], [], [], []
        for org in organisations:
            chosen = set(rng.sample(by_vocab["consequences"], rng.randint(1, 3)))
            for vocab, most in (("themes", 2), ("activities", 2), ("sectors", 2)):
                chosen.update(rng.sample(by_vocab.get(vocab, []), rng.randint(0, most)))
            term_rows += [Terms(organisation_id=org.pk, term_id=t) for t in sorted(chosen)]
            help_terms = by_vocab.get("help", [])
            offered = sorted(rng.sample(help_terms, rng.randint(0, 2)))
            sought = sorted(rng.sample(help_terms, rng.randint(0, 2)))
            offer_rows += [Offers(organisation_id=org.pk, term_id=t) for t in offered]
            looking_rows += [Looking(organisation_id=org.pk, term_id=t) for t in sought]
            tag_rows += [
                TaggedItem(tag=tag, content_type=content_type, object_id=org.pk)
                for tag in rng.sample(tags, rng.randint(0, 3))
            ]
        Terms.objects.bulk_create(term_rows, batch_size=BATCH)
        Offers.objects.bulk_create(offer_rows, batch_size=BATCH)
        Looking.objects.bulk_create(looking_rows, batch_size=BATCH)
        TaggedItem.objects.bulk_create(tag_rows, batch_size=BATCH)

    def relate(self, count, rng):
        ids = list(
            Organisation.objects.filter(is_synthetic=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        kinds = [choice.value for choice in Relationship.Kind]
        seen = set()
        rows = []
        for _ in range(count // 4):
            source, target = rng.sample(ids, 2)
            kind = rng.choice(kinds)
            if (source, target, kind) in seen:
                continue
            seen.add((source, target, kind))
            rows.append(Relationship(source_id=source, target_id=target, kind=kind))
        Relationship.objects.bulk_create(rows, batch_size=BATCH)
