import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

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
