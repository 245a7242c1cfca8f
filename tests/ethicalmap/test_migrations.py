import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from principles.models import Assessment, Endorsement, Practice
from tests.factories import (
    AssessmentFactory,
    EndorsementFactory,
    PracticeFactory,
    SubmissionFactory,
)

OUR_APPS = ("taxonomy", "orgs", "principles")


@pytest.mark.django_db(transaction=True)
def test_our_migrations_run_backwards_to_zero_and_forwards_again():
    def applied():
        return set(
            MigrationRecorder.Migration.objects.filter(app__in=OUR_APPS).values_list("app", "name")
        )

    everything = applied()
    # Unapplying taxonomy unapplies every app that depends on it.
    call_command("migrate", "taxonomy", "zero", verbosity=0)
    assert applied() == set()
    assert "orgs_organisation" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert applied() == everything
    assert "orgs_organisation" in connection.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_history_added_to_existing_rows_starts_from_what_they_hold():
    assessment, endorsement = AssessmentFactory(level=4), EndorsementFactory()
    practice = PracticeFactory()
    submission = SubmissionFactory(data={"name": "Proposed Org"})
    call_command("migrate", "principles", "0001", verbosity=0)
    call_command("migrate", "orgs", "0004", verbosity=0)
    call_command("migrate", verbosity=0)

    for model, row in ((Assessment, assessment), (Endorsement, endorsement), (Practice, practice)):
        (first,) = model.history.filter(id=row.pk)
        assert first.history_change_reason == "History began"
    assert Assessment.history.get(id=assessment.pk).level == 4
    assert submission.history.get().data == {"name": "Proposed Org"}
