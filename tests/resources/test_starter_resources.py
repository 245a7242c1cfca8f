import csv

import pytest
from django.core.management import call_command

from ethicalmap import starter_resources
from principles.models import Principle
from resources.models import Resource

pytestmark = pytest.mark.django_db


def rows():
    with starter_resources.CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def snapshot():
    resources = Resource.objects.order_by("slug")
    return {
        "resources": list(resources.values_list("slug", *starter_resources.FILLABLE, "updated")),
        "areas": sorted(Resource.areas.through.objects.values_list("pk", flat=True)),
        "principles": sorted(Resource.principles.through.objects.values_list("pk", flat=True)),
        "history": Resource.history.count(),
    }


def test_every_starter_resource_loads_with_its_links(starter_data):
    data = rows()
    assert Resource.objects.published().count() == len(data) == 44
    wcag = Resource.objects.get(slug="wcag-2-2")
    assert wcag.kind == Resource.Kind.STANDARD
    assert wcag.year == 2023
    assert wcag.publisher_name == "World Wide Web Consortium (W3C)"
    assert set(wcag.areas.values_list("slug", flat=True)) == {
        "accessibility",
        "assistive-technology",
        "inclusive-design",
    }
    assert list(wcag.principles.values_list("slug", flat=True)) == ["design-for-accessibility"]
    linked = [row for row in data if row["publisher_org_slug"]]
    assert Resource.objects.filter(publisher__isnull=False).count() == len(linked) == 26


def test_every_principle_has_a_resource_to_put_it_into_practice(starter_data):
    assert not Principle.objects.live().filter(resources__isnull=True).exists()


def test_the_uncertain_rows_are_flagged_for_a_moderator(starter_data):
    flagged = set(Resource.objects.filter(needs_verification=True).values_list("slug", flat=True))
    assert len(flagged) == 7
    assert "doteveryone-consequence-scanning" in flagged
    assert "wcag-2-2" not in flagged


def test_loading_resources_twice_changes_nothing(starter_data, capsys):
    first = snapshot()
    call_command("load_starter_data")
    assert "up to date" in capsys.readouterr().out
    assert snapshot() == first


def test_a_moderators_edits_to_a_resource_survive_reloading(starter_data, moderator):
    resource = Resource.objects.get(slug="wcag-2-2")
    resource.summary = "Edited by a moderator."
    resource.licence = ""
    resource.year = None
    resource._history_user = moderator
    resource.save()
    resource.principles.clear()
    call_command("load_starter_data", verbosity=0)
    resource.refresh_from_db()
    assert resource.summary == "Edited by a moderator."
    assert resource.year is None  # cleared by the moderator, not filled again
    assert not resource.principles.exists()


def test_a_resource_missing_its_fields_is_filled_when_no_moderator_touched_it(starter_data, capsys):
    Resource.objects.filter(slug="wcag-2-2").update(year=None)
    Resource.objects.get(slug="wcag-2-2").areas.clear()
    call_command("load_starter_data")
    assert "filled empty fields of 1 resources" in capsys.readouterr().out
    resource = Resource.objects.get(slug="wcag-2-2")
    assert resource.year == 2023
    assert resource.areas.count() == 3


def test_a_deleted_starter_resource_comes_back_and_a_new_one_is_kept(starter_data):
    Resource.objects.filter(slug="wcag-2-2").delete()
    Resource.objects.create(
        slug="added-by-a-moderator", title="Ours", url="https://example.org/", kind="guide",
        summary="Added in the admin.",
    )  # fmt: skip
    call_command("load_starter_data", verbosity=0)
    assert Resource.objects.filter(slug__in=["wcag-2-2", "added-by-a-moderator"]).count() == 2
