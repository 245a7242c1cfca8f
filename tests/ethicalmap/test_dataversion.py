"""The data version moves with every write to the public data, however it is made, and only then."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from taggit.models import Tag

from ethicalmap.dataversion import data_version, install_triggers, public_tables
from orgs.models import Organisation
from tests.factories import OrganisationFactory, SubmissionFactory, TermFactory

pytestmark = pytest.mark.django_db


def tables_with_a_trigger():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = 'ethicalmap_data_version_bump'"
            )
        else:
            cursor.execute("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def test_every_public_table_has_a_trigger_and_no_private_one_does():
    tables = set(public_tables())
    # The organisations, their links, terms, tags and principles; not submissions or history.
    assert {"orgs_organisation", "orgs_organisation_terms", "taggit_taggeditem"} <= tables
    assert {"orgs_relationship", "taxonomy_term", "principles_assessment"} <= tables
    assert not {t for t in tables if "submission" in t or "historical" in t}
    triggered = tables_with_a_trigger()
    assert tables <= triggered
    assert not {t for t in triggered if "submission" in t or "historical" in t}


def changes(write):
    before = data_version()
    write()
    after = data_version()
    return after.token != before.token


def test_saves_bulk_updates_link_tables_and_deletes_move_the_version():
    organisation = OrganisationFactory(name="Before")
    term = TermFactory()
    assert changes(lambda: Organisation.objects.filter(pk=organisation.pk).update(name="After"))
    assert changes(lambda: organisation.terms.add(term))
    assert changes(lambda: organisation.tags.add("open-data"))
    assert changes(lambda: Organisation.objects.bulk_create([Organisation(name="B", slug="b")]))
    assert changes(organisation.delete)


def test_a_private_submission_does_not_move_it():
    assert not changes(lambda: SubmissionFactory())


def test_it_says_when_the_data_last_changed():
    OrganisationFactory()
    first = data_version()
    assert first.last_modified is not None
    OrganisationFactory()
    assert data_version().last_modified >= first.last_modified


def test_reading_it_is_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        data_version()


def test_installing_the_triggers_again_moves_the_version():
    # A migration may have written while a table had no trigger: the reinstall counts it.
    assert changes(install_triggers)
    assert tables_with_a_trigger() >= set(public_tables())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across threads")
@pytest.mark.django_db(transaction=True)
def test_two_writers_queue_on_the_version_rather_than_deadlock():
    # A holds the version (it wrote a tag) and then edits X; B edits X meanwhile. Taking the
    # version after B's own row lock would deadlock; taken before, B simply waits for A.
    organisation = OrganisationFactory(name="Before")
    a_holds_version, b_is_writing = threading.Event(), threading.Event()
    errors = []

    def writer_a():
        try:
            with transaction.atomic():
                Tag.objects.create(name="open-data", slug="open-data")
                a_holds_version.set()
                b_is_writing.wait(5)
                time.sleep(0.3)  # B is now blocked inside its update
                Organisation.objects.filter(pk=organisation.pk).update(name="By A")
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)
        finally:
            connections.close_all()

    def writer_b():
        try:
            a_holds_version.wait(5)
            with transaction.atomic():
                b_is_writing.set()
                Organisation.objects.filter(pk=organisation.pk).update(name="By B")
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Organisation.objects.get(pk=organisation.pk).name == "By B"  # B went after A
