import re

import pytest
from django.urls import reverse

from orgs.models import Organisation
from resources.models import Resource
from tests.factories import (
    OrganisationFactory,
    PrincipleFactory,
    ResourceFactory,
    TermFactory,
    VocabularyFactory,
)

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
        "bias": TermFactory(vocabulary=consequences, slug="bias", name="Bias"),
    }


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def titles(html):
    return re.findall(r'<h3><a href="/resources/[^"]+/">([^<]+)</a></h3>', html)


def test_the_library_lists_published_resources_only(client):
    ResourceFactory(title="Open guide")
    ResourceFactory(title="Withdrawn guide", status=Resource.Status.WITHDRAWN)
    html = page(client, reverse("resources:list"))
    assert titles(html) == ["Open guide"]
    assert html.count("<h1>") == 1


def test_the_facets_narrow_the_list(client, areas):
    principle = PrincipleFactory(slug="protect-personal-data", title="Protect personal data")
    ResourceFactory(title="Privacy toolkit", kind="toolkit", areas=[areas["surveillance"]],
                    principles=[principle], licence="CC BY 4.0")  # fmt: skip
    ResourceFactory(title="Bias course", kind="course", areas=[areas["bias"]], free=False)
    url = reverse("resources:list")
    # A broader area finds resources on its narrower terms.
    assert titles(page(client, url, area="data-privacy")) == ["Privacy toolkit"]
    assert titles(page(client, url, kind="course")) == ["Bias course"]
    assert titles(page(client, url, principle="protect-personal-data")) == ["Privacy toolkit"]
    assert titles(page(client, url, cost="paid")) == ["Bias course"]
    assert titles(page(client, url, licence="CC BY 4.0")) == ["Privacy toolkit"]
    assert titles(page(client, url, licence="not-stated")) == ["Bias course"]
    assert titles(page(client, url, q="toolkit privacy")) == ["Privacy toolkit"]


def test_a_bad_filter_value_is_ignored_not_an_error(client):
    ResourceFactory(title="Open guide")
    html = page(client, reverse("resources:list"), kind="nonsense", area="no-such-area")
    assert titles(html) == ["Open guide"]


def test_the_facets_count_the_listed_resources(client, areas):
    ResourceFactory(kind="toolkit", areas=[areas["surveillance"]])
    ResourceFactory(kind="toolkit", areas=[areas["privacy"], areas["surveillance"]])
    ResourceFactory(kind="guide", areas=[areas["bias"]])
    html = page(client, reverse("resources:list"))
    assert re.search(r'value="toolkit"> Toolkit <span class="n">2</span>', html)
    assert re.search(r'value="data-privacy"> Data privacy <span class="n">2</span>', html)


@pytest.mark.parametrize("size", [3, 30])
def test_the_library_costs_the_same_queries_at_any_size(
    client, areas, size, django_assert_num_queries
):
    principle = PrincipleFactory()
    for n in range(size):
        ResourceFactory(areas=[areas["privacy"], areas["bias"]], principles=[principle],
                        publisher=OrganisationFactory() if n % 2 else None)  # fmt: skip
    # data version, principles, count, page, its areas and principles, then the facets: area
    # terms, area counts, principle counts, kinds, costs, licences
    with django_assert_num_queries(12):
        page(client, reverse("resources:list"))


def test_a_resource_page_links_its_publisher_on_the_map_and_its_principles(client, areas):
    publisher = OrganisationFactory(name="Open Rights")
    principle = PrincipleFactory(title="Protect personal data")
    resource = ResourceFactory(
        title="Privacy guide", publisher=publisher, publisher_name="Open Rights",
        principles=[principle], areas=[areas["privacy"]], licence="OGL v3.0", year=2024,
    )  # fmt: skip
    html = page(client, resource.get_absolute_url())
    assert f'<a href="{publisher.get_absolute_url()}">Open Rights</a>' in html
    assert f'<a href="{principle.get_absolute_url()}">Protect personal data</a>' in html
    assert "OGL v3.0" in html and "2024" in html
    assert f'href="{resource.url}"' in html
    Organisation.objects.filter(pk=publisher.pk).update(status=Organisation.Status.ARCHIVED)
    assert publisher.get_absolute_url() not in page(client, resource.get_absolute_url())


def test_a_withdrawn_resource_has_no_page(client):
    resource = ResourceFactory(status=Resource.Status.WITHDRAWN)
    assert client.get(resource.get_absolute_url()).status_code == 404


def test_other_maps_of_the_field_lists_the_maps_and_what_they_cover(client):
    ResourceFactory(title="Civic Tech Field Guide", kind="map-or-network", summary="Civic tech.")
    ResourceFactory(title="A guide", kind="guide")
    html = page(client, reverse("resources:maps"))
    assert "Civic Tech Field Guide" in html and "What it covers: Civic tech." in html
    assert "A guide" not in html


def test_a_principle_page_lists_resources_to_put_it_into_practice(client):
    principle = PrincipleFactory()
    ResourceFactory(title="Consequence scanning", principles=[principle])
    ResourceFactory(title="Withdrawn", principles=[principle], status="withdrawn")
    ResourceFactory(title="Unrelated")
    html = page(client, principle.get_absolute_url())
    section = html.split("Put it into practice", 1)[1].split("</section>", 1)[0]
    assert "Consequence scanning" in section
    assert "Withdrawn" not in section and "Unrelated" not in section


def test_an_area_page_lists_its_resources_and_those_of_narrower_areas(client, areas):
    ResourceFactory(title="Surveillance explained", areas=[areas["surveillance"]])
    ResourceFactory(title="Bias explained", areas=[areas["bias"]])
    html = page(client, areas["privacy"].get_absolute_url())
    assert "Surveillance explained" in html and "Bias explained" not in html


def test_a_profile_lists_what_the_organisation_publishes_and_case_studies_about_it(client):
    org = OrganisationFactory()
    ResourceFactory(title="Its own guide", publisher=org)
    ResourceFactory(title="A case about it", kind="case-study", case_organisation=org)
    ResourceFactory(title="Someone else's")
    html = page(client, org.get_absolute_url())
    assert "Its own guide" in html and "A case about it" in html
    assert "Someone else" not in html


def test_the_main_navigation_leads_to_the_library_and_marks_it_when_there(client):
    link = '<a href="/resources/"'
    assert link in client.get("/").content.decode()
    page = client.get("/resources/").content.decode()
    assert f'{link} aria-current="page">Resources</a>' in page
