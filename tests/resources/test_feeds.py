import datetime
import re

import feedparser
import pytest
from django.urls import reverse

from resources.models import Resource
from tests.factories import OrganisationFactory, ResourceFactory, TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")  # well-formed and valid enough to parse
    assert feed.version == "atom10"
    for entry in feed.entries:  # Atom's required elements of an entry
        assert entry.id and entry.title and entry.updated and entry.link
    return feed


def test_the_new_resources_feed_lists_published_resources_newest_first(client):
    ResourceFactory(title="Older", created=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    newer = ResourceFactory(title="Newer", kind="toolkit", summary="Helps.", publisher_name="Pub")
    ResourceFactory(title="Withdrawn", status=Resource.Status.WITHDRAWN)
    feed = parse(client, reverse("feeds:resources"))
    assert [e.title for e in feed.entries] == ["Newer (toolkit)", "Older (guide)"]
    assert feed.entries[0].summary == "Helps. Published by Pub."
    assert feed.entries[0].link == f"http://testserver{newer.get_absolute_url()}"


def test_the_new_organisations_feed(client):
    OrganisationFactory(name="Fair Data")
    OrganisationFactory(name="Gone", status="archived")
    feed = parse(client, reverse("feeds:organisations"))
    assert [e.title for e in feed.entries] == ["Fair Data"]


def test_the_verified_feed_lists_confirmed_entries_by_date(client):
    OrganisationFactory(name="Early", last_verified=datetime.date(2026, 3, 1))
    OrganisationFactory(name="Late", last_verified=datetime.date(2026, 9, 1))
    OrganisationFactory(name="Never")
    feed = parse(client, reverse("feeds:verified"))
    assert [e.title for e in feed.entries] == ["Late", "Early"]
    assert feed.entries[0].updated.startswith("2026-09-01")


def test_an_area_feed_has_its_organisations_and_resources_narrower_areas_included(client):
    consequences = VocabularyFactory(slug="consequences")
    privacy = TermFactory(vocabulary=consequences, slug="data-privacy", name="Data privacy")
    surveillance = TermFactory(vocabulary=consequences, slug="surveillance", parent=privacy)
    other = TermFactory(vocabulary=consequences, slug="bias")
    OrganisationFactory(name="Watchers", terms=[surveillance])
    OrganisationFactory(name="Elsewhere", terms=[other])
    ResourceFactory(title="Privacy guide", areas=[privacy])
    feed = parse(client, reverse("feeds:area", args=["data-privacy"]))
    assert sorted(e.title for e in feed.entries) == ["Privacy guide (guide)", "Watchers"]
    assert feed.feed.title.startswith("New in data privacy")
    assert client.get(reverse("feeds:area", args=["no-such-area"])).status_code == 404


def test_pages_link_the_feeds_for_feed_readers(client):
    consequences = VocabularyFactory(slug="consequences")
    term = TermFactory(vocabulary=consequences, slug="data-privacy")
    html = client.get(term.get_absolute_url()).content.decode()
    linked = re.findall(
        r'<link rel="alternate" type="application/atom\+xml"[^>]* href="([^"]+)"', html
    )
    assert linked == [
        reverse("feeds:organisations"),
        reverse("feeds:verified"),
        reverse("feeds:resources"),
        reverse("feeds:area", args=["data-privacy"]),
    ]
    for href in linked:
        parse(client, href)
