import datetime
import html as htmllib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarks.page_weight import PAGES, budget, weigh
from orgs.models import Organisation
from tests.factories import OrganisationFactory, TermFactory, VocabularyFactory
from tests.schemaorg import json_ld, problems

pytestmark = pytest.mark.django_db

# Every page of the URL contract this branch serves, with the starter data.
CONTRACT_PAGES = [url for _, url in PAGES] + ["/taxonomy/consequences/surveillance/"]


def test_the_home_page_says_what_the_map_is_and_shows_the_counts(client, starter_data):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    published = Organisation.objects.published().count()
    assert f"<dd>{published}</dd>" in html
    assert "unintended consequences of technology" in html
    assert "Data privacy" in html


def test_the_home_page_offers_the_areas_search_and_a_way_to_join(client, starter_data):
    html = client.get(reverse("home")).content.decode()
    assert 'action="/organisations/"' in html and 'name="q"' in html
    assert re.search(r">Data privacy</strong> <span class=\"count\">\d+ organisations<", html)
    assert 'href="/submit/"' in html
    assert 'href="/map/"' in html and 'href="/map/geo/"' in html and 'href="/map/network/"' in html


def test_the_home_page_describes_the_site_and_its_search_in_schema_org(client, db, settings):
    settings.SITE_URL = "https://map.example.org"
    OrganisationFactory(name="Open Rights Group")
    OrganisationFactory(name="Fair Data Trust")
    data = json_ld(client.get(reverse("home")).content.decode())
    assert problems(data) == []
    assert data["@type"] == "WebSite"
    assert data["url"] == "https://map.example.org/"
    action = data["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["query-input"] == "required name=search_term_string"
    template = action["target"]["urlTemplate"]
    assert template == "https://map.example.org/organisations/?q={search_term_string}"
    # The search a search engine would send finds the organisation.
    search = template.removeprefix(settings.SITE_URL).replace("{search_term_string}", "rights")
    html = client.get(search).content.decode()
    assert "Open Rights Group" in html and "Fair Data Trust" not in html


def test_the_home_page_counts_narrower_terms_towards_their_area(client, db):
    consequences = VocabularyFactory(slug="consequences")
    privacy = TermFactory(vocabulary=consequences, slug="data-privacy", name="Data privacy")
    watching = TermFactory(vocabulary=consequences, slug="surveillance", parent=privacy)
    OrganisationFactory(terms=[watching])
    OrganisationFactory(terms=[privacy, watching])
    html = client.get(reverse("home")).content.decode()
    assert '>Data privacy</strong> <span class="count">2 organisations<' in html


def test_the_home_page_lists_the_newest_and_the_recently_verified(client, db):
    OrganisationFactory(name="Brand New")
    old = OrganisationFactory(name="Long Known", last_verified=timezone.localdate())
    Organisation.objects.filter(pk=old.pk).update(
        created=timezone.now() - datetime.timedelta(days=900)
    )
    html = client.get(reverse("home")).content.decode()
    recent, verified = html.split('id="verified-heading"')
    assert "Brand New" in recent
    assert "Long Known" in verified and "Brand New" not in verified


def test_health_check_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/criteria/", ["A listing is not an endorsement", "Data privacy"]),
        ("/about/", ["Who runs it", "How decisions are made"]),
        ("/privacy/", ["180 days", "never on a page or in the API", "No trackers"]),
    ],
)
def test_the_governance_pages_say_what_they_promise(client, starter_data, url, words):
    html = client.get(url).content.decode()
    for word in words:
        assert word in html


def test_every_page_has_one_h1_a_title_a_description_and_the_licence(client, starter_data):
    # One test over every page, so the starter data loads once.
    for url in CONTRACT_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert len(re.findall(r"<h1[ >]", html)) == 1, url
        title = re.search(r"<title>(.+?)</title>", html).group(1)
        assert "Ethical Tech Map" in htmllib.unescape(title), url
        description = re.search(r'<meta name="description" content="([^"]+)">', html).group(1)
        assert len(description) > 40, url
        assert 'rel="license"' in html and "CC BY 4.0" in html, url
        assert 'href="#main"' in html and '<main id="main"' in html, url
        # No inline script or style: the Content-Security-Policy would block them.
        assert not re.search(r"<script(?![^>]*(src=|application/ld\+json))", html), url
        assert " style=" not in html and "<style" not in html, url
        assert not re.search(r" on[a-z]+=", html), url


def test_every_page_is_within_its_weight_budget(client, starter_data):
    for _, url in PAGES:
        html, assets = weigh(client, url)
        assert (html + assets) / 1024 < budget(url), url


JUNK = [
    "?term=%00",
    "?region=narnia&type=%3Cscript%3E",
    "?page=99999999999999999999",
    "?sort=../../etc",
    "?bbox=1,2,3",
    "?q=" + "x" * 5000,
    "?tag=%F0%9F%98%80&links=terms",
    "?term=data-privacy&term=data-privacy&activity=%27%22",
]


def test_junk_in_the_query_string_gives_an_ordinary_page(client, starter_data):
    for path in ["/organisations/", "/map/", "/map/geo/", "/map/network/"]:
        for query in JUNK:
            response = client.get(path + query)
            assert response.status_code == 200, path + query
            # These pages load no script at all, so none can have come from the query string.
            assert b"<script" not in response.content, path + query
