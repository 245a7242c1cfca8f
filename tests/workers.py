"""Keeps the parallel test workers (pytest-xdist, `make test` runs two) out of each other's way.

Each worker is a process with its own test database (pytest-django names them by worker), its
own SQLite in memory and, per test, its own export folder (tests/conftest.py). What they would
share is Redis, where one worker's `cache.clear()` would empty the other's counts: so each worker
takes a Redis database of its own, numbered from the one it was given (REDIS_URL up from it,
TEST_REDIS_URL down from it). This runs when tests/conftest.py is imported: Django has read its
settings then, but has not connected to any cache yet.
"""

import os
from urllib.parse import urlsplit, urlunsplit

from asgiref.local import Local

from tests.ethicalmap import redis_helpers


def worker_index():
    """0 for the first worker or when the tests run in one process, 1 for the second, ..."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def shifted(url, step):
    """The Redis URL `url` with its database number moved by `step`."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + step
    if not 0 <= number <= 15:
        raise RuntimeError(
            f"No Redis database {number} for test worker {worker_index()}: "
            "run fewer workers (TEST_JOBS) or start from another database."
        )
    return urlunsplit(parts._replace(path=f"/{number}"))


def keep_apart():
    index = worker_index()
    if not index:
        return
    from django.conf import settings
    from django.core.cache import caches

    redis_helpers.TEST_REDIS_URL = shifted(redis_helpers.TEST_REDIS_URL, -index)
    if settings.REDIS_URL:
        settings.REDIS_URL = shifted(settings.REDIS_URL, index)
        default = {**settings.CACHES["default"], "LOCATION": settings.REDIS_URL}
        settings.CACHES = {**settings.CACHES, "default": default}
        # The cache handler reads CACHES when first used; forget it in case anything has.
        caches.__dict__.pop("settings", None)
        caches._connections = Local(caches.thread_critical)
