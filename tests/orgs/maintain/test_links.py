"""Following a maintainer's link: it works once, for 7 days, and acts on its entry only."""

import time

import pytest
from django.utils import timezone

from orgs.maintain.services import maintainer_allow_publishing
from orgs.models import Maintainer, Submission, VerifiedBy
from orgs.submissions.services import submission_approve
from tests.orgs.maintain.conftest import claim_post, link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(post, entry, mailoutbox):
    post("/organisations/fair-code/claim/", claim_post())
    return link_in(mailoutbox[-1])


def test_still_right_confirms_the_entry_as_the_organisation(client, post, entry, link):
    page = client.get(link)
    assert page.status_code == 200
    assert "Still right" in page.content.decode()
    response = post(link, {"action": "confirm"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.last_verified == timezone.localdate()
    assert entry.verified_by == VerifiedBy.ORGANISATION
    assert entry.maintained
    assert entry.history.first().history_change_reason == "Confirmed by the organisation"
    profile = client.get("/organisations/fair-code/").content.decode()
    today = timezone.localdate()
    assert f"Confirmed by the organisation on {today.day} {today:%B %Y}" in profile


def test_a_link_used_twice_is_refused_with_a_clear_message(client, post, link):
    post(link, {"action": "open"})
    client.logout()
    for response in (client.get(link), post(link, {"action": "confirm"})):
        assert response.status_code == 410
        assert "This link has already been used" in response.content.decode()


def test_a_link_older_than_7_days_is_refused_with_a_clear_message(post, entry, link, monkeypatch):
    later = time.time() + 7 * 24 * 60 * 60 + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = post(link, {"action": "confirm"})
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    entry.refresh_from_db()
    assert entry.last_verified is None
    assert Maintainer.objects.get().status == Maintainer.Status.CLAIMED


def test_a_made_up_link_is_refused(client):
    response = client.get("/maintain/not-a-real-token/")
    assert response.status_code == 410
    assert "not one of ours" in response.content.decode()


def test_without_a_link_the_page_only_offers_to_send_one(client, entry, post, link, mailoutbox):
    page = client.get("/maintain/")
    assert "Send me a link" in page.content.decode()
    assert "Still right" not in page.content.decode()
    post(link, {"action": "open"})
    mailoutbox.clear()
    client.logout()
    response = post(
        "/maintain/",
        {"email": "robin@faircode.example.org", "homepage": "", "started": claim_post()["started"]},
    )
    assert response.status_code == 302
    assert "/maintain/" in mailoutbox[0].body
    assert mailoutbox[0].to == ["robin@faircode.example.org"]


def test_a_maintainer_proposes_changes_marked_as_theirs(client, post, entry, link):
    post(link, {"action": "open"})
    form = client.get("/maintain/changes/")
    assert form.status_code == 200
    shown = form.context["form"].initial
    data = {k: v for k, v in shown.items() if v is not None and not isinstance(v, list)}
    data.update({"summary": "Now builds open tools for councils.", "consequences": []})
    response = post("/maintain/changes/", data)
    assert response.status_code in (200, 302)
    edit = Submission.objects.get(kind=Submission.Kind.EDIT)
    assert edit.maintainer == Maintainer.objects.get()
    assert edit.data["summary"] == "Now builds open tools for councils."
    assert edit.submitter_email == ""


def test_handing_on_sends_the_colleague_a_link_and_forgets_the_maintainer(
    client, post, entry, link, mailoutbox
):
    post(link, {"action": "open"})
    mailoutbox.clear()
    post(
        "/maintain/",
        {"action": "hand_on", "hand-name": "Kim Next", "hand-email": "kim@faircode.example.org"},
    )
    old, new = Maintainer.objects.order_by("pk")
    assert (old.status, old.name, old.email) == (Maintainer.Status.ENDED, "", "")
    assert new.status == Maintainer.Status.CLAIMED
    assert mailoutbox[0].to == ["kim@faircode.example.org"]
    assert "Still right" not in client.get("/maintain/").content.decode()


def test_asking_to_archive_queues_a_report_from_the_maintainer(client, post, entry, link):
    post(link, {"action": "open"})
    post("/maintain/", {"action": "archive", "archive-details": "We closed in March."})
    report = Submission.objects.get(kind=Submission.Kind.REPORT)
    assert report.maintainer is not None
    assert report.data["details"] == "We closed in March."
    entry.refresh_from_db()
    assert entry.status == entry.Status.PUBLISHED


def propose(client, post, **changes):
    shown = client.get("/maintain/changes/").context["form"].initial
    data = {k: v for k, v in shown.items() if v is not None and not isinstance(v, list)}
    return post("/maintain/changes/", {**data, **changes})


def test_a_trusted_maintainers_summary_change_publishes_at_once_with_history(
    client, post, entry, link, moderator
):
    post(link, {"action": "open"})
    maintainer = Maintainer.objects.get()
    maintainer_allow_publishing(maintainer=maintainer, moderator=moderator, allowed=True)
    propose(client, post, summary="Now builds open tools for councils.")
    entry.refresh_from_db()
    assert entry.summary == "Now builds open tools for councils."
    assert entry.verified_by == VerifiedBy.ORGANISATION
    edit = Submission.objects.get(kind=Submission.Kind.EDIT)
    assert edit.status == Submission.Status.APPROVED
    assert edit.reviewed_by is None
    assert "to review" in edit.reason
    assert entry.history.filter(summary="Now builds open tools for councils.").exists()


def test_a_trusted_maintainer_never_publishes_a_new_name_without_a_moderator(
    client, post, entry, link, moderator
):
    post(link, {"action": "open"})
    maintainer_allow_publishing(
        maintainer=Maintainer.objects.get(), moderator=moderator, allowed=True
    )
    propose(client, post, name="Fair Code Ltd", summary="Now builds open tools for councils.")
    entry.refresh_from_db()
    assert (entry.name, entry.summary) == ("Fair Code", "Fair Code works on fair technology.")
    assert Submission.objects.get(kind=Submission.Kind.EDIT).status == Submission.Status.PENDING


def test_an_untrusted_maintainers_change_waits_for_a_moderator(client, post, entry, link):
    post(link, {"action": "open"})
    propose(client, post, summary="Now builds open tools for councils.")
    entry.refresh_from_db()
    assert entry.summary != "Now builds open tools for councils."
    assert Submission.objects.get(kind=Submission.Kind.EDIT).status == Submission.Status.PENDING


def test_a_moderator_approving_the_change_makes_the_entry_checked_by_a_moderator(
    client, post, entry, link, moderator
):
    post(link, {"action": "confirm"})
    propose(client, post, summary="Now builds open tools for councils.")
    submission_approve(
        submission=Submission.objects.get(kind=Submission.Kind.EDIT), moderator=moderator
    )
    entry.refresh_from_db()
    assert entry.summary == "Now builds open tools for councils."
    assert entry.verified_by == VerifiedBy.MODERATOR
    assert "Checked by a moderator on" in client.get("/organisations/fair-code/").content.decode()
