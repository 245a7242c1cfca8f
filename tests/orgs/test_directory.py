import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from orgs.models import Organisation
from principles.models import Assessment
from tests.factories import (
    AssessmentFactory,
    EndorsementFactory,
    MaturityLevelFactory,
    OrganisationFactory,
    RelationshipFactory,
    TermFactory,
    VocabularyFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("orgs:list")


@pytest.fixture
def vocab():
    """A small taxonomy: two areas (one with a narrower term), two activities, help, a theme."""
    consequences = VocabularyFactory(slug="consequences", name="Unintended consequences")
    activities = VocabularyFactory(slug="activities", name="Activities")
    help_ = VocabularyFactory(slug="help", name="Help")
    themes = VocabularyFactory(slug="themes", name="Themes")
    privacy = TermFactory(vocabulary=consequences, slug="data-privacy", name="Data privacy")
    return {
        "privacy": privacy,
        "surveillance": TermFactory(
            vocabulary=consequences, slug="surveillance", name="Surveillance", parent=privacy
        ),
        "exclusion": TermFactory(
            vocabulary=consequences, slug="digital-exclusion", name="Digital exclusion"
        ),
        "research": TermFactory(vocabulary=activities, slug="research", name="Research"),
        "tools": TermFactory(vocabulary=activities, slug="tools", name="Tools and services"),
        "funding": TermFactory(vocabulary=help_, slug="help-funding", name="Funding"),
        "ethics": TermFactory(vocabulary=themes, slug="ethics", name="Tech ethics"),
    }


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def facet_count(html, param, value):
    """The count shown beside a facet option, or None when the option is not offered."""
    match = re.search(
        rf'name="{param}" value="{re.escape(value)}"[^>]*> [^<]+ <span class="n">(\d+)</span>',
        html,
    )
    return int(match.group(1)) if match else None


def card_names(html):
    return re.findall(r'<article class="card">\s*<h3><a href="[^"]+">([^<]+)</a>', html)


def test_the_directory_lists_published_organisations_only(client):
    OrganisationFactory(name="Open Org")
    OrganisationFactory(name="Closed Org", status=Organisation.Status.ARCHIVED)
    html = html_of(client.get(LIST))
    assert card_names(html) == ["Open Org"]
    assert "1 organisation<" in html


def test_facet_counts_reflect_the_current_filters(client, vocab):
    OrganisationFactory(region="london", terms=[vocab["privacy"], vocab["research"]])
    OrganisationFactory(region="london", terms=[vocab["exclusion"]])
    OrganisationFactory(region="scotland", terms=[vocab["privacy"]])

    everything = html_of(client.get(LIST))
    assert facet_count(everything, "term", "data-privacy") == 2
    assert facet_count(everything, "region", "london") == 2

    in_london = html_of(client.get(LIST, {"region": "london"}))
    assert facet_count(in_london, "term", "data-privacy") == 1
    assert facet_count(in_london, "term", "digital-exclusion") == 1
    assert facet_count(in_london, "activity", "research") == 1
    # The region chosen stays ticked, so the visitor can untick it.
    assert re.search(r'name="region" value="london" checked', in_london)


def test_a_broader_term_counts_organisations_under_its_narrower_terms(client, vocab):
    OrganisationFactory(name="Watchers", terms=[vocab["surveillance"]])
    OrganisationFactory(name="Privacy Co", terms=[vocab["privacy"]])
    html = html_of(client.get(LIST))
    assert facet_count(html, "term", "data-privacy") == 2
    # Choosing the broader term offers its narrower terms, with their own counts.
    chosen = html_of(client.get(LIST, {"term": "data-privacy"}))
    assert facet_count(chosen, "term", "surveillance") == 1
    assert card_names(chosen) == ["Privacy Co", "Watchers"]


def test_who_can_help_is_a_filter(client, vocab):
    funder = OrganisationFactory(name="Generous Fund")
    funder.offers.add(vocab["funding"])
    seeker = OrganisationFactory(name="Needs Money")
    seeker.looking_for.add(vocab["funding"])
    OrganisationFactory(name="Unrelated")
    assert card_names(html_of(client.get(LIST, {"offers": "help-funding"}))) == ["Generous Fund"]
    assert card_names(html_of(client.get(LIST, {"looking_for": "help-funding"}))) == ["Needs Money"]
    html = html_of(client.get(LIST))
    assert facet_count(html, "offers", "help-funding") == 1
    assert facet_count(html, "looking_for", "help-funding") == 1


def test_search_finds_words_in_the_summary_and_keeps_them_in_the_box(client):
    OrganisationFactory(name="Alpha", summary="We repair old laptops for schools.")
    OrganisationFactory(name="Beta", summary="We campaign on surveillance.")
    html = html_of(client.get(LIST, {"q": "laptops"}))
    assert card_names(html) == ["Alpha"]
    assert 'name="q" value="laptops"' in html
    assert "for “laptops”" in html


def test_a_broad_search_lists_its_best_matches_counts_them_and_says_there_are_more(
    client, monkeypatch
):
    monkeypatch.setattr("orgs.search.BEST_MATCHES", 2)
    OrganisationFactory(name="Yellow River Trust", region="wales", tags=["water"])
    OrganisationFactory(name="River Watch", region="wales")
    # The word in the summary only: they rank below, and come first by name.
    OrganisationFactory(name="Alpha", summary="We clean the river.", region="london")
    OrganisationFactory(name="Beta", summary="A river charity.", region="london", tags=["water"])

    html = html_of(client.get(LIST, {"q": "river"}))
    assert card_names(html) == ["River Watch", "Yellow River Trust"]
    assert "More than 2 organisations match “river”" in html
    assert "The best 2 are listed." in html
    # The facets count what is listed.
    assert facet_count(html, "region", "wales") == 2
    assert facet_count(html, "region", "london") is None
    assert facet_count(html, "tag", "water") == 1

    by_name = html_of(client.get(LIST, {"q": "river", "sort": "-name"}))
    assert card_names(by_name) == ["Yellow River Trust", "River Watch"]

    narrowed = html_of(client.get(LIST, {"q": "river", "region": "london"}))
    assert card_names(narrowed) == ["Alpha", "Beta"]
    assert "2 organisations for “river”" in narrowed
    assert "More than" not in narrowed


def test_a_search_pages_through_its_matches_in_rank_order(client, monkeypatch):
    monkeypatch.setattr("orgs.views.PAGE_SIZE", 2)
    OrganisationFactory(name="Stream One", summary="Nothing here.")
    for name in ["Delta", "Gamma", "Beta", "Alpha"]:
        OrganisationFactory(name=name, summary="Works on the stream.")
    first = html_of(client.get(LIST, {"q": "stream"}))
    assert "5 organisations for “stream”" in first
    assert card_names(first) == ["Stream One", "Alpha"]
    assert card_names(html_of(client.get(LIST, {"q": "stream", "page": 2}))) == ["Beta", "Delta"]
    assert card_names(html_of(client.get(LIST, {"q": "stream", "page": 3}))) == ["Gamma"]
    # Beyond the last page: the last page, as for any list.
    assert card_names(html_of(client.get(LIST, {"q": "stream", "page": 9}))) == ["Gamma"]


def test_search_text_is_escaped_everywhere_it_is_shown(client):
    html = html_of(client.get(LIST, {"q": '"><script>alert(1)</script>'}))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_sorting_by_newest_puts_the_newest_first(client):
    old = OrganisationFactory(name="Aardvark")
    Organisation.objects.filter(pk=old.pk).update(
        created=timezone.now() - datetime.timedelta(days=400)
    )
    OrganisationFactory(name="Zebra")
    assert card_names(html_of(client.get(LIST, {"sort": "newest"}))) == ["Zebra", "Aardvark"]
    assert card_names(html_of(client.get(LIST, {"sort": "name"}))) == ["Aardvark", "Zebra"]


def test_pagination_keeps_the_filters(client):
    OrganisationFactory.create_batch(30, region="wales")
    OrganisationFactory.create_batch(3, region="london")
    html = html_of(client.get(LIST, {"region": "wales"}))
    assert "30 organisations" in html
    assert 'href="?region=wales&amp;page=2"' in html
    second = html_of(client.get(LIST, {"region": "wales", "page": 2}))
    assert len(card_names(second)) == 6


@pytest.mark.parametrize("page", ["999", "-1", "abc", "1e9", ""])
def test_a_page_number_out_of_range_gives_an_ordinary_page(client, page):
    OrganisationFactory.create_batch(3)
    response = client.get(LIST, {"page": page})
    assert len(card_names(html_of(response))) == 3


def test_unknown_filter_values_give_a_note_and_the_other_filters_still_apply(client, vocab):
    OrganisationFactory(name="In Wales", region="wales")
    OrganisationFactory(name="In London", region="london")
    html = html_of(
        client.get(LIST, {"term": "no-such-term", "region": "wales", "sort": "bogus", "type": "x"})
    )
    assert card_names(html) == ["In Wales"]
    assert "we do not know “no-such-term”" in html
    assert 'role="status"' in html


def test_a_chosen_filter_can_be_removed_with_one_link(client, vocab):
    html = html_of(client.get(LIST, {"region": "wales", "term": "data-privacy"}))
    assert 'href="?term=data-privacy"><span class="visually-hidden">Remove filter' in html
    assert "Region: Wales" in html


def make_directory(count, vocab):
    for _ in range(count):
        org = OrganisationFactory(terms=[vocab["privacy"], vocab["research"]], tags=["open-data"])
        org.offers.add(vocab["funding"])


def queries(django_assert_max_num_queries, client, url, limit):
    with django_assert_max_num_queries(limit) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_directory_costs_the_same_queries_for_10_and_200_organisations(
    client, vocab, django_assert_max_num_queries
):
    url = LIST + "?term=data-privacy&region=london&q=Organisation"
    make_directory(10, vocab)
    with_10 = queries(django_assert_max_num_queries, client, url, 19)
    make_directory(190, vocab)
    assert queries(django_assert_max_num_queries, client, url, 19) == with_10


# The profile


@pytest.fixture
def org(vocab):
    org = OrganisationFactory(
        name="Fair Data Trust",
        slug="fair-data-trust",
        summary="We make data fair.",
        description="We **campaign**.\n\n<script>alert('x')</script>",
        contact_url="https://fair.example.org/contact",
        contact_email="secret-inbox@example.org",
        charity_number="1147471",
        city="Leeds",
        region="yorkshire-and-the-humber",
        founded=2012,
        terms=[vocab["privacy"], vocab["research"]],
        tags=["open-data"],
    )
    org.offers.add(vocab["funding"])
    return org


def profile(client, org):
    return html_of(client.get(org.get_absolute_url()))


def test_the_profile_shows_the_entry_with_its_description_sanitised(client, org):
    html = profile(client, org)
    assert "<h1>Fair Data Trust</h1>" in html
    assert "<strong>campaign</strong>" in html
    assert "<script>alert" not in html
    assert "GB-CHC-1147471" in html
    assert "Leeds" in html and "Yorkshire and The Humber" in html
    assert 'href="https://fair.example.org/contact"' in html
    assert 'href="/taxonomy/consequences/data-privacy/"' in html
    assert 'href="/organisations/?offers=help-funding"' in html
    assert "open-data" in html
    assert 'href="/organisations/fair-data-trust/suggest-edit/"' in html
    assert 'href="/organisations/fair-data-trust/report/"' in html


def test_the_profile_never_shows_the_private_contact_email(client, org):
    assert "secret-inbox" not in profile(client, org)


def test_the_profile_shows_relationships_both_ways(client, org):
    RelationshipFactory(source=org, target=OrganisationFactory(name="Big Funder"), kind="partner")
    RelationshipFactory(source=OrganisationFactory(name="Kind Giver"), target=org, kind="funds")
    RelationshipFactory(
        source=OrganisationFactory(name="Gone", status="archived"), target=org, kind="funds"
    )
    html = profile(client, org)
    assert re.search(r"Fair Data Trust <strong>is a partner of</strong> <a [^>]+>Big Funder", html)
    assert re.search(r">Kind Giver</a> <strong>funds</strong> Fair Data Trust", html)
    assert "Gone" not in html


def test_the_profile_shows_approved_assessments_and_endorsements_only(client, org):
    MaturityLevelFactory(level=4, name="Embedded")
    AssessmentFactory(organisation=org, principle__title="Protect data", level=4)
    AssessmentFactory(
        organisation=org,
        principle__title="Withdrawn one",
        level=2,
        status=Assessment.Status.WITHDRAWN,
    )
    EndorsementFactory(organisation=org, principle__title="Be accessible")
    EndorsementFactory(organisation=org, principle__title="Hidden pledge", status="withdrawn")
    html = profile(client, org)
    assert "Protect data" in html and "Level 4 of 5: Embedded" in html
    assert "Be accessible" in html
    assert "Withdrawn one" not in html and "Hidden pledge" not in html


def test_the_profile_leaves_out_commitments_to_retired_principles(client, org):
    AssessmentFactory(organisation=org, principle__title="Current rule")
    AssessmentFactory(organisation=org, principle__title="Old rule", principle__status="retired")
    EndorsementFactory(organisation=org, principle__title="Old pledge", principle__status="retired")
    html = profile(client, org)
    assert "Current rule" in html
    assert "Old rule" not in html and "Old pledge" not in html


def test_an_entry_verified_over_a_year_ago_is_marked_stale(client, org):
    org.last_verified = timezone.localdate() - datetime.timedelta(days=400)
    org.save()
    assert "last verified more than a year ago" in profile(client, org)
    org.last_verified = timezone.localdate() - datetime.timedelta(days=30)
    org.save()
    html = profile(client, org)
    assert "more than a year ago" not in html
    assert "not yet been verified" not in html


def test_an_entry_never_verified_says_so(client, org):
    assert "This entry has not yet been verified" in profile(client, org)


def jsonld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_the_profile_describes_the_organisation_in_schema_org_json_ld(client, org, settings):
    settings.SITE_URL = "https://map.example.org"
    data = jsonld(profile(client, org))
    assert data["@type"] == "Organization"
    assert data["name"] == "Fair Data Trust"
    assert data["@id"] == "https://map.example.org/organisations/fair-data-trust/"
    assert data["url"] == org.website
    # Only the pages that identify it: its entry in the charity register.
    assert data["sameAs"] == [
        "https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/"
        "1147471"
    ]
    assert data["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "org-id", "value": "GB-CHC-1147471"}
    ]
    address = {
        "@type": "PostalAddress",
        "addressLocality": "Leeds",
        "addressRegion": "Yorkshire and The Humber",
        "addressCountry": "GB",
    }
    assert data["address"] == address
    assert data["location"] == {
        "@type": "Place",
        "address": address,
        "geo": {"@type": "GeoCoordinates", "latitude": 51.5, "longitude": -0.12},
    }
    assert data["foundingDate"] == "2012"
    assert data["contactPoint"] == {"@type": "ContactPoint", "url": org.contact_url}
    assert [term["@id"] for term in data["knowsAbout"]] == [
        "https://map.example.org/taxonomy/consequences/data-privacy/",
        "https://map.example.org/taxonomy/activities/research/",
    ]
    assert data["knowsAbout"][0] == {
        "@type": "DefinedTerm",
        "@id": "https://map.example.org/taxonomy/consequences/data-privacy/",
        "name": "Data privacy",
        "url": "https://map.example.org/taxonomy/consequences/data-privacy/",
        "inDefinedTermSet": "https://map.example.org/taxonomy/#consequences",
    }
    assert "secret-inbox" not in json.dumps(data)


def test_json_ld_places_an_organisation_without_coordinates_by_its_address(client, org):
    org.latitude = org.longitude = None
    org.region = "uk-wide"
    org.save()
    data = jsonld(profile(client, org))
    assert data["location"] == {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "addressLocality": "Leeds", "addressCountry": "GB"},
    }
    assert "geo" not in json.dumps(data)


