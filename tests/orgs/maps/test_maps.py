import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from orgs.maps import landscape, network
from tests.factories import OrganisationFactory, RelationshipFactory, TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db

LANDSCAPE = reverse("maps:landscape")
GEO = reverse("maps:geo")
NETWORK = reverse("maps:network")


@pytest.fixture
def vocab():
    consequences = VocabularyFactory(slug="consequences", name="Unintended consequences")
    activities = VocabularyFactory(slug="activities", name="Activities")
    privacy = TermFactory(
        vocabulary=consequences, slug="data-privacy", name="Data privacy", order=1
    )
    return {
        "privacy": privacy,
        "surveillance": TermFactory(
            vocabulary=consequences, slug="surveillance", name="Surveillance", parent=privacy
        ),
        "exclusion": TermFactory(
            vocabulary=consequences, slug="digital-exclusion", name="Digital exclusion", order=2
        ),
        "hate": TermFactory(
            vocabulary=consequences, slug="online-hate", name="Online hate", order=3
        ),
        "research": TermFactory(vocabulary=activities, slug="research", name="Research", order=1),
        "tools": TermFactory(vocabulary=activities, slug="tools", name="Tools", order=2),
    }


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def area_html(html, slug):
    """The section of the landscape for one area."""
    match = re.search(
        rf'<section class="area[^"]*" aria-labelledby="area-{slug}">(.*?)</section>', html, re.S
    )
    assert match, f"no section for {slug}"
    return match.group(1)


def cells(section):
    """{group heading: [organisation names]} of an area section ('' for a group with no heading)."""
    result = {}
    for cell in re.findall(r'<div class="cell">(.*?)</div>', section, re.S):
        heading = re.search(r"<h3>([^<]+?) <span", cell)
        names = re.findall(r'<li><a href="/organisations/[^"]+/">([^<]+)</a></li>', cell)
        result[heading.group(1) if heading else ""] = names
    return result


# The landscape


def test_an_organisation_appears_under_every_area_it_works_on(client, vocab):
    OrganisationFactory(name="Both Ways", terms=[vocab["privacy"], vocab["exclusion"]])
    html = html_of(client.get(LANDSCAPE))
    assert "Both Ways" in area_html(html, "data-privacy")
    assert "Both Ways" in area_html(html, "digital-exclusion")


def test_narrower_terms_count_towards_their_area_once(client, vocab):
    OrganisationFactory(name="Watchers", terms=[vocab["privacy"], vocab["surveillance"]])
    section = area_html(html_of(client.get(LANDSCAPE)), "data-privacy")
    assert "<strong>1</strong> organisation" in section
    assert section.count("Watchers") == 1


def test_each_area_groups_its_organisations_by_activity(client, vocab):
    OrganisationFactory(name="Lab", terms=[vocab["privacy"], vocab["research"]])
    OrganisationFactory(name="Toolmaker", terms=[vocab["privacy"], vocab["tools"]])
    OrganisationFactory(name="Both", terms=[vocab["privacy"], vocab["research"], vocab["tools"]])
    OrganisationFactory(name="Unsorted", terms=[vocab["privacy"]])
    section = area_html(html_of(client.get(LANDSCAPE)), "data-privacy")
    assert cells(section) == {
        "Research": ["Both", "Lab"],
        "Tools": ["Both", "Toolmaker"],
        "Activity not recorded": ["Unsorted"],
    }


def test_a_crowded_group_shows_the_first_by_name_and_links_to_the_rest(client, vocab):
    for i in range(landscape.CELL_CAP + 3):
        OrganisationFactory(name=f"Lab {i:02d}", terms=[vocab["privacy"], vocab["research"]])
    OrganisationFactory(name="Toolmaker", terms=[vocab["privacy"], vocab["tools"]])
    html = html_of(client.get(LANDSCAPE, {"region": "london"}))
    research = cells(area_html(html, "data-privacy"))["Research"]
    assert research == [f"Lab {i:02d}" for i in range(landscape.CELL_CAP)]
    assert (
        'href="/organisations/?region=london&amp;term=data-privacy&amp;activity=research">'
        "and 3 more" in html
    )


def test_an_area_with_no_one_is_shown_as_a_gap(client, vocab):
    OrganisationFactory(terms=[vocab["privacy"]])
    section = area_html(html_of(client.get(LANDSCAPE)), "online-hate")
    assert "No organisation on the map works on this" in section


