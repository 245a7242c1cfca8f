"""/help/: what kind of help, on which area, where; the organisations that offer it nearest
first, each with why it matched; the other way round; and a fixed number of queries."""

import re

import pytest
from django.urls import reverse

from orgs.help.places import ENGLAND, works_in
from tests.factories import OrganisationFactory, TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db

HELP = reverse("help:index")


@pytest.fixture
def terms():
    help_ = VocabularyFactory(slug="help", name="Help")
    areas = VocabularyFactory(slug="consequences", name="Unintended consequences")
    exclusion = TermFactory(vocabulary=areas, slug="digital-exclusion", name="Digital exclusion")
    return {
        "funding": TermFactory(vocabulary=help_, slug="help-funding", name="Funding", order=1),
        "volunteers": TermFactory(
            vocabulary=help_, slug="help-volunteers", name="Volunteers", order=2
        ),
        "exclusion": exclusion,
        "skills": TermFactory(
            vocabulary=areas, slug="digital-skills", name="Digital skills", parent=exclusion
        ),
        "privacy": TermFactory(vocabulary=areas, slug="data-privacy", name="Data privacy"),
    }


def funder(name, terms, *, offers="funding", area="exclusion", **fields):
    org = OrganisationFactory(name=name, terms=[terms[area]], **fields)
    org.offers.add(terms[offers])
    return org


def page_of(client, **query):
    response = client.get(HELP, query)
    assert response.status_code == 200
    return response.content.decode()


def results(html):
    """(name, why) of each result, in order."""
    return re.findall(
        r'<h[34]><a href="/organisations/[^"]+/">([^<]+)</a>.*?<p class="why">'
        r"<strong>Why:</strong> ([^<]+)</p>",
        html,
        re.S,
    )


def groups(html):
    return re.findall(r"<h3>([^<]+)</h3>", html.split('id="results-heading"')[1])


def test_the_organisations_that_offer_it_come_nearest_first_with_why(client, terms):
    funder("Elsewhere Fund", terms, region="scotland", area_served=["scotland"])
    funder("UK Fund", terms, region="london", area_served=["uk-wide"])
    funder("Valleys Fund", terms, region="wales", area_served=["wales"])
    funder("Border Fund", terms, region="west-midlands", area_served=["west-midlands", "wales"])
    funder("Skills Fund", terms, area="skills", region="", area_served=["uk-wide"])
    funder("Privacy Fund", terms, area="privacy", region="wales", area_served=["wales"])
    funder("Gone Fund", terms, region="wales", status="archived")
    OrganisationFactory(name="Not A Fund", terms=[terms["exclusion"]], region="wales")
    html = page_of(client, need="help-funding", area="digital-exclusion", region="wales")
    assert results(html) == [
        ("Valleys Fund", "Offers funding; works on digital exclusion; based in Wales."),
        (
            "Border Fund",
            "Offers funding; works on digital exclusion; works in Wales, based in West Midlands.",
        ),
        (
            "Skills Fund",
            "Offers funding; works on digital exclusion (digital skills); works across the UK.",
        ),
        (
            "UK Fund",
            "Offers funding; works on digital exclusion; works across the UK, based in London.",
        ),
        (
            "Elsewhere Fund",
            "Offers funding; works on digital exclusion; based and working in Scotland.",
        ),
    ]
    assert groups(html) == [
        "Based or working in Wales",
        "Working across the UK",
        "Elsewhere: not recorded as working in Wales",
    ]
    assert "5 organisations offer funding and work on digital exclusion" in html
    assert html.count('<span class="badge uk">Works across the UK</span>') == 2
    assert "No organisation based or working in Wales" not in html


def test_when_none_works_in_the_region_it_says_so_and_gives_those_across_the_uk(client, terms):
    funder("UK Fund", terms, region="london", area_served=["uk-wide"])
    funder("Scottish Fund", terms, region="scotland", area_served=["scotland"])
    html = page_of(client, need="help-funding", area="digital-exclusion", region="wales")
    assert (
        "No organisation based or working in Wales offers funding and works on digital "
        "exclusion; this one works across the UK." in html
    )
    assert [name for name, _ in results(html)] == ["UK Fund", "Scottish Fund"]


def test_without_a_region_or_an_area_the_list_is_by_name(client, terms):
    funder("Beta Fund", terms, area="privacy", area_served=["uk-wide"])
    funder("Alpha Fund", terms, area_served=[])
    html = page_of(client, need="help-funding")
    assert results(html) == [
        ("Alpha Fund", "Offers funding; based in London."),
        ("Beta Fund", "Offers funding; works across the UK, based in London."),
    ]
    assert groups(html) == []


