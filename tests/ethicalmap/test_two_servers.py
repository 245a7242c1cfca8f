"""Two app servers, as two machines behind a load balancer, hold one set of limits.

Each server is a gunicorn of its own with two workers, on its own port, on the test's PostgreSQL
database, once with a Redis they share and once without (the database is then the shared
store). Requests alternate between them, from clients named by X-Forwarded-For as a proxy in
front would name them. They must hold together: the form rate limit, single-use form stamps,
API throttling and the admin lockout, and a moderator's approval on one server must be seen on
the other within the data-version window. `pytest -s` prints the figures.
"""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest
import requests
from django.conf import global_settings, settings
from django.db import connection
from django.urls import reverse

from orgs.models import Organisation, Submission
from tests.ethicalmap.redis_helpers import reachable_redis
from tests.factories import UserFactory
from tests.orgs.submissions.submission_helpers import load_vocabularies, new_org_post

FORM_LIMIT = 5  # posts a client may send an hour
API_LIMIT = 10  # API requests a client may make a minute
LOCKOUT_AFTER = 5  # failed admin sign-ins
VERSION_WINDOW_MS = 1000  # how long a process may reuse the data version
SUBMIT = reverse("submit:new")
SIGN_IN = reverse("admin:login")
USED = "We already have this form"
LISTING = "/api/v1/organisations/?page_size=100"
PASSWORD = "a-long-test-password"  # tests.factories.UserFactory's

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two servers share one database, which SQLite's in-memory test database cannot be",
    ),
    pytest.mark.django_db(transaction=True),
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    """The test database, as the servers must reach it."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def server_environment(redis_url, tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG"}}
    environment.update(
        DJANGO_SETTINGS_MODULE="tests.ethicalmap.server_settings",
        DATABASE_URL=database_url(),
        # New each run, so the keys of two runs on one Redis never meet.
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        TRUSTED_PROXY_COUNT="1",
        SUBMISSION_RATE_LIMIT=str(FORM_LIMIT),
        SUBMISSION_MIN_FILL_SECONDS="0",
        API_ANON_RATE=f"{API_LIMIT}/minute",
        AXES_FAILURE_LIMIT=str(LOCKOUT_AFTER),
        DATA_VERSION_MAX_AGE_MS=str(VERSION_WINDOW_MS),
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        EXPORT_ROOT=str(tmp_path / "export"),
        WEB_CONCURRENCY="2",
        GUNICORN_ACCESS_LOG="/dev/null",
        LOG_LEVEL="WARNING",
    )
    if redis_url:
        environment["REDIS_URL"] = redis_url
    return environment


class Server:
    def __init__(self, environment, log):
        self.url = f"http://127.0.0.1:{free_port()}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "ethicalmap.wsgi:application"]
            + ["-c", "gunicorn.conf.py"],
            cwd=settings.BASE_DIR,
            env={**environment, "GUNICORN_BIND": self.url.removeprefix("http://")},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self, log_path):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or still starting
                pass
            assert self.process.poll() is None, log_path.read_text()[-3000:]
            time.sleep(0.2)
        pytest.fail(f"{self.url} did not start:\n{log_path.read_text()[-3000:]}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(params=["redis", "database"])
def servers(request, transactional_db, tmp_path):
    """Two servers on the test database, sharing Redis or (without it) nothing else."""
    redis_url = reachable_redis() if request.param == "redis" else None
    load_vocabularies()  # committed: the servers read the same database
    environment = server_environment(redis_url, tmp_path)
    log_path = tmp_path / "servers.log"
    with log_path.open("w") as log:
        started = [Server(environment, log) for _ in range(2)]
        try:
            for server in started:
                server.wait_until_ready(log_path)
            yield request.param, started
        finally:
            for server in started:
                server.stop()


def figure(store, what, allowed, configured, sent):
    print(f"\n[{store}] {what}: {allowed} allowed of {configured} configured ({sent} sent)")


# --- the phases, each from its own client -----------------------------------------------------


def page_stamp(html):
    return re.search(r'name="started" value="([^"]+)"', html).group(1)


def send_forms(servers, client, count):
    """`count` good forms from one client, alternating servers: (statuses, what was accepted)."""
    session, statuses, accepted = requests.Session(), [], []
    headers = {"X-Forwarded-For": client}
    for n in range(count):
        url = servers[n % 2].url + SUBMIT
        page = session.get(url, headers=headers, timeout=30)
        post = new_org_post(
            name=f"Across Servers {n}",
            website=f"https://across-{n}.example.org/",
            started=page_stamp(page.text),
            csrfmiddlewaretoken=session.cookies["csrftoken"],
        )
        response = session.post(url, data=post, headers=headers, allow_redirects=False, timeout=30)
        statuses.append(response.status_code)
        if response.status_code == 302:
            accepted.append(post)
        else:
            assert response.headers.get("Retry-After"), response.status_code
    return statuses, accepted


def resend(server, post, client):
    session = requests.Session()
    session.get(server.url + SUBMIT, headers={"X-Forwarded-For": client}, timeout=30)
    post = {**post, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    return session.post(
        server.url + SUBMIT, data=post, headers={"X-Forwarded-For": client}, timeout=30
    )


def call_api(servers, client, count):
    """`count` API requests from one client at once, alternating servers; their statuses.

    Each asks for another page size: a repeat of a kept answer does no work and is not counted.
    """

    def call(n):
        url = f"{servers[n % 2].url}/api/v1/organisations/?page_size={n + 1}"
        response = requests.get(url, headers={"X-Forwarded-For": client}, timeout=30)
        assert response.status_code == 200 or response.headers["Retry-After"]
        return response.status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        return list(pool.map(call, range(count)))


def sign_in(server, client, username, password, session=None):
    session = session or requests.Session()
    headers = {"X-Forwarded-For": client}
    session.get(server.url + SIGN_IN, headers=headers, timeout=30)
    form = {
        "username": username,
        "password": password,
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
        "next": "/admin/",
    }
    return session.post(
        server.url + SIGN_IN, data=form, headers=headers, allow_redirects=False, timeout=30
    )


def seconds_until_seen(server, name, headers, timeout=10):
    """Poll one server's list of organisations until `name` is on it; how long that took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if name in requests.get(server.url + LISTING, headers=headers, timeout=30).text:
            return time.monotonic() - start
        time.sleep(0.05)
    pytest.fail(f"{name} not seen on {server.url} after {timeout} s")


