import pytest
from django.core.management import call_command

from ethicalmap import starter, starter_fill
from orgs.models import Organisation, Region, Relationship
from principles.models import LevelDescriptor, MaturityLevel, Principle
from taxonomy.models import Term, Vocabulary

pytestmark = pytest.mark.django_db

ENGLAND = [
    "north-east",
    "north-west",
    "yorkshire-and-the-humber",
    "east-midlands",
    "west-midlands",
    "east-of-england",
    "london",
    "south-east",
    "south-west",
]


def snapshot():
    """Everything loading writes, to the value."""
    organisations = Organisation.objects.order_by("slug")
    return {
        "vocabularies": Vocabulary.objects.count(),
        "terms": Term.objects.count(),
        "principles": Principle.objects.count(),
        "levels": LevelDescriptor.objects.count(),
        "organisations": list(organisations.values_list(*starter.FILLABLE, "status", "updated")),
        "relationships": list(Relationship.objects.values_list("source", "target", "kind")),
        "org_terms": sorted(Organisation.terms.through.objects.values_list("pk", flat=True)),
        "offers": sorted(Organisation.offers.through.objects.values_list("pk", flat=True)),
        "history": Organisation.history.count() + Term.history.count(),
    }


def load(capsys):
    call_command("load_starter_data")
    return capsys.readouterr().out


def slugs(organisation, vocabulary, relation="terms"):
    return set(
        getattr(organisation, relation)
        .filter(vocabulary__slug=vocabulary)
        .values_list("slug", flat=True)
    )


def test_loading_twice_changes_nothing(capsys):
    load(capsys)
    first = snapshot()
    assert "up to date" in load(capsys)
    assert snapshot() == first


def test_starter_content_is_a_usable_map(starter_data):
    assert Term.objects.count() >= 20
    assert Principle.objects.count() >= 7
    assert set(Vocabulary.objects.values_list("slug", flat=True)) >= {
        "consequences",
        "themes",
        "activities",
        "sectors",
        "help",
    }
    assert MaturityLevel.objects.count() == 5


def test_every_organisation_loads_published_or_archived_as_the_data_says(starter_data):
    assert Organisation.objects.count() == 122
    assert Organisation.objects.published().count() == 114
    assert set(
        Organisation.objects.filter(status=Organisation.Status.ARCHIVED).values_list(
            "slug", flat=True
        )
    ) == {
        "cdei-rtau",
        "doteveryone",
        "citizens-online",
        "digital-communities-wales",
        "tech-talent-charter",
        "centre-for-digital-public-services",
        "logically",
        "promising-trouble",
    }


def test_every_area_of_concern_has_at_least_eight_published_organisations(starter_data):
    areas = Term.objects.in_vocabulary("consequences").filter(parent__isnull=True)
    assert areas.count() == 9
    for area in areas:
        published = area.organisations.filter(status=Organisation.Status.PUBLISHED)
        assert published.count() >= 8, area.slug


def test_every_column_of_a_row_lands(starter_data):
    org = Organisation.objects.get(slug="privacy-international")
    assert (org.name, org.website, org.org_type, org.founded) == (
        "Privacy International",
        "https://privacyinternational.org/",
        "charity",
        1990,
    )
    assert org.summary.startswith("London-based charity, first formed in 1990, that investigates")
    assert (org.city, org.region, org.country, org.latitude, org.longitude) == (
        "London",
        "london",
        "GB",
        51.5074,
        -0.1278,
    )
    assert slugs(org, "consequences") == {"data-privacy", "surveillance", "data-rights"}
    assert slugs(org, "activities") == {"research", "advocacy-campaigning", "policy"}
    assert slugs(org, "themes") == {"protecting-users"}
    assert slugs(org, "sectors") == {"public-services", "justice-policing", "technology-industry"}
    assert slugs(org, "help", "offers") == {"help-expertise"}
    assert not org.looking_for.exists()
    assert org.identifiers == ["GB-CHC-1147471", "GB-COH-04354366"]
    assert org.status == Organisation.Status.PUBLISHED
    assert not org.needs_verification
    assert org.source_url_list == [
        "https://privacyinternational.org/es/node/618",
        "https://en.wikipedia.org/wiki/Privacy_International",
    ]
    assert org.area_served == ["uk-wide"]
    assert (org.last_verified, org.verified_by) == (None, "")
    assert Organisation.objects.get(slug="scvo").org_id == "GB-SC-SC003558"
    assert Organisation.objects.get(slug="nicva").identifiers == [
        "GB-NIC-100012",
        "GB-COH-NI001792",
    ]


