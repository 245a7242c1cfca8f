"""flag_stale, check_links (against a local server, never the internet) and purge_personal_data."""

import datetime
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from orgs.management.commands.flag_stale import months_before
from orgs.models import Organisation, Submission
from tests.factories import (
    OrganisationFactory,
    ResourceFactory,
    SubmissionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


# --- flag_stale --------------------------------------------------------------------------------


def test_flag_stale_lists_entries_not_verified_for_a_year():
    today = timezone.localdate()
    OrganisationFactory(name="Fresh", last_verified=today - datetime.timedelta(days=30))
    OrganisationFactory(name="Stale", last_verified=today - datetime.timedelta(days=400))
    OrganisationFactory(name="Never checked", last_verified=None)
    OrganisationFactory(name="Archived and stale", status="archived", last_verified=None)

    out = run("flag_stale")

    assert "2 published entries" in out
    assert "Stale" in out and "Never checked" in out and "(last verified: never)" in out
    assert "Fresh" not in out and "Archived" not in out
    assert not Organisation.objects.filter(needs_verification=True).exists()


def test_flag_stale_can_mark_them_for_review_in_their_history():
    stale = OrganisationFactory(last_verified=timezone.localdate() - datetime.timedelta(days=800))
    fresh = OrganisationFactory(last_verified=timezone.localdate())

    out = run("flag_stale", "--mark", "--months", "24")

    assert "Marked 1 for review" in out
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.needs_verification and not fresh.needs_verification
    assert "flag_stale" in stale.history.first().history_change_reason
    assert "Marked 0" in run("flag_stale", "--mark", "--months", "24")  # already marked


def test_months_before_keeps_to_real_dates():
    assert months_before(datetime.date(2025, 3, 31), 1) == datetime.date(2025, 2, 28)
    assert months_before(datetime.date(2024, 2, 29), 12) == datetime.date(2023, 2, 28)
    assert months_before(datetime.date(2025, 1, 15), 13) == datetime.date(2023, 12, 15)


def test_flag_stale_refuses_a_nonsense_period():
    with pytest.raises(CommandError):
        run("flag_stale", "--months", "0")


# --- check_links against a local server --------------------------------------------------------


class Site(BaseHTTPRequestHandler):
    agents = []
    active = 0
    most_at_once = 0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def _answer(self, with_body):
        cls = type(self)
        with cls.lock:
            cls.agents.append(self.headers.get("User-Agent"))
            cls.active += 1
            cls.most_at_once = max(cls.most_at_once, cls.active)
        path = self.path.split("?")[0]
        time.sleep(0.05)  # long enough for requests to overlap
        if path == "/slow":
            time.sleep(1.5)
        location = None
        if path.startswith("/ok") or path == "/slow":
            status = 200
        elif path == "/moved":
            status, location = 301, "/ok-after-redirect"
        elif path == "/to-ftp":
            status, location = 302, "ftp://example.org/file"
        elif path == "/no-head":
            status = 405 if self.command == "HEAD" else 200
        elif path == "/broken":
            status = 500
        else:
            status = 404
        with cls.lock:
            cls.active -= 1  # before answering, so the next request cannot overlap this count
        self._send(status, with_body, location)

    def _send(self, status, with_body, location=None):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "2" if with_body else "0")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self._answer(with_body=False)

    def do_GET(self):
        self._answer(with_body=True)


@pytest.fixture
def local_site():
    Site.agents, Site.active, Site.most_at_once = [], 0, 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def site_for(base, path, name):
    return OrganisationFactory(name=name, website=f"{base}{path}")


def test_check_links_reports_broken_sites_to_the_moderators_once(local_site):
    for n in range(6):
        site_for(local_site, f"/ok/{n}", f"Fine {n}")
    site_for(local_site, "/moved", "Moved")
    site_for(local_site, "/no-head", "No head")
    gone = site_for(local_site, "/gone", "Gone")
    broken = site_for(local_site, "/broken", "Broken")
    slow = site_for(local_site, "/slow", "Slow")
    ftp = site_for(local_site, "/to-ftp", "Redirects to ftp")
    OrganisationFactory(name="Archived", status="archived", website=f"{local_site}/gone")

    out = run("check_links", "--workers", "4", "--timeout", "0.5")

    assert "Checked 12 website(s): 8 fine, 4 broken, 4 newly reported" in out
    reports = Submission.objects.filter(kind="report", status="pending")
    assert set(reports.values_list("organisation__name", flat=True)) == {
        gone.name,
        broken.name,
        slow.name,
        ftp.name,
    }
    details = reports.get(organisation=gone).data["details"]
    assert "answered 404" in details and gone.website in details
    assert "no answer within 0.5 seconds" in reports.get(organisation=slow).data["details"]
    assert Site.agents and all(a.startswith("EthicalTechMapLinkChecker/") for a in Site.agents)

    again = run("check_links", "--workers", "4", "--timeout", "0.5")
    assert "0 newly reported" in again
    assert reports.count() == 4


