import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ethicalmap.backup import content_models
from orgs.models import Organisation, Submission
from tests.factories import (
    AssessmentFactory,
    OrganisationFactory,
    RelationshipFactory,
    SubmissionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def export(tmp_path, name, *extra):
    path = tmp_path / name
    call_command("export_data", "-o", str(path), *extra, verbosity=0)
    document = json.loads(path.read_text())
    document.pop("exported_at")
    return path, document


@pytest.fixture
def content(starter_data):
    moderator = UserFactory(username="mod", email="mod@example.org", is_staff=True)
    org = OrganisationFactory(contact_email="private@example.org", tags=["privacy", "Open Data"])
    org.name = "Renamed"
    org._history_user = moderator
    org.save()
    RelationshipFactory(source=org)
    AssessmentFactory(organisation=org)
    SubmissionFactory(
        submitter_email="sam@example.org",
        status=Submission.Status.REJECTED,
        reviewed_by=moderator,
        reviewed_at="2026-11-01T10:00:00Z",
        reason="Outside the criteria.",
    )
    return org


def test_a_restore_into_an_empty_database_gives_an_identical_export(tmp_path, content):
    path, first = export(tmp_path, "first.json", "--include-personal-data")
    counts = {m._meta.label: m._default_manager.count() for m in content_models()[1:]}
    call_command("flush", interactive=False, verbosity=0)  # an empty, migrated database
    call_command("import_data", str(path), verbosity=0)
    _, second = export(tmp_path, "second.json", "--include-personal-data")
    assert second == first
    assert {m._meta.label: m._default_manager.count() for m in content_models()[1:]} == counts
    restored = Organisation.objects.get(pk=content.pk)
    assert restored.history.count() == 2
    assert sorted(restored.tags.names()) == ["Open Data", "privacy"]
    # New rows after a restore do not collide with restored keys.
    OrganisationFactory()


def test_personal_data_is_left_out_unless_asked_for(tmp_path, content):
    _, document = export(tmp_path, "public.json")
    text = json.dumps(document)
    for secret in ("sam@example.org", "private@example.org", "mod@example.org", "Sam Submitter"):
        assert secret not in text
    password_hash = get_user_model().objects.get(username="mod").password
    assert password_hash.split("$")[-1] not in text  # never a password hash
    _, full = export(tmp_path, "full.json", "--include-personal-data")
    assert "sam@example.org" in json.dumps(full)
    assert password_hash.split("$")[-1] not in json.dumps(full)  # even with personal data


def test_import_refuses_a_database_that_already_has_content(tmp_path, content):
    path, _ = export(tmp_path, "backup.json")
    with pytest.raises(CommandError, match="empty database"):
        call_command("import_data", str(path), verbosity=0)


def test_import_refuses_a_file_that_is_not_a_backup(tmp_path, db):
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(CommandError, match="Not a ethicalmap-backup"):
        call_command("import_data", str(path), verbosity=0)
    path.write_text("{not json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_data", str(path), verbosity=0)
