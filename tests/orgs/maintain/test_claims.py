"""Claiming an entry: a work email at the website's domain gets a link; anything else waits for a
moderator; a second claim on a maintained entry tells the maintainer and the moderators."""

import pytest

from orgs.maintain.domains import email_matches_website
from orgs.models import Maintainer, Submission
from tests.orgs.maintain.conftest import claim_post, link_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("email", "website", "matches"),
    [
        ("a@faircode.org", "https://www.faircode.org/", True),
        ("a@FairCode.org", "https://faircode.org/x", True),
        ("a@mail.faircode.org", "https://www.faircode.org/", True),
        ("a@faircode.org", "https://blog.faircode.org/", False),
        ("a@wordpress.com", "https://faircode.wordpress.com/", False),
        ("a@gmail.com", "https://gmail.com/", False),
        ("a@faircode.org.evil.net", "https://faircode.org/", False),
        ("a@otherdomain.org", "https://faircode.org/", False),
        ("a@faircode.org", "", False),
    ],
)
def test_an_email_matches_only_the_websites_own_domain(email, website, matches):
    assert email_matches_website(email, website) is matches


def test_a_claim_from_the_websites_domain_is_sent_a_link(post, entry, mailoutbox):
    response = post("/organisations/fair-code/claim/", claim_post())
    assert response.status_code == 200
    assert "We have emailed you a link" in response.content.decode()
    [message] = mailoutbox
    assert message.to == ["robin@faircode.example.org"]
    assert "/maintain/" in message.body
    assert not Submission.objects.exists()
    assert Maintainer.objects.get().status == Maintainer.Status.CLAIMED


@pytest.mark.parametrize("email", ["robin@gmail.com", "robin@elsewhere.example.net"])
def test_a_free_mail_or_other_domain_claim_goes_to_the_queue(post, entry, email, mailoutbox):
    response = post(
        "/organisations/fair-code/claim/",
        claim_post(email=email, evidence="Our staff page lists me."),
    )
    assert "A moderator will check your claim" in response.content.decode()
    claim = Submission.objects.get()
    assert claim.kind == Submission.Kind.CLAIM
    assert claim.status == Submission.Status.PENDING
    assert claim.data["evidence"] == "Our staff page lists me."
    assert not Maintainer.objects.exists()
    assert all("/maintain/" not in m.body for m in mailoutbox)


def test_approving_a_queued_claim_makes_a_maintainer_and_sends_a_link(
    post, entry, moderator_client, mailoutbox
):
    post("/organisations/fair-code/claim/", claim_post(email="robin@gmail.com"))
    claim = Submission.objects.get()
    mailoutbox.clear()
    response = post(f"/admin/orgs/submission/{claim.pk}/approve/", as_client=moderator_client)
    assert response.status_code == 302
    maintainer = Maintainer.objects.get()
    assert maintainer.status == Maintainer.Status.ACTIVE
    entry.refresh_from_db()
    assert entry.maintained
    assert any(m.to == ["robin@gmail.com"] and "/maintain/" in m.body for m in mailoutbox)


def test_a_second_claim_tells_the_maintainer_and_the_moderators(post, entry, settings, mailoutbox):
    settings.MODERATOR_EMAILS = ["mods@example.org"]
    post("/organisations/fair-code/claim/", claim_post())
    post(link_in(mailoutbox[0]), {"action": "open"})
    mailoutbox.clear()
    post(
        "/organisations/fair-code/claim/",
        claim_post(name="Alex Other", email="alex@faircode.example.org"),
    )
    assert Submission.objects.get().kind == Submission.Kind.CLAIM
    recipients = [address for m in mailoutbox for address in m.to]
    assert "robin@faircode.example.org" in recipients
    assert "mods@example.org" in recipients
    assert Maintainer.objects.active().get().email == "robin@faircode.example.org"


def test_claims_are_rate_limited_like_the_forms(post, entry, settings):
    settings.SUBMISSION_RATE_LIMIT = 1
    post("/organisations/fair-code/claim/", claim_post(email="robin@gmail.com"))
    response = post("/organisations/fair-code/claim/", claim_post(email="alex@gmail.com"))
    assert response.status_code == 429
    assert "Please wait a little" in response.content.decode()
    assert Submission.objects.count() == 1


def test_the_same_claim_form_sent_twice_is_stored_once(post, entry):
    sent = claim_post(email="robin@gmail.com")
    post("/organisations/fair-code/claim/", sent)
    post("/organisations/fair-code/claim/", sent)
    assert Submission.objects.count() == 1


def test_a_claim_with_the_honeypot_filled_in_is_answered_and_not_stored(post, entry, mailoutbox):
    response = post("/organisations/fair-code/claim/", claim_post(homepage="http://spam.example"))
    assert response.status_code == 200
    assert not Maintainer.objects.exists() and not Submission.objects.exists()
    assert mailoutbox == []
