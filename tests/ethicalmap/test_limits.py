"""Counts every app process shares: in Redis when it is set, else in the database, atomically."""

import time
import uuid

import pytest
from django.core.cache import cache
from django.db import connection

from ethicalmap import limits
from ethicalmap.dataversion import data_version, public_tables
from ethicalmap.models import LimitCounter
from tests.ethicalmap.redis_helpers import reachable_redis
from tests.factories import OrganisationFactory
from tests.threads import at_once

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    """Each test runs against both stores; names are new each run, so runs never share one."""
    settings.REDIS_URL = reachable_redis() if request.param == "redis" else None
    return request.param


def a_name():
    return limits.key("test", uuid.uuid4().hex)


def end_window(settings, name):
    """Make `name`'s window end now, as time passing would."""
    if settings.REDIS_URL:
        limits._redis(settings.REDIS_URL).delete(limits.REDIS_PREFIX + name)
    else:
        LimitCounter.objects.filter(key=name).update(expires=0)


def test_hits_count_up_within_a_window_and_start_again_after_it(store, settings):
    name = a_name()
    counted = [limits.hit(name, 60) for _ in range(3)]
    assert [hit.count for hit in counted] == [1, 2, 3]
    assert all(55 <= hit.reset_in <= 60 for hit in counted)
    end_window(settings, name)
    assert limits.hit(name, 60).count == 1


def test_a_name_is_claimed_once_until_released(store):
    name = a_name()
    assert limits.claim(name, 60)
    assert not limits.claim(name, 60)
    limits.release(name)
    assert limits.claim(name, 60)


def test_a_claim_held_is_prolonged_and_one_let_lapse_is_taken_over(store, settings):
    name = a_name()
    assert limits.claim(name, 5)
    limits.prolong(name, 60)  # its holder is still at work
    assert 55 <= limits.hit(name, 60).reset_in <= 60
    assert not limits.claim(name, 60)
    end_window(settings, name)  # its holder died: nobody prolonged it
    limits.prolong(name, 60)  # a late word from it does not bring the claim back
    assert limits.claim(name, 60)


def test_each_name_counts_apart(store):
    first, second = a_name(), a_name()
    limits.hit(first, 60)
    assert limits.hit(second, 60).count == 1


def test_the_count_is_not_in_local_memory(store):
    name = a_name()
    limits.hit(name, 60)
    cache.clear()  # what a second process holds in its own memory: nothing
    assert limits.hit(name, 60).count == 2


def test_a_key_does_not_reveal_what_it_counts(settings):
    name = limits.key("api-anon", "203.0.113.9")
    assert "203.0.113" not in name and "203011" not in name
    assert name == limits.key("api-anon", "203.0.113.9")
    assert name != limits.key("api-export", "203.0.113.9")
    settings.SECRET_KEY = "another-secret-for-this-test"
    assert name != limits.key("api-anon", "203.0.113.9")


def test_a_hit_in_the_database_is_one_query(django_assert_num_queries, settings):
    settings.REDIS_URL = None
    name = a_name()
    with django_assert_num_queries(1):
        limits.hit(name, 60)
    with django_assert_num_queries(1):
        limits.hit(name, 60)


def test_expired_counts_are_removed_as_new_ones_arrive(settings):
    settings.REDIS_URL = None
    old = [a_name() for _ in range(limits.PRUNE_BATCH + 5)]
    for name in old:
        limits.hit(name, 60)
    LimitCounter.objects.filter(key__in=old).update(expires=0)
    live = a_name()
    limits.hit(live, 60)

    # One insert removes a bounded batch; the next removes the rest. Live counts stay.
    assert LimitCounter.objects.filter(key__in=old).count() == 5
    limits.hit(a_name(), 60)
    assert not LimitCounter.objects.filter(key__in=old).exists()
    assert limits.hit(live, 60).count == 2


def test_the_counts_are_private_and_move_no_data_version(settings):
    settings.REDIS_URL = None
    assert LimitCounter._meta.db_table not in public_tables()
    OrganisationFactory()
    before = data_version()
    limits.hit(a_name(), 60)
    assert data_version() == before


def test_the_api_counts_each_client_in_the_shared_store(client, settings):
    settings.REDIS_URL = None
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "2/minute", "export": "1/hour"},
    }
    address = "198.51.100.7"
    api = "/api/v1/organisations/?page_size="
    for size in (1, 2):
        assert client.get(f"{api}{size}", REMOTE_ADDR=address).status_code == 200
        cache.clear()  # as the next worker process sees it: nothing in its own memory

    refused = client.get(f"{api}3", REMOTE_ADDR=address)

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert client.get(f"{api}3", REMOTE_ADDR="198.51.100.8").status_code == 200
    keys = " ".join(LimitCounter.objects.values_list("key", flat=True))
    assert "api-anon:" in keys and address not in keys


def test_when_redis_cannot_be_reached_nothing_is_counted_and_nothing_fails(settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    assert limits.hit(a_name(), 60).count == 0
    assert limits.claim(a_name(), 60)
    assert "Limits store unavailable" in caplog.text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_hits_at_the_same_moment_each_get_their_own_count(store):
    name, results = a_name(), []

    def count():
        results.append(limits.hit(name, 60).count)

    at_once([count] * 12)
    assert sorted(results) == list(range(1, 13))


def test_the_first_hits_of_a_new_process_at_the_same_moment_each_get_their_own_count(
    settings, monkeypatch
):
    """A process's first requests come together. They share one Redis client: a second client
    made and dropped at that moment closed the first one's connections mid-request."""
    import redis

    settings.REDIS_URL = reachable_redis()
    monkeypatch.setattr(limits, "_clients", {})  # a new process: no client made yet
    made = redis.Redis.from_url

    def slowly_made(*args, **kwargs):
        time.sleep(0.05)  # let every thread find no client yet, as a busy process may
        return made(*args, **kwargs)

    monkeypatch.setattr(redis.Redis, "from_url", slowly_made)
    name, results = a_name(), []
    at_once([lambda: results.append(limits.hit(name, 60).count)] * 12)
    assert sorted(results) == list(range(1, 13))