@pytest.fixture(autouse=True)
def _production_password_hasher(settings):
    # The servers run with production settings in processes of their own: the moderator's
    # password must be stored as they check it, not with the tests' cheap hasher.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


# --- the test ---------------------------------------------------------------------------------


def test_two_servers_hold_one_set_of_limits(servers, moderator):
    store, (a, b) = servers

    statuses, accepted = send_forms((a, b), "203.0.113.10", FORM_LIMIT * 2)
    figure(store, "form posts an hour", statuses.count(302), FORM_LIMIT, len(statuses))
    assert statuses == [302] * FORM_LIMIT + [429] * FORM_LIMIT
    # A stamp works once, whichever server it is sent to and from whichever client.
    replay = resend(b, accepted[0], "203.0.113.11")
    assert replay.status_code == 200 and USED in replay.text
    assert Submission.objects.count() == FORM_LIMIT

    statuses = call_api((a, b), "203.0.113.20", API_LIMIT * 2)
    figure(store, "API requests a minute", statuses.count(200), API_LIMIT, len(statuses))
    assert sorted(statuses) == [200] * API_LIMIT + [429] * API_LIMIT

    submission = Submission.objects.order_by("pk").first()
    name = submission.data["name"]
    reader = {"X-Forwarded-For": "203.0.113.30"}
    before = requests.get(f"{b.url}{LISTING}", headers=reader, timeout=30)  # now kept on b
    assert before.status_code == 200 and name not in before.text
    moderating = requests.Session()
    signed_in = sign_in(a, "203.0.113.31", moderator.username, PASSWORD, moderating)
    assert signed_in.status_code == 302
    approve = reverse("admin:orgs_submission_approve", args=[submission.pk])
    moderating.post(a.url + approve, data={"csrfmiddlewaretoken": moderating.cookies["csrftoken"]})
    assert Organisation.objects.filter(name=name).exists()
    delay = seconds_until_seen(b, name, reader)
    print(f"\n[{store}] an approval on one server seen on the other after {delay:.2f} s")
    # The window, and a moment for the request itself on a busy machine.
    assert delay < VERSION_WINDOW_MS / 1000 + 1

    # New names each run: Redis keeps a lockout for its cool-off, whichever run caused it.
    victim, bystander = (
        UserFactory(username=f"{who}-{secrets.token_hex(4)}", is_staff=True)
        for who in ("victim", "bystander")
    )
    client = "203.0.113.40"
    wrong = [sign_in((a, b)[n % 2], client, victim.username, "wrong") for n in range(LOCKOUT_AFTER)]
    # The failure that reaches the limit is already answered with the lockout.
    assert [r.status_code for r in wrong] == [200] * (LOCKOUT_AFTER - 1) + [429]
    for server in (a, b):
        assert sign_in(server, client, victim.username, PASSWORD).status_code == 429
    assert sign_in(b, client, bystander.username, PASSWORD).status_code == 302
