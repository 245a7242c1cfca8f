"""The Redis the tests use when there is one; under CI=true a missing Redis fails, never skips."""

import os

import pytest

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/11")


def reachable_redis():
    """TEST_REDIS_URL when a Redis answers there, else skip the test (fail it under CI=true)."""
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no Redis answers at {TEST_REDIS_URL}: start one.")
        pytest.skip(f"no Redis at {TEST_REDIS_URL}")
    return TEST_REDIS_URL
