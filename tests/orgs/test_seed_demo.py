import pytest
from django.core.management import call_command

from orgs.models import Organisation, Relationship

pytestmark = pytest.mark.django_db


def snapshot():
    return [
        (o.slug, o.name, o.region, o.latitude, o.status, sorted(t.slug for t in o.terms.all()),
         sorted(t.name for t in o.tags.all()))
        for o in Organisation.objects.filter(is_synthetic=True)
        .prefetch_related("terms", "tags")
        .order_by("slug")
    ]  # fmt: skip


def relationships():
    return sorted(
        Relationship.objects.filter(source__is_synthetic=True).values_list(
            "source__slug", "kind", "target__slug"
        )
    )


def test_the_same_seed_gives_the_same_organisations():
    call_command("seed_demo", orgs=60, seed=7, verbosity=0)
    first, first_links = snapshot(), relationships()
    call_command("seed_demo", orgs=60, seed=7, verbosity=0)
    assert snapshot() == first
    assert relationships() == first_links
    assert len(first) == 60
    assert first_links


def test_another_seed_gives_other_organisations():
    call_command("seed_demo", orgs=30, seed=1, verbosity=0)
    first = snapshot()
    call_command("seed_demo", orgs=30, seed=2, verbosity=0)
    assert snapshot() != first


def test_synthetic_organisations_are_marked_and_never_touch_the_starter_data(starter_data):
    starter = set(Organisation.objects.values_list("slug", flat=True))
    call_command("seed_demo", orgs=25, verbosity=0)
    synthetic = Organisation.objects.filter(is_synthetic=True)
    assert synthetic.count() == 25
    assert all(o.slug.startswith("demo-") and "(demo)" in o.name for o in synthetic)
    call_command("seed_demo", orgs=0, verbosity=0)
    assert set(Organisation.objects.values_list("slug", flat=True)) == starter
