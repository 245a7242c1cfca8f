"""The map keeps working, and loses nothing, when the database goes away and comes back."""

import os
import subprocess
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
import requests
from django.db import OperationalError, connection

from orgs.models import Submission
from tests.orgs.submissions.submission_helpers import load_vocabularies, new_org_post


@pytest.mark.django_db
def test_a_lost_database_gives_a_503_with_retry_after_not_a_500(client):
    # Every query of the request fails, as when the server has gone away.
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = client.get("/organisations/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Nothing you sent has been saved half-way" in response.content.decode()


def restart_postgresql():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql"
    or os.environ.get("RESTART_POSTGRES_TESTS") != "1"
    or not Path("/etc/postgresql").exists(),
    reason="restarts the real PostgreSQL server: run by .ci/run with RESTART_POSTGRES_TESTS=1",
)
@pytest.mark.serial  # the restart cuts every other test's connections
@pytest.mark.django_db(transaction=True)
def test_restarting_postgresql_under_load_loses_no_accepted_submission(live_server, settings):
    settings.SUBMISSION_RATE_LIMIT = 100_000
    settings.CSRF_COOKIE_SECURE = False  # the live server speaks plain HTTP
    load_vocabularies()
    outcomes = []  # (name, status)
    stop = threading.Event()

    def submit(worker):
        session = requests.Session()
        number = 0
        while not stop.is_set():
            number += 1
            name = f"Restart Test {worker}-{number}"
            try:
                session.get(f"{live_server.url}/submit/", timeout=10)
                response = session.post(
                    f"{live_server.url}/submit/",
                    data={
                        **new_org_post(
                            name=name, website=f"https://r{worker}-{number}.example.org/"
                        ),
                        "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
                    },
                    headers={"Referer": f"{live_server.url}/submit/"},
                    allow_redirects=False,
                    timeout=10,
                )
                outcomes.append((name, response.status_code, time.monotonic()))
            except requests.RequestException:
                outcomes.append((name, "no answer", time.monotonic()))
            time.sleep(0.05)

    workers = [threading.Thread(target=submit, args=(n,)) for n in range(4)]
    for worker in workers:
        worker.start()
    time.sleep(3)
    restarted_at = time.monotonic()
    restart_postgresql()
    time.sleep(6)
    stop.set()
    for worker in workers:
        worker.join(timeout=30)

    connection.close()  # the test's own connection died with the server
    accepted = {name for name, status, _ in outcomes if status in (302, 303)}
    stored = set(Submission.objects.values_list("data__name", flat=True))
    statuses = {status for _, status, _ in outcomes}
    after = [status for _, status, at in outcomes if at > restarted_at + 3]
    assert accepted, outcomes
    assert accepted <= stored, "an accepted submission was lost"
    assert statuses <= {302, 303, 503}, f"unexpected answers: {statuses}"
    assert after and after[-1] in (302, 303), "the app did not recover after the restart"