def test_the_landscape_filters_like_the_directory(client, vocab):
    OrganisationFactory(name="Welsh Lab", region="wales", terms=[vocab["privacy"]])
    OrganisationFactory(name="London Lab", region="london", terms=[vocab["privacy"]])
    OrganisationFactory(name="Unplaced", region="wales", terms=[])
    html = html_of(client.get(LANDSCAPE, {"region": "wales"}))
    assert "Welsh Lab" in html and "London Lab" not in html
    assert "1 is not yet placed in an area" in html
    assert '<option value="wales" selected>' in html


def test_junk_in_the_landscape_query_gives_a_note_not_an_error(client, vocab):
    OrganisationFactory(name="Still Here", terms=[vocab["privacy"]])
    html = html_of(client.get(LANDSCAPE, {"term": "nope", "type": "<b>", "activity": "x"}))
    assert "Still Here" in html
    assert "we do not know “nope”" in html
    assert "<b>" not in html


def make_map(count, vocab):
    terms = [vocab["privacy"], vocab["surveillance"], vocab["exclusion"], vocab["research"]]
    previous = None
    for i in range(count):
        org = OrganisationFactory(terms=terms[i % 2 : i % 2 + 3])
        if previous:
            RelationshipFactory(source=org, target=previous)
        previous = org


def queries(django_assert_max_num_queries, client, url, limit):
    with django_assert_max_num_queries(limit) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        (LANDSCAPE + "?region=london&activity=research", 12),
        (GEO + "?term=data-privacy", 8),
        # Unfiltered: built in the request and kept, 3 queries more (ethicalmap/kept.py).
        (NETWORK + "?links=terms", 13),
    ],
)
def test_each_map_costs_the_same_queries_for_10_and_200_organisations(
    client, vocab, django_assert_max_num_queries, url, limit
):
    make_map(10, vocab)
    with_10 = queries(django_assert_max_num_queries, client, url, limit)
    make_map(190, vocab)
    assert queries(django_assert_max_num_queries, client, url, limit) == with_10


# Where they are


def circles(html):
    return re.findall(r'<circle cx="[\d.]+" cy="[\d.]+" r="[\d.]+"><title>([^<]+)</title>', html)


def region_row(html, name):
    match = re.search(
        rf'<th scope="row">(?:<a [^>]+>)?{name}(?:</a>)?</th>\s*<td class="num">.*?([\d,]+)</td>'
        r'\s*<td class="num">([\d,]+)</td>',
        html,
        re.S,
    )
    assert match, f"no row for {name}"
    return int(match.group(1)), int(match.group(2))


def test_organisations_in_the_same_place_share_one_circle(client):
    OrganisationFactory.create_batch(3, city="Leeds", latitude=53.80, longitude=-1.55)
    OrganisationFactory(city="Cardiff", region="wales", latitude=51.48, longitude=-3.18)
    html = html_of(client.get(GEO))
    assert sorted(circles(html)) == ["Cardiff: 1 organisation", "Leeds: 3 organisations"]
    assert '<path class="land"' in html


def test_organisations_without_coordinates_are_counted_and_never_placed(client):
    OrganisationFactory(region="scotland", latitude=55.9, longitude=-3.2)
    OrganisationFactory(region="scotland", city="", latitude=None, longitude=None)
    OrganisationFactory(region="", city="", latitude=None, longitude=None)
    html = html_of(client.get(GEO))
    assert len(circles(html)) == 1
    assert region_row(html, "Scotland") == (2, 1)
    assert region_row(html, "Location unknown") == (1, 0)
    assert "<strong>2</strong> organisations with no location recorded" in html


def test_every_uk_region_has_a_row_even_with_no_one_in_it(client):
    OrganisationFactory(region="london")
    html = html_of(client.get(GEO))
    assert region_row(html, "North East") == (0, 0)
    assert region_row(html, "London") == (1, 1)


def test_the_geographic_map_takes_the_same_filters(client, vocab):
    OrganisationFactory(city="Leeds", latitude=53.8, longitude=-1.55, terms=[vocab["privacy"]])
    OrganisationFactory(city="Hull", latitude=53.74, longitude=-0.33, terms=[vocab["exclusion"]])
    html = html_of(client.get(GEO, {"term": "data-privacy"}))
    assert circles(html) == ["Leeds: 1 organisation"]
    # The region links go to the directory with the same filters.
    assert 'href="/organisations/?term=data-privacy&amp;region=london"' in html


