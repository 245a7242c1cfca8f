"""Whatever is kept is keyed on what it was built from; a cache outage fails no page."""

import pytest
from django.core.cache import cache

from ethicalmap.caching import versioned_get_or_set, versioned_key
from ethicalmap.dataversion import data_version
from ethicalmap.release import release_id
from orgs.models import Organisation
from tests.factories import OrganisationFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def release(settings):
    """Set RELEASE_ID for the test, as a deploy would."""

    def deploy(name):
        settings.RELEASE_ID = name
        release_id.cache_clear()

    yield deploy
    release_id.cache_clear()


def test_a_write_to_the_data_moves_every_versioned_key():
    organisation = OrganisationFactory()
    before = versioned_key("insights", ("2024-01-01", "region=UKC"), version=data_version())
    assert versioned_key("insights", ("2024-01-01", "region=UKC"), version=data_version()) == before
    Organisation.objects.filter(pk=organisation.pk).update(name="Renamed")
    assert versioned_key("insights", ("2024-01-01", "region=UKC"), version=data_version()) != before


def test_a_deploy_moves_every_key_even_those_keyed_on_their_own_inputs(release):
    release("release-1")
    versioned = versioned_key("api-count", ("SELECT 1",), version=data_version())
    content_addressed = versioned_key("network-layout", ("graph",), version=None)
    release("release-2")
    assert versioned_key("api-count", ("SELECT 1",), version=data_version()) != versioned
    assert versioned_key("network-layout", ("graph",), version=None) != content_addressed


def test_short_plain_parts_stay_readable_and_others_are_hashed(release):
    release("r1")
    assert versioned_key("network-layout", ("a", "b"), version=None) == "network-layout:r1:a:b"
    long_query = "q=" + "climate justice " * 40
    hashed = versioned_key("anonymous", ("/organisations/", long_query), version=None)
    assert hashed.startswith("anonymous:#") and len(hashed) < 60

    # Parts that would read alike once joined are told apart.
    def key(*parts):
        return versioned_key("x", parts, version=None)

    assert key("a:b") != key("a", "b")
    assert key("") != key()


def test_any_key_is_one_the_cache_accepts():
    # Django warns (an error under this suite's filterwarnings) on keys memcached would refuse.
    key = versioned_key("api-count", ("SELECT *\nFROM t WHERE name = 'a b' " * 20,), version=None)
    cache.set(key, 3)
    assert cache.get(key) == 3


def test_a_namespace_cannot_be_mistaken_for_a_part():
    with pytest.raises(ValueError):
        versioned_key("api:count", (), version=None)


def test_a_value_is_computed_once_per_data_version():
    organisation = OrganisationFactory()
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    def kept():
        return versioned_get_or_set("insights", ("day",), compute, 60, version=data_version())

    assert (kept(), kept()) == (1, 1)
    Organisation.objects.filter(pk=organisation.pk).update(name="Renamed")
    assert kept() == 2


@pytest.fixture
def cache_down(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr("ethicalmap.caching.cache.get", broken)
    monkeypatch.setattr("ethicalmap.caching.cache.set", broken)


# Not the API: its throttles count in the cache, and those are a store of their own.
@pytest.mark.parametrize("url", ["/insights/", "/map/landscape.svg", "/map/network/", "/healthz"])
def test_pages_that_keep_what_they_compute_still_answer_while_the_cache_is_down(
    client, cache_down, url
):
    a, b = OrganisationFactory.create_batch(2)
    RelationshipFactory(source=a, target=b)
    response = client.get(url, headers={"cookie": "theme=dark"})  # past the anonymous cache too
    if url == "/healthz":
        assert response.status_code == 503
        assert response.json()["checks"]["cache"] == "error: ConnectionError"
    else:
        assert response.status_code == 200
