"""The framable slice of the map (/embed/), the refusal of framing everywhere else, and the
shareable image of the landscape (/map/landscape.svg)."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from orgs.models import Region
from tests.factories import OrganisationFactory, TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    areas = VocabularyFactory(slug="consequences", name="Consequences")
    privacy = TermFactory(vocabulary=areas, slug="data-privacy", name="Data privacy")
    return {
        "wales": OrganisationFactory(
            name="Cymru Data",
            slug="cymru-data",
            region=Region.WALES,
            terms=[privacy],
            tags=["open source"],
        ),  # fmt: skip
        "london": OrganisationFactory(name="London Rights", slug="london-rights", terms=[privacy]),
        "hidden": OrganisationFactory(name="Gone Away", region=Region.WALES, status="archived"),
    }


def frame_ancestors(response):
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return directives["frame-ancestors"]


def test_embed_may_be_framed_by_any_site(client, orgs):
    response = client.get("/embed/")
    assert response.status_code == 200
    assert frame_ancestors(response) == "*"
    assert "X-Frame-Options" not in response
    # The rest of the policy is as strict as everywhere else.
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "url",
    ["/", "/insights/", "/map/", "/organisations/", "/organisations/cymru-data/", "/api/",
     "/submit/", "/map/landscape.svg", "/api/v1/stats/"],
)  # fmt: skip
def test_every_other_page_refuses_to_be_framed(client, orgs, url):
    response = client.get(url)
    assert response.status_code == 200
    assert frame_ancestors(response) == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_embed_lists_the_filtered_organisations_linking_back_to_their_profiles(
    client, orgs, settings
):
    page = client.get("/embed/?region=wales&tag=open-source&q=ignored").content.decode()
    assert "Cymru Data" in page
    assert "London Rights" not in page and "Gone Away" not in page
    assert (
        f'<a href="{settings.SITE_URL}/organisations/cymru-data/" target="_top">Cymru Data</a>'
        in page
    )
    # Its own light layout: no site navigation, no script, one stylesheet.
    assert 'class="site-nav"' not in page and "<script" not in page
    assert page.count('<link rel="stylesheet"') == 1
    assert 'rel="license noopener" target="_blank"' in page


def test_embed_takes_the_directory_filters_and_says_when_one_was_left_out(client, orgs):
    assert "London Rights" in client.get("/embed/?term=data-privacy&type=charity").content.decode()
    page = client.get("/embed/?region=atlantis").content.decode()
    assert "Some filters were not recognised and were left out." in page
    assert "Cymru Data" in page and "London Rights" in page


@pytest.mark.parametrize(
    "path",
    [
        "/embed/?region=Call+0800+SCAM&term=Visit+scam.example&tag=scam.example+now",
        "/map/landscape.svg?region=Call+0800+SCAM&term=Visit+scam.example&q=scam.example+now",
    ],
)
def test_framable_pages_never_repeat_unknown_filter_values(client, orgs, path):
    # Other sites frame the embed and show the image: a crafted link must not make them say
    # what its author wants.
    page = client.get(path).content.decode()
    assert "scam.example" not in page and "0800" not in page


def test_framable_pages_still_name_the_filters_they_know(client, orgs):
    assert "region: Wales" in client.get("/embed/?region=wales").content.decode()
    assert "Region: Wales" in client.get("/map/landscape.svg?region=wales").content.decode()


def test_landscape_image_is_a_standalone_svg_with_the_licence_and_the_date(client, orgs):
    response = client.get("/map/landscape.svg?region=wales")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    text = " ".join(root.itertext())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "CC BY 4.0" in text
    assert timezone.localdate().strftime("%-d %B %Y") in text
    assert "Region: Wales" in text and "Cymru Data" in text and "London Rights" not in text
    assert "style" not in response.content.decode()


def test_the_map_links_to_its_image_with_the_same_filters(client, orgs):
    page = client.get("/map/?region=wales").content.decode()
    assert 'href="/map/landscape.svg?region=wales"' in page


def test_the_api_guide_offers_an_iframe_snippet_to_copy(client, settings):
    page = client.get("/api/").content.decode()
    assert f'&lt;iframe src="{settings.SITE_URL}/embed/?region=' in page


def test_landscape_image_follows_a_change_to_the_data(client, orgs):
    assert "Newcomer" not in client.get("/map/landscape.svg").content.decode()
    privacy = orgs["wales"].terms.get()
    OrganisationFactory(name="Newcomer", terms=[privacy])
    assert "Newcomer" in client.get("/map/landscape.svg").content.decode()
