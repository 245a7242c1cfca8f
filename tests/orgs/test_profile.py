"""What a profile says about its evidence and its neighbours: where the facts come from, who
verified them, and the organisations working on the same areas."""

import datetime
import re

import pytest

from orgs.models import VerifiedBy
from tests.factories import OrganisationFactory, TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    consequences = VocabularyFactory(slug="consequences", name="Unintended consequences")
    privacy = TermFactory(vocabulary=consequences, slug="data-privacy", name="Data privacy")
    return {
        "privacy": privacy,
        "surveillance": TermFactory(
            vocabulary=consequences, slug="surveillance", name="Surveillance", parent=privacy
        ),
        "exclusion": TermFactory(
            vocabulary=consequences, slug="digital-exclusion", name="Digital exclusion"
        ),
        "ethics": TermFactory(
            vocabulary=VocabularyFactory(slug="themes"), slug="ethics", name="Tech ethics"
        ),
    }


def profile(client, org):
    response = client.get(org.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def section(html, heading):
    match = re.search(rf"<h2 id=\"{heading}-heading\">.*?</section>", html, re.S)
    return match.group(0) if match else ""


def test_the_profile_lists_where_its_facts_come_from_as_links(client):
    org = OrganisationFactory(
        source_urls="https://www.example.org/about/\n"
        "https://en.wikipedia.org/wiki/Fair_Data_Trust\n"
        "javascript:alert(1)\nhttps://www.example.org/about/"
    )
    sources = section(profile(client, org), "sources")
    assert "Where these facts come from" in sources
    links = re.findall(r'<a href="([^"]+)" rel="nofollow noopener">([^<]+)</a>', sources)
    assert links == [
        ("https://www.example.org/about/", "example.org/about"),
        ("https://en.wikipedia.org/wiki/Fair_Data_Trust", "en.wikipedia.org/wiki/Fair_Data_Trust"),
    ]
    assert "javascript" not in sources


def test_a_profile_without_sources_says_so(client):
    sources = section(profile(client, OrganisationFactory(source_urls="")), "sources")
    assert "No source is recorded for this entry" in sources


def test_the_never_verified_note_points_to_the_sources(client):
    html = profile(client, OrganisationFactory(source_urls="https://example.org/"))
    assert "<dt>Verified</dt><dd>Not yet verified</dd>" in html
    assert 'It was gathered from <a href="#sources">public sources</a>' in html


@pytest.mark.parametrize(
    ("verified_by", "words"),
    [
        (VerifiedBy.ORGANISATION, "Confirmed by the organisation on 3 March 2026"),
        (VerifiedBy.MODERATOR, "Checked by a moderator on 3 March 2026"),
        ("", "Checked by a moderator on 3 March 2026"),
    ],
)
def test_the_verification_is_said_in_plain_words(client, verified_by, words):
    org = OrganisationFactory(last_verified=datetime.date(2026, 3, 3), verified_by=verified_by)
    html = profile(client, org)
    assert f"<dt>Verified</dt><dd>{words}</dd>" in html
    assert "not yet been verified" not in html


def neighbour_names(html):
    return re.findall(r'<li><a href="/organisations/[^"]+/">([^<]+)</a> <span', section(
        html, "neighbours"
    ))  # fmt: skip


def test_the_profile_names_organisations_on_the_same_areas_same_region_first(client, areas):
    privacy, surveillance, exclusion = areas["privacy"], areas["surveillance"], areas["exclusion"]
    org = OrganisationFactory(name="Fair Data", region="wales", terms=[privacy, surveillance])
    OrganisationFactory(name="Close Cousin", region="london", terms=[privacy, surveillance])
    OrganisationFactory(name="Welsh Friend", region="wales", terms=[privacy, exclusion])
    OrganisationFactory(name="Far Friend", region="london", terms=[privacy])
    OrganisationFactory(name="Welsh Other", region="wales", terms=[exclusion, areas["ethics"]])
    OrganisationFactory(name="Gone", region="wales", terms=[privacy], status="archived")
    html = profile(client, org)
    # Based in Wales first, then the most areas shared; a shared theme is not an area.
    assert neighbour_names(html) == ["Welsh Friend", "Close Cousin", "Far Friend"]
    assert re.search(
        r"Welsh Friend</a> <span class=\"meta\">Also in Wales\. Shares: "
        r'<a href="/organisations/\?term=data-privacy">Data privacy</a></span>',
        html,
    )


def test_the_profile_names_a_handful_of_neighbours_and_they_name_it_back(client, areas):
    org = OrganisationFactory(name="Fair Data", terms=[areas["privacy"]])
    others = [OrganisationFactory(name=f"Other {n}", terms=[areas["privacy"]]) for n in range(7)]
    assert neighbour_names(profile(client, org)) == [f"Other {n}" for n in range(5)]
    assert "Fair Data" in neighbour_names(profile(client, others[0]))


def test_an_organisation_with_no_area_has_no_neighbours_section(client, areas):
    OrganisationFactory(terms=[areas["privacy"]])
    html = profile(client, OrganisationFactory(terms=[areas["ethics"]]))
    assert "Organisations working on the same areas" not in html


@pytest.mark.parametrize("size", [6, 60])
def test_the_neighbours_cost_the_same_queries_however_many_share_the_areas(
    client, areas, size, django_assert_num_queries
):
    org = OrganisationFactory(terms=[areas["privacy"], areas["surveillance"]])
    for n in range(size):
        OrganisationFactory(terms=[areas["privacy"], areas["surveillance"]][: 1 + n % 2])
    # data version, the organisation and its four prefetches, links, assessments (with their
    # level's name; the case studies they cite would be one more), endorsements, the neighbours
    # and their shared areas, its resources
    with django_assert_num_queries(12):
        html = profile(client, org)
    assert len(neighbour_names(html)) == 5
