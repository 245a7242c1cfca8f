"""A maintainer's name and email are on no public page and in no log line (the API and the
export are crawled for them in tests/api/test_privacy.py), and leave with them."""

import logging
import re

import pytest
from django.core.management import call_command

from orgs.models import Maintainer
from tests.orgs.maintain.conftest import claim_post, link_in

pytestmark = pytest.mark.django_db

NAME, EMAIL = "Robin Keeper", "robin@faircode.example.org"
HREF = re.compile(r'href="(/[^"#?]*)')
SKIP = ("/admin/", "/static/", "/maintain/", "/api/v1/", "/api/schema/", "/api/docs/")


def crawl(client, start="/", limit=400):
    """Every page of the site reachable from `start` by its own links: {address: text}."""
    seen, queue, pages = set(), [start], {}
    while queue and len(pages) < limit:
        url = queue.pop()
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.headers["Content-Type"]:
            continue
        text = response.content.decode()
        pages[url] = text
        queue.extend(href for href in HREF.findall(text) if href not in seen)
    return pages


def test_a_maintainers_name_and_email_are_on_no_public_page_and_in_no_log(
    client, post, entry, mailoutbox, caplog
):
    caplog.set_level(logging.DEBUG)
    post("/organisations/fair-code/claim/", claim_post(name=NAME, email=EMAIL))
    post(link_in(mailoutbox[-1]), {"action": "confirm"})
    client.logout()
    pages = crawl(client)
    assert "/organisations/fair-code/" in pages
    assert "/privacy/" in pages
    assert len(pages) > 10
    for url, text in pages.items():
        assert NAME not in text and EMAIL not in text, url
    assert "Confirmed by the organisation" in pages["/organisations/fair-code/"]
    for record in caplog.records:
        assert EMAIL not in record.getMessage() and NAME not in record.getMessage()


def test_the_privacy_page_says_what_is_kept_about_maintainers(client, db):
    text = client.get("/privacy/").content.decode()
    assert "If you look after your organisation&#x27;s entry" in text or "look after your" in text
    assert "Deleted as soon as you hand the entry on or stop" in text


def test_claims_never_confirmed_are_forgotten_after_the_retention_period(
    post, entry, mailoutbox, settings
):
    post("/organisations/fair-code/claim/", claim_post(name=NAME, email=EMAIL))
    call_command("purge_personal_data", days=0, verbosity=0)
    claim = Maintainer.objects.get()
    assert (claim.status, claim.name, claim.email) == (Maintainer.Status.ENDED, "", "")
    assert not claim.history.filter(history_change_reason__isnull=False).filter(
        history_change_reason__contains=EMAIL
    )