def test_a_place_outside_the_map_is_counted_not_drawn(client):
    OrganisationFactory(region="international", city="Amsterdam", latitude=52.37, longitude=4.9)
    html = html_of(client.get(GEO))
    assert circles(html) == []
    assert "1 is based outside the area of the map" in html


# How they are linked


def adjacency(html):
    section = re.search(r'<section class="adjacency".*?</section>', html, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)).strip()


def test_the_network_draws_relationships_and_lists_them_both_ways(client):
    funder = OrganisationFactory(name="Giver")
    grantee = OrganisationFactory(name="Doer")
    OrganisationFactory(name="Loner")
    RelationshipFactory(source=funder, target=grantee, kind="funds")
    html = html_of(client.get(NETWORK))
    assert html.count('class="k-funds" marker-end="url(#arrow)"') == 1
    text = adjacency(html)
    assert "Doer is funded by Giver" in text
    assert "Giver funds Doer" in text
    assert "Loner" not in text
    assert "<strong>2</strong> of 3 organisations have a recorded link" in html


def test_the_network_takes_the_same_filters(client, vocab):
    a = OrganisationFactory(name="Alpha", region="wales")
    b = OrganisationFactory(name="Beta", region="wales")
    c = OrganisationFactory(name="Gamma", region="london")
    RelationshipFactory(source=a, target=b)
    RelationshipFactory(source=a, target=c)
    text = adjacency(html_of(client.get(NETWORK, {"region": "wales"})))
    assert "Beta" in text and "Gamma" not in text


def test_the_network_shows_only_the_most_linked_organisations(client, monkeypatch):
    monkeypatch.setattr(network, "MAX_NODES", 3)
    hub = OrganisationFactory(name="Hub")
    for i in range(5):
        RelationshipFactory(source=hub, target=OrganisationFactory(name=f"Spoke {i}"))
    html = html_of(client.get(NETWORK))
    assert "<strong>6</strong> of 6 organisations have a recorded link; the 3 most linked" in html
    assert len(re.findall(r'<circle [^>]*class="org"', html)) == 3


def test_the_network_layout_is_the_same_every_time(client, vocab):
    orgs = OrganisationFactory.create_batch(6)
    for a, b in zip(orgs, orgs[1:], strict=False):
        RelationshipFactory(source=a, target=b)
    first = html_of(client.get(NETWORK))
    cache.clear()
    assert html_of(client.get(NETWORK)) == first


def test_a_cell_beyond_the_first_candidates_still_shows_its_first_by_name(
    client, vocab, monkeypatch
):
    # The cells are filled from the first organisations by name; a rare cell whose members all
    # come later is ranked on its own, so it is never shown half empty.
    monkeypatch.setattr(landscape, "CANDIDATES", 2)
    OrganisationFactory(name="Aa Lab", terms=[vocab["privacy"], vocab["research"]])
    OrganisationFactory(name="Ab Lab", terms=[vocab["privacy"], vocab["research"]])
    OrganisationFactory(name="Zy Tools", terms=[vocab["exclusion"], vocab["tools"]])
    OrganisationFactory(name="Zz Tools", terms=[vocab["exclusion"], vocab["tools"]])
    html = html_of(client.get(LANDSCAPE))
    assert cells(area_html(html, "digital-exclusion")) == {"Tools": ["Zy Tools", "Zz Tools"]}
    assert cells(area_html(html, "data-privacy")) == {"Research": ["Aa Lab", "Ab Lab"]}


def test_an_area_with_many_groups_shows_fewer_names_in_each(client, vocab):
    activities = VocabularyFactory(slug="activities")
    kinds = [TermFactory(vocabulary=activities, slug=f"kind-{i}", order=10 + i) for i in range(7)]
    for kind in kinds:
        for i in range(landscape.CELL_CAP):
            OrganisationFactory(name=f"{kind.slug} {i:02d}", terms=[vocab["privacy"], kind])
    groups = cells(area_html(html_of(client.get(LANDSCAPE)), "data-privacy"))
    assert len(groups) == 7
    assert {len(names) for names in groups.values()} == {landscape.AREA_NAMES // 7}
