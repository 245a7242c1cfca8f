"""Keeping spam out without tracking people, and hostile input made harmless."""

import re
import threading
import time
from unittest import mock

import pytest
import requests
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from ethicalmap.models import LimitCounter
from orgs.models import Organisation, Submission
from orgs.submissions import antiabuse, services
from orgs.submissions.apply import DuplicateEntry
from tests.factories import OrganisationFactory, UserFactory
from tests.orgs.submissions.submission_helpers import (
    SUBMITTER,
    a_while_ago,
    active_content,
    load_vocabularies,
    new_org_post,
)

pytestmark = pytest.mark.django_db

SUBMIT = reverse("submit:new")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def vocabularies(db):
    load_vocabularies()


# --- CSRF, honeypot, fill time ---------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused(vocabularies):
    client = Client(enforce_csrf_checks=True)
    response = client.post(SUBMIT, new_org_post())
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_the_form_carries_a_csrf_token_and_the_guards(client, vocabularies):
    html = client.get(SUBMIT).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'class="hp"' in html and 'name="homepage"' in html
    # A signed time and a random part: two people who open the form in one second differ.
    assert re.search(r'name="started" value="\d+\.[0-9a-f]{16}:[\w-]+"', html)


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client, vocabularies):
    response = client.post(SUBMIT, new_org_post(homepage="https://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("submit:thanks")
    assert not Submission.objects.exists()


def test_a_form_sent_quicker_than_a_person_can_type_is_shown_again(client, vocabularies):
    response = client.post(SUBMIT, new_org_post(started=antiabuse.started_token()))
    html = response.content.decode()
    assert response.status_code == 200
    assert "quicker than a person can fill in this form" in html
    assert 'value="Fair Code Collective"' in html
    assert not Submission.objects.exists()


def test_a_quick_post_is_still_told_of_every_other_problem(client, vocabularies):
    response = client.post(
        SUBMIT,
        new_org_post(
            started=antiabuse.started_token(), link_0_kind="funds", link_0_target="Nobody"
        ),
    )
    html = response.content.decode()
    assert "quicker than a person" in html
    assert "“Nobody” is not on the map" in html


def test_after_the_pause_the_same_answers_can_be_sent(client, vocabularies, settings):
    settings.SUBMISSION_MIN_FILL_SECONDS = 1
    # A stamp from the future is always too quick, however slow the machine running the test.
    response = client.post(SUBMIT, new_org_post(started=antiabuse.started_token(time.time() + 60)))
    assert response.status_code == 200
    fresh = response.context["form"]["started"].value()
    # Two seconds later, as the clock of the form check sees it.
    with mock.patch("orgs.submissions.antiabuse.time.time", return_value=time.time() + 2):
        response = client.post(SUBMIT, new_org_post(started=fresh))
    assert response.status_code == 302
    assert Submission.objects.count() == 1


@pytest.mark.parametrize(
    "started",
    ["", "1700000000", "1700000000:forged-signature", "not-a-number"],
    ids=["missing", "unsigned", "forged", "garbage"],
)
def test_a_missing_or_forged_start_time_asks_to_send_again(client, vocabularies, started):
    response = client.post(SUBMIT, new_org_post(started=started))
    assert "Please check your answers and send it again" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_form_left_open_for_days_asks_to_send_again_keeping_the_answers(client, vocabularies):
    old = antiabuse.started_token(at=time.time() - 3 * 24 * 3600)
    response = client.post(SUBMIT, new_org_post(started=old))
    html = response.content.decode()
    assert "This form had expired" in html
    assert 'value="Fair Code Collective"' in html


# --- Single-use stamp ---------------------------------------------------------------------------

USED = "We already have this form"


def test_a_form_sent_twice_is_stored_once_and_comes_back_with_its_answers(client, vocabularies):
    post = new_org_post(name="Sent Twice Trust")
    assert client.post(SUBMIT, post).status_code == 302

    again = client.post(SUBMIT, post)

    html = again.content.decode()
    assert again.status_code == 200
    assert USED in html
    assert 'value="Sent Twice Trust"' in html
    assert again.context["form"]["started"].value() != post["started"]  # a fresh stamp
    assert Submission.objects.count() == 1


def test_the_form_that_came_back_can_be_sent_as_a_new_one(client, vocabularies, settings):
    settings.SUBMISSION_MIN_FILL_SECONDS = 0
    post = new_org_post()
    client.post(SUBMIT, post)
    fresh = client.post(SUBMIT, post).context["form"]["started"].value()

    assert client.post(SUBMIT, {**post, "started": fresh}).status_code == 302
    assert Submission.objects.count() == 2


def test_two_people_who_open_the_form_in_the_same_second_can_both_send_it(client, vocabularies):
    now = time.time() - 120
    first, second = antiabuse.started_token(at=now), antiabuse.started_token(at=now)
    assert first != second
    assert client.post(SUBMIT, new_org_post(started=first)).status_code == 302
    assert client.post(SUBMIT, new_org_post(started=second)).status_code == 302
    assert Submission.objects.count() == 2


def test_a_form_that_could_not_be_stored_can_be_sent_again(client, vocabularies):
    post = new_org_post()
    failing = mock.patch(
        "orgs.submissions.services.submission_create", side_effect=RuntimeError("disk full")
    )
    with failing, pytest.raises(RuntimeError):  # the error page, as Django answers any error
        client.post(SUBMIT, post)
    assert client.post(SUBMIT, post).status_code == 302
    assert Submission.objects.count() == 1


def test_a_stamp_used_on_one_form_does_not_open_another(client, vocabularies):
    organisation = OrganisationFactory(name="Open Rights")
    stamp = a_while_ago()
    assert client.post(SUBMIT, new_org_post(started=stamp)).status_code == 302
    report = reverse("orgs:report", args=[organisation.slug])
    response = client.post(
        report, {"problem": "closed", "details": "Gone.", **SUBMITTER, "started": stamp}
    )
    assert USED in response.content.decode()
    assert Submission.objects.count() == 1


# --- Rate limit ---------------------------------------------------------------------------------


def test_too_many_posts_from_one_client_get_a_friendly_429_keeping_the_answers(
    client, vocabularies, settings
):
    settings.SUBMISSION_RATE_LIMIT = 2
    for n in range(2):
        assert client.post(SUBMIT, new_org_post(name=f"Org {n}")).status_code == 302

    response = client.post(SUBMIT, new_org_post(name="One Too Many"))

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    html = response.content.decode()
    assert "Please wait a little" in html
    assert 'value="One Too Many"' in html
    assert Submission.objects.count() == 2


def test_the_rate_limit_does_not_live_in_one_process_memory(client, vocabularies, settings):
    settings.SUBMISSION_RATE_LIMIT = 2
    # The database store: with Redis, clearing the cache below would empty the store's Redis too.
    settings.REDIS_URL = None
    for n in range(2):
        assert client.post(SUBMIT, new_org_post(name=f"Org {n}")).status_code == 302
        cache.clear()  # as the next worker process sees it: nothing in its own memory
    assert client.post(SUBMIT, new_org_post(name="Third")).status_code == 429


def test_the_rate_limit_counts_each_client_apart(client, vocabularies, settings):
    settings.SUBMISSION_RATE_LIMIT = 1
    assert client.post(SUBMIT, new_org_post(), REMOTE_ADDR="192.0.2.1").status_code == 302
    assert client.post(SUBMIT, new_org_post(), REMOTE_ADDR="192.0.2.2").status_code == 302
    assert client.post(SUBMIT, new_org_post(), REMOTE_ADDR="192.0.2.1").status_code == 429


def test_the_forms_answer_other_methods_with_405(client, vocabularies):
    assert client.put(SUBMIT, new_org_post()).status_code == 405
    assert client.post(reverse("submit:thanks")).status_code == 405
    assert not Submission.objects.exists()


def test_reading_the_forms_is_not_rate_limited(client, vocabularies, settings):
    settings.SUBMISSION_RATE_LIMIT = 1
    for _ in range(3):
        assert client.get(SUBMIT).status_code == 200


def cache_contents():
    """Every key kept in the cache, with its value, as text (local memory or Redis)."""
    backend = cache._cache
    if isinstance(backend, dict):
        return " ".join(f"{key} {cache.get(key.split(':', 2)[-1])}" for key in backend)
    client = backend.get_client()
    return " ".join(f"{key!r} {client.get(key)!r}" for key in client.scan_iter())


def test_no_ip_address_is_kept_in_the_cache_or_the_database(client, vocabularies, settings):
    settings.REDIS_URL = None  # the database store, whose rows this test reads
    address = "198.51.100.77"
    client.post(SUBMIT, new_org_post(), REMOTE_ADDR=address)
    submission = Submission.objects.get()

    counted = " ".join(f"{row.key} {row.hits}" for row in LimitCounter.objects.all())
    assert "submissions:" in counted and "stamp:" in counted
    cached = cache_contents()
    for kept in (counted, cached):
        assert address not in kept and address.replace(".", "") not in kept
    stored = [str(value) for value in Submission.objects.values().get(pk=submission.pk).values()]
    stored += [str(v) for row in submission.history.values() for v in row.values()]
    assert not any(address in value for value in stored)


def test_the_client_hash_is_salted_with_the_secret(rf, settings):
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")
    first = antiabuse.client_fingerprint(request)
    settings.SECRET_KEY = "another-secret-for-this-test"
    assert antiabuse.client_fingerprint(request) != first


def test_behind_the_proxy_the_client_is_the_address_the_proxy_added(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    spoofed = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    real = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert antiabuse.client_fingerprint(spoofed) == antiabuse.client_fingerprint(real)
    other = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert antiabuse.client_fingerprint(other) != antiabuse.client_fingerprint(real)


# --- Length limits and hostile input ----------------------------------------------------------

MEGABYTE = "x" * 1_000_000


@pytest.mark.parametrize(
    "field", ["name", "summary", "description", "city", "tags", "submitter_name", "website"]
)
def test_a_megabyte_in_any_field_gets_a_clear_error(client, vocabularies, field):
    value = "https://example.org/" + MEGABYTE if field == "website" else MEGABYTE
    response = client.post(SUBMIT, new_org_post(**{field: value}))
    assert response.status_code == 200
    assert "at most" in response.content.decode() or "characters" in response.content.decode()
    assert not Submission.objects.exists()


def test_every_text_input_has_a_length_limit(client, vocabularies):
    html = client.get(SUBMIT).content.decode()
    for tag in re.findall(r"<(?:input|textarea)\b[^>]*>", html):
        if re.search(r'type="(hidden|checkbox|radio|number)"', tag):
            continue
        assert "maxlength=" in tag, tag


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/",
        "file:///etc/passwd",
        "vbscript:msgbox(1)",
    ],
)
def test_only_http_and_https_addresses_are_accepted(client, vocabularies, url):
    response = client.post(SUBMIT, new_org_post(website=url, contact_url=url))
    html = response.content.decode()
    assert html.count("starts with http:// or https://") >= 2
    assert not Submission.objects.exists()


def test_control_characters_and_direction_overrides_are_removed(client, vocabularies):
    client.post(
        SUBMIT,
        new_org_post(
            name="Fair\x00 Code\x07\u202e Collective",
            description="Line one\r\nLine\x0b two\u2066",
        ),
    )
    data = Submission.objects.get().data
    assert data["name"] == "Fair Code Collective"
    assert data["description"] == "Line one\nLine two"


def test_odd_unicode_is_kept_as_written(client, vocabularies):
    name = "Cafe\u0301 Ｔｅｃｈ 👩🏽‍💻 مؤسسة"
    client.post(SUBMIT, new_org_post(name=name))
    assert Submission.objects.get().data["name"] == "Café Ｔｅｃｈ 👩🏽‍💻 مؤسسة"


HOSTILE_NAME = '<script>alert("name")</script>'
HOSTILE_DESCRIPTION = (
    '<img src=x onerror=alert(1)> [click](javascript:alert(2)) <a href="javascript:alert(3)">x</a>'
)


def test_hostile_text_is_stored_inertly_and_shown_escaped_after_approval(
    client, vocabularies, moderator
):
    client.post(
        SUBMIT,
        new_org_post(
            name=HOSTILE_NAME,
            summary="<b onmouseover=alert(1)>hi</b>",
            description=HOSTILE_DESCRIPTION,
        ),
    )
    submission = Submission.objects.get()
    assert submission.data["name"] == HOSTILE_NAME  # kept as text, not executed or mangled

    org = services.submission_approve(submission=submission, moderator=moderator)

    html = client.get(org.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in html
    assert active_content(html) == []
    assert "&lt;b onmouseover=alert(1)&gt;hi&lt;/b&gt;" in html
    thanks = client.get(reverse("submit:thanks")).content.decode()
    assert "<script>alert" not in thanks


def test_hostile_text_in_a_rejected_form_is_shown_escaped(client, vocabularies):
    response = client.post(SUBMIT, new_org_post(name=HOSTILE_NAME, summary=""))
    html = response.content.decode()
    assert "<script>alert" not in html
    assert 'value="&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;"' in html


# --- Many at once -----------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the live server shares SQLite's in-memory test database as one connection",
)
@pytest.mark.django_db(transaction=True)
def test_twenty_submissions_of_one_organisation_at_once_all_reach_the_queue(live_server, settings):
    load_vocabularies()
    settings.SUBMISSION_RATE_LIMIT = 100
    url = live_server.url + SUBMIT
    barrier = threading.Barrier(20)
    statuses = []

    def submit(n):
        try:
            _submit(n)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            statuses.append(repr(error))

    def _submit(n):
        with requests.Session() as session:
            form = session.get(url, timeout=30).text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
            post = new_org_post(submitter_name=f"Person {n}", csrfmiddlewaretoken=token)
            barrier.wait()
            # The CSRF cookie is Secure (production settings); the test server speaks HTTP.
            cookies = {"csrftoken": session.cookies["csrftoken"]}
            response = session.post(
                url, data=post, cookies=cookies, allow_redirects=False, timeout=30
            )
            statuses.append(response.status_code)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * 20
    queue = Submission.objects.pending().filter(kind="new")
    assert queue.count() == 20
    assert len(set(queue.values_list("submitter_name", flat=True))) == 20

    moderator = UserFactory(is_staff=True)
    first, second = queue.order_by("pk")[:2]
    a = services.submission_approve(submission=first, moderator=moderator)
    # The second is the same organisation: refused, to be merged, never published twice.
    with pytest.raises(DuplicateEntry):
        services.submission_approve(submission=second, moderator=moderator)
    assert Organisation.objects.count() == 1
    # The 19 still waiting are found as duplicates of the entry now on the map.
    assert Organisation.objects.duplicate_of(name=a.name, website=a.website) is not None
    assert len(Submission.objects.pending_duplicates_of(name=a.name, website=a.website)) == 19


def test_twenty_submissions_of_one_organisation_all_reach_the_queue(client, vocabularies):
    # The same on every database, one after another: none is lost or refused as a duplicate.
    for n in range(20):
        post = new_org_post(submitter_name=f"Person {n}", started=a_while_ago())
        assert client.post(SUBMIT, post, REMOTE_ADDR=f"192.0.2.{n}").status_code == 302
    assert Submission.objects.pending().count() == 20
