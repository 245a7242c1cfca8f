"""Every endpoint costs the same number of queries at 10 organisations as at 500."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag, TaggedItem

from ethicalmap import kept
from orgs.models import Organisation, Relationship
from principles.models import Assessment, Endorsement
from tests.factories import OrganisationFactory, PrincipleFactory, TermFactory, VocabularyFactory
from tests.queries import LIMIT_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(db):
    """A function that brings the map up to `total` organisations, each with every kind of
    related record (terms, help, tags, links, an assessment and an endorsement)."""
    vocabulary = VocabularyFactory(slug="consequences")
    terms = [TermFactory(vocabulary=vocabulary, slug=f"term-{n}") for n in range(3)]
    help_term = TermFactory(vocabulary=VocabularyFactory(slug="help"), slug="help-funding")
    principle = PrincipleFactory(slug="principle")
    tag = Tag.objects.create(name="Open data", slug="open-data")
    content_type = ContentType.objects.get_for_model(Organisation)

    def grow_to(total):
        start = Organisation.objects.count()
        created = Organisation.objects.bulk_create(
            OrganisationFactory.build(slug=f"org-{n}", name=f"Org {n:04}")
            for n in range(start, total)
        )
        previous = Organisation.objects.order_by("-pk").exclude(pk__in=[o.pk for o in created])[:1]
        chain = list(previous) + created
        Organisation.terms.through.objects.bulk_create(
            Organisation.terms.through(organisation=o, term=terms[i % 3])
            for i, o in enumerate(created)
        )
        Organisation.offers.through.objects.bulk_create(
            Organisation.offers.through(organisation=o, term=help_term) for o in created
        )
        TaggedItem.objects.bulk_create(
            TaggedItem(tag=tag, content_type=content_type, object_id=o.pk) for o in created
        )
        Relationship.objects.bulk_create(
            Relationship(source=a, target=b, kind="partner")
            for a, b in zip(chain, chain[1:], strict=False)
        )
        Assessment.objects.bulk_create(
            Assessment(
                organisation=o, principle=principle, level=3, assessed_on=datetime.date.today()
            )
            for o in created
        )
        Endorsement.objects.bulk_create(
            Endorsement(organisation=o, principle=principle) for o in created
        )
        cache.clear()  # counts are cached under the data version: measure them afresh
        kept.build_all()  # as the write's process does after it commits (ethicalmap/kept.py)

    return grow_to


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


URLS = [
    "/api/v1/organisations/?page_size=500",
    "/api/v1/organisations/?page_size=500&format=geojson",
    "/api/v1/organisations/?page_size=500&format=csv",
    "/api/v1/organisations/?page_size=500&pagination=cursor",
    "/api/v1/organisations/?page_size=500&term=term-0&region=london&search=org",
    "/api/v1/organisations/?search=fair&page=2&page_size=3",  # every one matches: ranked
    "/api/v1/organisations/org-5/",
    "/api/v1/relationships/?page_size=500",
    "/api/v1/terms/",
    "/api/v1/terms/term-0/",
    "/api/v1/vocabularies/",
    "/api/v1/principles/",
    "/api/v1/principles/principle/",
    "/api/v1/stats/",
]


def test_every_endpoint_costs_the_same_queries_at_10_and_at_500_organisations(client, grow):
    grow(10)
    small = {url: queries(client, url) for url in URLS}
    grow(500)
    assert Organisation.objects.count() == 500
    large = {url: queries(client, url) for url in URLS}
    assert large == small
    # the client's count in the shared limits store (the database here; Redis when set), data
    # version, count, page, then the related parts: on PostgreSQL one query; elsewhere terms,
    # offers and looking for (one union), tags, links out and in (one union), assessments,
    # endorsements; one organisation: no count, and on PostgreSQL its row and its related parts
    # in one query
    related = 1 if connection.vendor == "postgresql" else 5
    assert small["/api/v1/organisations/?page_size=500"] == 3 + related + LIMIT_QUERIES
    one = 1 if connection.vendor == "postgresql" else 1 + related
    assert small["/api/v1/organisations/org-5/"] == 1 + one + LIMIT_QUERIES


def test_a_count_is_kept_for_the_next_page(client, grow):
    grow(30)
    # Filtered: the whole list's count is kept after every write instead (orgs/kept.py).
    url = "/api/v1/organisations/?page_size=10&updated_since=2000-01-01"
    first = queries(client, url)
    assert queries(client, url + "&page=2") == first - 1


def test_the_same_answer_again_costs_one_query_until_the_data_change(client, grow):
    grow(30)
    url = "/api/v1/organisations/?page_size=10&format=geojson"
    first = client.get(url)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url)
    assert len(captured) == 1  # the data version
    assert again.content == first.content
    assert again.headers["Content-Type"] == "application/geo+json"
    assert again.headers["Link"] == first.headers["Link"]
    assert again.headers["ETag"] == first.headers["ETag"]
    Organisation.objects.filter(slug="org-0").update(name="Aaa first now")
    Organisation.objects.filter(slug="org-0").first().save()  # a moderator's edit
    changed = client.get(url).json()
    assert changed["features"][0]["properties"]["name"] == "Aaa first now"