def test_the_rows_to_check_are_flagged_for_a_moderator(starter_data):
    flagged = set(
        Organisation.objects.filter(needs_verification=True).values_list("slug", flat=True)
    )
    assert flagged == {
        "ada-lovelace-institute",
        "full-fact",
        "open-data-institute",
        "cdei-rtau",
        "cast",
        "worker-info-exchange",
        "citizens-online",
        "institute-for-strategic-dialogue",
        "digital-communities-wales",
        "shaw-trust-accessibility-services",
        "centre-for-digital-public-services",
        "horizon-digital-economy-research",
        "the-hope-foundation-furbd-it",
        "codeyourfuture",
        "signalise-coop",
    }


def test_both_spellings_of_a_region_name_map_to_one_region():
    assert starter.REGIONS["Yorkshire and The Humber"] == Region.YORKSHIRE
    assert starter.REGIONS["Yorkshire and the Humber"] == Region.YORKSHIRE
    assert starter.REGIONS["South West England"] == starter.REGIONS["South West"]


def test_regions_use_the_itl1_names_and_unknown_bases_stay_unknown(starter_data):
    assert Organisation.objects.get(slug="good-things-foundation").region == Region.YORKSHIRE
    assert Organisation.objects.get(slug="ico").region == Region.NORTH_WEST
    green_web = Organisation.objects.get(slug="green-web-foundation")
    assert (green_web.region, green_web.country) == (Region.INTERNATIONAL, "NL")
    org = Organisation.objects.get(slug="abilitynet")
    assert (org.city, org.region, org.latitude) == ("", "", None)


def test_national_organisations_serve_the_whole_uk_and_local_ones_their_area(starter_data):
    served = dict(Organisation.objects.values_list("slug", "area_served"))
    assert served["ada-lovelace-institute"] == ["uk-wide"]
    assert served["green-web-foundation"] == ["uk-wide"]
    assert served["scvo"] == ["scotland"]
    assert served["community-techaid"] == ["london"]
    assert served["power-to-change"] == ENGLAND
    assert served["futuredotnow"] == [*ENGLAND, "wales"]
    assert all(served.values())


def test_starter_relationships_link_published_organisations(starter_data):
    assert Relationship.objects.count() == 36
    assert not Relationship.objects.filter(kind=Relationship.Kind.COLLABORATES).exists()
    assert (
        Relationship.objects.public()
        .filter(source__slug="paul-hamlyn-foundation", target__slug="catalyst", kind="funds")
        .exists()
    )


def test_a_moderators_edit_survives_reloading(starter_data):
    Organisation.objects.filter(slug="full-fact").update(summary="Edited by a moderator.")
    call_command("load_starter_data", verbosity=0)
    assert Organisation.objects.get(slug="full-fact").summary == "Edited by a moderator."


# An older database: the first version of the starter data, then a moderator at work.


def v1_organisation(slug, term_slugs, moderator=None, **fields):
    """An organisation as the first version of the starter data loaded it: no founding year,
    activities, themes, sectors or offers, and a base only where that version knew one."""
    org = Organisation(slug=slug, summary=f"What {slug} does.", **fields)
    org._history_user = moderator
    org.save()
    org.terms.set(Term.objects.filter(slug__in=term_slugs))
    return org