def test_the_other_way_round_finds_those_looking_for_it(client, terms):
    seeker = OrganisationFactory(name="Needs Hands", terms=[terms["exclusion"]], region="wales")
    seeker.looking_for.add(terms["volunteers"])
    funder("Offers Hands", terms, offers="volunteers")
    html = page_of(client, need="help-volunteers", direction="looking", region="wales")
    assert results(html) == [("Needs Hands", "Is looking for volunteers; based in Wales.")]
    assert "1 organisation is looking for volunteers" in html
    empty = page_of(client, need="help-funding", direction="looking")
    assert "No organisation on the map is looking for funding yet." in empty
    assert "Add it to the map" in empty


def test_an_unknown_choice_is_named_and_what_was_chosen_is_kept(client, terms):
    html = page_of(client, need="help-funding", area="nonsense", region="atlantis")
    assert "We do not know “nonsense”" in html and "We do not know “atlantis”" in html
    assert re.search(r"value=\"help-funding\" id=\"id_need_0\"[^>]* checked>", html)
    assert 'id="results-heading"' not in html
    assert "Choose the kind of help." in page_of(client, region="wales")


def test_the_question_is_a_get_form_so_every_answer_has_an_address(client, terms):
    html = page_of(client)
    assert '<form class="help-form" method="get" action="/help/">' in html
    for name in ["direction", "need", "area", "region"]:
        assert f'name="{name}"' in html
    assert 'id="results-heading"' not in html
    assert "<script" not in html


def test_the_answer_links_to_the_same_question_in_the_directory_and_the_api(client, terms):
    funder("UK Fund", terms, area_served=["uk-wide"])
    html = page_of(client, need="help-funding", area="digital-exclusion", region="wales")
    assert 'href="/organisations/?offers=help-funding&amp;term=digital-exclusion"' in html
    assert (
        'href="/api/v1/organisations/?offers=help-funding&amp;term=digital-exclusion&amp;'
        'near_region=wales"' in html
    )


def test_the_page_is_in_the_main_navigation_and_on_the_home_page(client, terms):
    for url in ["/", "/organisations/"]:
        assert '<a href="/help/">Who can help</a>' in client.get(url).content.decode()
    assert 'href="/help/">Find who can help</a>' in client.get("/").content.decode()
    assert '<a href="/help/" aria-current="page">Who can help</a>' in page_of(client)


def test_where_an_organisation_works_is_said_in_words():
    assert works_in([]) == ""
    assert works_in(["uk-wide"]) == "across the UK"
    assert works_in(["scotland", "wales"]) == "in Scotland and Wales"
    assert works_in([*ENGLAND, "wales"]) == "in England and Wales"
    assert works_in(["london", "south-east"]) == "in London and South East"


def test_the_profile_says_where_it_works_beside_where_it_is_based(client):
    org = OrganisationFactory(region="wales", city="Cardiff", area_served=[*ENGLAND, "wales"])
    html = client.get(org.get_absolute_url()).content.decode()
    assert "<dt>Works</dt><dd>In England and Wales</dd>" in html


@pytest.mark.parametrize("size", [5, 60])
def test_the_answer_costs_the_same_queries_however_many_match(
    client, terms, size, django_assert_num_queries
):
    for n in range(size):
        near = n % 2 == 0
        funder(
            f"Fund {n:02d}",
            terms,
            area="exclusion" if near else "skills",
            region="wales" if near else "london",
            area_served=["wales"] if near else ["uk-wide"],
        )
    # data version; the need and the area by slug; the area vocabulary's tree (one query, at
    # any depth); the count, the nearness counts, the page and its matched areas; the form's
    # choices (two)
    with django_assert_num_queries(10):
        html = page_of(client, need="help-funding", area="digital-exclusion", region="wales")
    assert len(results(html)) == min(size, 20)


def test_funding_for_digital_exclusion_in_wales_on_the_starter_data(client, starter_data):
    html = page_of(client, need="help-funding", area="digital-exclusion", region="wales")
    assert "No organisation based or working in Wales offers funding and works on digital " \
        "exclusion; these 4 work across the UK." in html  # fmt: skip
    found = [name for name, _ in results(html)]
    # The funders working across the UK come first, then those that work elsewhere only.
    assert found[:4] == [
        "Comic Relief",
        "Hubbub",
        "Paul Hamlyn Foundation",
        "The National Lottery Community Fund",
    ]
    assert set(found[4:]) == {
        "Community Foundation for Northern Ireland",
        "Power to Change",
        "SCVO (Scottish Council for Voluntary Organisations)",
    }
    assert groups(html) == ["Working across the UK", "Elsewhere: not recorded as working in Wales"]
