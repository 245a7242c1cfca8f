import os

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from pytest_django.live_server_helper import LiveServer

from orgs.moderators import MODERATORS_GROUP
from tests import factories, workers
from tests.liveserver import HangingUpServer
from tests.snapshot import StarterSnapshot

workers.keep_apart()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits, cached responses and counters must not leak from one test into the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, on one that hangs up its connections (tests/liveserver.py)."""
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.server_class = HangingUpServer
    server.start()
    yield server
    server.thread.httpd.hang_up()  # before the database connection stops being shared
    server.stop()


@pytest.fixture(autouse=True)
def _live_server_connections_end_with_their_test(request):
    yield
    if "live_server" in request.fixturenames:
        request.getfixturevalue("live_server").thread.httpd.hang_up()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Tests run with production settings; the test client speaks plain HTTP and templates resolve
    # static files without a collectstatic manifest.
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The admin lockout needs a request to count attempts, which the test client's login() does
    # not pass; it is switched on in the tests of the lockout itself.
    settings.AXES_ENABLED = False
    # Production hashes a password in about half a second, on purpose; the tests make hundreds of
    # moderators. What is stored and checked is the same, only cheaper to compute.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every request reads the data version, so a write is seen by the very next request (the
    # moment a process may reuse it is tested on its own).
    settings.DATA_VERSION_MAX_AGE_MS = 0


@pytest.fixture(autouse=True)
def _exports_and_kept_values_of_its_own(settings, tmp_path):
    # The export's files are named by data version, which repeats from one test to the next.
    settings.EXPORT_ROOT = tmp_path / "export"
    # Built in the request, so a test reads the export of its own data (a build in a thread of
    # its own is tested on its own, in tests/api/test_export.py).
    settings.EXPORT_BUILD_IN_BACKGROUND = False
    # The whole map's values are built by the request that needs them, as after a write by raw
    # SQL: a test reads what its own data give. Building them after each write, in the writer's
    # process, is tested on its own (tests/ethicalmap/test_kept.py).
    settings.KEPT_BUILD_ON_WRITE = False
    settings.KEPT_STALE_WHILE_BUILDING = False


_starter = StarterSnapshot()


@pytest.fixture
def starter_data(db):
    """The whole starter content, as `make run` loads it (tests/snapshot.py keeps it fast)."""
    _starter.load()


@pytest.fixture
def moderator(db):
    """A staff user in the Moderators group, with nothing more."""
    user = factories.UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