@pytest.fixture
def v1_database(db, moderator):
    report = starter.LoadReport()
    starter.load_taxonomy(report)
    starter.load_principles(report)
    v1_organisation(
        "good-things-foundation",
        ["digital-exclusion"],
        name="Good Things Foundation",
        website="https://www.goodthingsfoundation.org/",
        org_type="charity",
    )
    v1_organisation(
        "full-fact",
        ["misinformation"],
        name="Full Fact",
        website="https://fullfact.org/",
        org_type="charity",
        needs_verification=True,
    )
    v1_organisation(
        "careful-industries",
        ["digital-exclusion", "environment-sustainability"],
        name="Careful Industries (Careful Trouble, with Promising Trouble)",
        org_type="company",
    )
    v1_organisation(
        "digital-communities-wales",
        ["digital-exclusion"],
        name="Digital Communities Wales",
        region="wales",
        status="archived",
    )
    # A moderator added this one before the starter data had it.
    v1_organisation("open-rights-group", [], moderator=moderator, name="ORG")
    Relationship.objects.create(
        source=Organisation.objects.get(slug="good-things-foundation"),
        target=Organisation.objects.get(slug="digital-communities-wales"),
        kind=Relationship.Kind.COLLABORATES,
    )
    # A moderator rewrites a summary and removes a website that no longer works.
    org = Organisation.objects.get(slug="good-things-foundation")
    org.summary = "Edited by a moderator."
    org.website = ""
    org._history_user = moderator
    org.save()


def test_an_older_database_gains_what_it_lacks_and_keeps_every_moderators_edit(v1_database, capsys):
    out = load(capsys)
    assert "created 117 organisations, 35 relationships" in out
    assert "filled empty fields of 4 organisations" in out
    assert "left 2 organisations edited by a moderator as they are" in out
    assert Organisation.objects.count() == 122
    assert Relationship.objects.count() == 36

    edited = Organisation.objects.get(slug="good-things-foundation")
    # What the moderator wrote or removed stays; what was empty and untouched is filled.
    assert (edited.summary, edited.website) == ("Edited by a moderator.", "")
    assert (edited.city, edited.region, edited.founded) == (
        "Sheffield",
        "yorkshire-and-the-humber",
        2011,
    )
    assert (edited.latitude, edited.longitude) == (53.3811, -1.4701)
    # Its classification may have been the moderator's doing too: left alone.
    assert slugs(edited, "consequences") == {"digital-exclusion"}
    assert slugs(edited, "activities") == set()
    assert not edited.offers.exists()
    assert edited.history.first().history_change_reason == starter_fill.FILLED_REASON

    untouched = Organisation.objects.get(slug="full-fact")
    assert (untouched.city, untouched.founded, untouched.area_served) == (
        "London",
        2009,
        ["uk-wide"],
    )
    assert untouched.needs_verification
    # A vocabulary it had terms of keeps them; the ones it had none of are filled.
    assert slugs(untouched, "consequences") == {"misinformation"}
    assert slugs(untouched, "activities") == {"tools-services", "advocacy-campaigning", "research"}
    assert slugs(untouched, "help", "offers") == {"help-tools", "help-expertise"}

    assert Organisation.objects.get(slug="careful-industries").name.startswith(
        "Careful Industries ("
    )
    created_by_moderator = Organisation.objects.get(slug="open-rights-group")
    assert (created_by_moderator.name, created_by_moderator.city) == ("ORG", "")
    assert not created_by_moderator.terms.exists()
    # The link the first version called `collaborates` is the starter data's `partner` link.
    assert not Relationship.objects.filter(
        source__slug="good-things-foundation", kind=Relationship.Kind.PARTNER
    ).exists()


def test_loading_an_older_database_twice_changes_nothing_the_second_time(v1_database, capsys):
    load(capsys)
    first = snapshot()
    out = load(capsys)
    assert out.startswith("Starter data: up to date; left 2 organisations")
    assert snapshot() == first