def test_check_links_flags_a_resource_whose_address_is_broken_once(local_site):
    fine = ResourceFactory(title="Fine guide", url=f"{local_site}/ok/guide")
    gone = ResourceFactory(title="Gone guide", url=f"{local_site}/gone")
    ResourceFactory(title="Withdrawn", url=f"{local_site}/broken", status="withdrawn")

    out = run("check_links", "--workers", "2", "--timeout", "0.5")

    assert "Checked 2 resource(s): 1 fine, 1 broken, 1 newly reported" in out
    gone.refresh_from_db()
    fine.refresh_from_db()
    assert gone.needs_verification and not fine.needs_verification
    assert "answered 404" in gone.history.first().history_change_reason
    assert not Submission.objects.exists()  # a resource is flagged, not reported as an entry
    assert "0 newly reported" in run("check_links", "--workers", "2", "--timeout", "0.5")


def test_check_links_never_has_more_requests_out_than_workers(local_site, settings):
    for n in range(12):
        # Distinct hosts for the host lock: 127.0.0.1 and localhost alternate.
        base = local_site if n % 2 else local_site.replace("127.0.0.1", "localhost")
        site_for(base, f"/ok/{n}", f"Fine {n}")
    run("check_links", "--workers", "3", "--timeout", "2")
    assert Site.most_at_once == 2  # two hosts, one request at a time each, 3 workers


def test_check_links_dry_run_reports_nothing(local_site):
    site_for(local_site, "/gone", "Gone")
    out = run("check_links", "--dry-run", "--timeout", "1")
    assert "broken: Gone" in out
    assert not Submission.objects.exists()


def test_check_links_is_bounded_by_its_limit(local_site):
    for n in range(5):
        site_for(local_site, f"/ok/{n}", f"Fine {n}")
    assert "Checked 2 website(s)" in run("check_links", "--limit", "2", "--timeout", "1")


def test_check_links_refuses_an_unbounded_pool():
    with pytest.raises(CommandError):
        run("check_links", "--workers", "500")


# --- purge_personal_data ---------------------------------------------------------------------


def decided_days_ago(days, **kwargs):
    submission = SubmissionFactory(
        status="approved",
        reviewed_by=UserFactory(),
        reviewed_at=timezone.now(),
        connection="I run it",
        **kwargs,
    )
    Submission.objects.filter(pk=submission.pk).update(
        reviewed_at=timezone.now() - datetime.timedelta(days=days)
    )
    return submission


def test_purge_removes_personal_data_decided_more_than_180_days_ago():
    old = decided_days_ago(
        200,
        data={
            "name": "Kept Org",
            "note": "Call me on 07700 900123 or write to pat@example.org",
            "submitter_email": "pat@example.org",
        },
        reason="Checked with pat@example.org",
    )
    recent = decided_days_ago(10)
    pending = SubmissionFactory()

    out = run("purge_personal_data")

    assert "Removed the personal data of 1 submission(s)" in out
    old.refresh_from_db()
    assert (old.submitter_name, old.submitter_email, old.connection) == ("", "", "")
    assert old.personal_data_purged is not None
    assert old.data == {
        "name": "Kept Org",
        "note": "Call me on [phone number removed] or write to [email removed]",
    }
    assert old.status == "approved"  # the record of the decision is kept
    assert not old.history.filter(connection="I run it").exists()
    assert old.reason == "Checked with [email removed]"
    assert old.history.count() == 2  # as sent, and as purged
    for row in old.history.all():  # what was proposed stays on the record, scrubbed
        assert (row.data, row.reason, row.connection) == (old.data, old.reason, "")
    for kept in (recent, pending):
        kept.refresh_from_db()
        assert kept.submitter_email == "sam@example.org"


def test_purge_takes_its_period_from_the_option():
    decided_days_ago(40)
    assert "1 submission(s) would" in run("purge_personal_data", "--days", "30", "--dry-run")
    assert Submission.objects.get().submitter_email == "sam@example.org"  # a dry run
    run("purge_personal_data", "--days", "30")
    assert Submission.objects.get().submitter_email == ""


def test_purge_uses_the_retention_setting_by_default(settings):
    decided_days_ago(40)
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    run("purge_personal_data")
    assert Submission.objects.get().submitter_email == ""