def test_json_ld_cannot_close_its_script_element(client, org):
    org.name = "Evil </script><script>alert(1)</script>"
    org.save()
    html = profile(client, org)
    assert "</script><script>alert(1)" not in html
    assert jsonld(html)["name"] == org.name


def test_the_profile_has_open_graph_tags(client, org):
    html = profile(client, org)
    assert '<meta property="og:title" content="Fair Data Trust">' in html
    assert '<meta property="og:description" content="We make data fair.">' in html
    assert 'property="og:url"' in html


def test_an_archived_or_unknown_organisation_is_not_found(client):
    gone = OrganisationFactory(status=Organisation.Status.ARCHIVED)
    assert client.get(gone.get_absolute_url()).status_code == 404
    assert client.get("/organisations/no-such-org/").status_code == 404


def test_the_profile_costs_the_same_queries_with_10_and_200_linked_organisations(
    client, org, django_assert_max_num_queries
):
    def link(count):
        for i in range(count):
            other = OrganisationFactory()
            RelationshipFactory(source=org if i % 2 else other, target=other if i % 2 else org)
            AssessmentFactory(organisation=other)

    AssessmentFactory(organisation=org)
    EndorsementFactory(organisation=org)
    link(10)
    with_10 = queries(django_assert_max_num_queries, client, org.get_absolute_url(), 12)
    link(190)
    assert queries(django_assert_max_num_queries, client, org.get_absolute_url(), 12) == with_10


def test_type_and_region_counts_of_a_search_count_each_organisation_once(client, vocab):
    OrganisationFactory(
        name="Open Data Wales", region="wales", org_type="charity", tags=["open-data", "civic"],
        terms=[vocab["privacy"], vocab["research"]],
    )  # fmt: skip
    OrganisationFactory(name="Data Union", region="london", org_type="company", tags=["civic"])
    OrganisationFactory(name="Quiet Trust", region="london", org_type="charity")
    html = html_of(client.get(LIST, {"q": "data", "tag": "civic"}))
    assert facet_count(html, "type", "charity") == 1
    assert facet_count(html, "type", "company") == 1
    assert facet_count(html, "region", "wales") == 1
    assert facet_count(html, "region", "london") == 1
    assert facet_count(html, "tag", "civic") == 2
