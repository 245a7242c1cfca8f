"""Check every published organisation's website and every published resource's address,
politely, and report the broken ones.

Bounded: a fixed pool of workers, a timeout on every request, at most --limit sites, and never more
than one request at a time to the same host. Polite: a HEAD request first (a GET only when a server
refuses HEAD), a User-Agent that says who we are, and no body read. A site that answers with an
error or not at all is put in the moderators' queue as a report (once while one is pending); a
resource whose address is broken is flagged for a moderator's check (once, until one clears it).
"""

import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orgs.models import Organisation
from orgs.submissions.services import link_check_report
from resources.models import Resource
from resources.services import resource_flag_broken_link

MAX_REDIRECTS = 5
RETRY_WITH_GET = {403, 405, 501}


@dataclass
class Result:
    entry: Organisation | Resource
    url: str
    status: int | None = None
    problem: str = ""

    @property
    def ok(self):
        return not self.problem


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow at most a few redirects, and only to http or https."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in {"http", "https"}:
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-web address", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _HostLocks:
    """One request at a time per host, whatever the number of workers."""

    def __init__(self):
        self._guard = threading.Lock()
        self._locks = {}

    def __call__(self, url):
        host = (urlsplit(url).hostname or "").lower()
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())


def user_agent():
    return f"EthicalTechMapLinkChecker/1.0 (+{settings.SITE_URL}/about/)"


def check(url, *, timeout, opener):
    """(status, problem) for one address; problem is '' when the site answers fine."""

    def request(method):
        req = urllib.request.Request(url, method=method, headers={"User-Agent": user_agent()})
        with opener.open(req, timeout=timeout) as response:
            return response.status

    try:
        try:
            status = request("HEAD")
        except urllib.error.HTTPError as error:
            if error.code not in RETRY_WITH_GET:
                raise
            status = request("GET")
    except urllib.error.HTTPError as error:
        return error.code, f"it answered {error.code} {error.reason}".strip()
    except TimeoutError:
        return None, f"no answer within {timeout:g} seconds"
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            return None, f"no answer within {timeout:g} seconds"
        return None, f"it could not be reached ({type(reason).__name__})"
    except (OSError, ValueError) as error:
        return None, f"it could not be reached ({type(error).__name__})"
    if status >= 400:
        return status, f"it answered {status}"
    return status, ""


class Command(BaseCommand):
    help = (
        "Check every published website and resource address; report broken ones to the moderators."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=8, help="Requests at once (1 to 32).")
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds per request.")
        parser.add_argument("--limit", type=int, default=None, help="Check at most this many.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the results; report nothing."
        )

    def handle(self, *args, workers, timeout, limit, dry_run, **options):
        if not 1 <= workers <= 32:
            raise CommandError("--workers must be between 1 and 32.")
        if timeout <= 0:
            raise CommandError("--timeout must be positive.")
        organisations = (
            Organisation.objects.published()
            .exclude(website="")
            .order_by("pk")
            .only("pk", "name", "website")
        )
        resources = Resource.objects.published().order_by("pk").only("pk", "title", "url", "slug")
        if limit is not None:  # at most `limit` addresses in all, the websites first
            organisations = list(organisations[:limit])
            resources = resources[: max(0, limit - len(organisations))]
        pairs = [(o, o.website) for o in organisations] + [(r, r.url) for r in resources]

        opener = urllib.request.build_opener(_SafeRedirects)
        host_lock = _HostLocks()

        def run(pair):
            entry, url = pair
            with host_lock(url):
                status, problem = check(url, timeout=timeout, opener=opener)
            return Result(entry, url, status, problem)

        # The workers only speak HTTP; the database is written here, in this thread.
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="check_links") as pool:
            results = list(pool.map(run, pairs))
        self._report(
            [r for r in results if isinstance(r.entry, Organisation)], dry_run, "website(s)"
        )
        self._report([r for r in results if isinstance(r.entry, Resource)], dry_run, "resource(s)")

    def _report(self, results, dry_run, what):
        broken = [r for r in results if not r.ok]
        reported = 0
        for result in broken:
            self.stdout.write(f"  broken: {result.entry} <{result.url}>: {result.problem}")
            if not dry_run and _report_one(result):
                reported += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Checked {len(results)} {what}: {len(results) - len(broken)} fine, "
                f"{len(broken)} broken, {reported} newly reported to the moderators."
            )
        )


def _report_one(result):
    if isinstance(result.entry, Resource):
        return resource_flag_broken_link(
            resource=result.entry, url=result.url, problem=result.problem
        )
    return link_check_report(organisation=result.entry, url=result.url, problem=result.problem)
