"""send_reminders: each maintainer is reminded once, eleven months after the entry was last
confirmed; entries nobody maintains go into the moderators' weekly digest."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from orgs.models import Maintainer
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def maintained(last_verified, email):
    org = OrganisationFactory(last_verified=last_verified, maintained=True)
    return Maintainer.objects.create(
        organisation=org,
        name="Robin",
        email=email,
        status=Maintainer.Status.ACTIVE,
        confirmed_at=timezone.now() - datetime.timedelta(days=400),
    )


def run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", verbosity=0)


def test_reminders_are_sent_once(django_capture_on_commit_callbacks, mailoutbox, settings):
    settings.MODERATOR_EMAILS = []
    today = timezone.localdate()
    maintained(today - datetime.timedelta(days=340), "due@example.org")
    maintained(today - datetime.timedelta(days=100), "fresh@example.org")
    run(django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [["due@example.org"]]
    assert "/maintain/" in mailoutbox[0].body
    assert "still right" in mailoutbox[0].subject
    run(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1


def test_a_confirmed_entry_is_reminded_again_the_next_year(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.MODERATOR_EMAILS = []
    today = timezone.localdate()
    maintainer = maintained(today - datetime.timedelta(days=340), "due@example.org")
    maintainer.reminded_on = today - datetime.timedelta(days=400)
    maintainer.save()
    run(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1


def test_the_moderators_digest_lists_the_stalest_unmaintained_entries_once_a_week(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.MODERATOR_EMAILS = ["mods@example.org"]
    OrganisationFactory(name="Never Checked")
    OrganisationFactory(name="Checked Today", last_verified=timezone.localdate())
    maintained(timezone.localdate(), "keeper@example.org").organisation.name = "Kept"
    run(django_capture_on_commit_callbacks)
    [digest] = mailoutbox
    assert digest.to == ["mods@example.org"]
    assert digest.body.index("Never Checked") < digest.body.index("Checked Today")
    assert "keeper@example.org" not in digest.body
    run(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
