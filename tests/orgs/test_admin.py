import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from orgs.models import Organisation
from orgs.moderators import MODERATORS_GROUP, sync_moderators_group
from tests.factories import (
    AssessmentFactory,
    EndorsementFactory,
    MaintainerFactory,
    OrganisationFactory,
    RelationshipFactory,
    SubmissionFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MODERATED_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"orgs", "taxonomy", "principles"}
]


@pytest.fixture
def content(starter_data):
    RelationshipFactory()
    SubmissionFactory()
    MaintainerFactory()
    AssessmentFactory()
    EndorsementFactory()
    TermFactory()


@pytest.mark.parametrize("model", MODERATED_MODELS, ids=lambda m: m._meta.label)
def test_a_moderator_sees_every_changelist_and_change_form(moderator_client, content, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = moderator_client.get(changelist)
    assert response.status_code == 200
    obj = model.objects.first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert moderator_client.get(change).status_code == 200


def test_the_changelist_search_finds_an_organisation(moderator_client, starter_data):
    response = moderator_client.get(
        reverse("admin:orgs_organisation_changelist"), {"q": "Full Fact"}
    )
    assert "Full Fact" in response.content.decode()


def test_a_moderator_cannot_manage_users_or_delete_organisations(moderator_client):
    org = OrganisationFactory()
    assert moderator_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    delete = reverse("admin:orgs_organisation_delete", args=[org.pk])
    assert moderator_client.get(delete).status_code == 403


def change_form_post(client, url, **changes):
    """The organisation's change form as the admin shows it, with `changes` typed over it."""
    form = client.get(url).context["adminform"].form
    data = {
        name: (value if value is not None else "")
        for name, value in form.initial.items()
        if name not in {"terms", "offers", "looking_for"}
    }
    data.update({"tags": "", "outgoing-TOTAL_FORMS": "0", "outgoing-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_a_moderator_can_edit_an_organisation_and_the_change_is_in_its_history(
    moderator_client, moderator
):
    org = OrganisationFactory(name="Old name")
    url = reverse("admin:orgs_organisation_change", args=[org.pk])
    response = moderator_client.post(url, change_form_post(moderator_client, url, name="New name"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    org.refresh_from_db()
    assert org.name == "New name"
    assert org.history.first().history_user == moderator


def test_a_save_over_a_change_made_since_the_form_was_opened_is_refused(client, moderator):
    other = UserFactory(is_staff=True, username="other-moderator")
    other.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    org = OrganisationFactory(name="Shared Entry", city="Leeds")
    url = reverse("admin:orgs_organisation_change", args=[org.pk])
    client.force_login(moderator)
    first_form = change_form_post(client, url, summary="The first moderator's summary.")

    client.force_login(other)
    assert client.post(url, change_form_post(client, url, city="York")).status_code == 302

    client.force_login(moderator)
    response = client.post(url, first_form)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved: the entry changed since you opened it" in html
    assert "other-moderator changed city" in html
    org.refresh_from_db()
    assert (org.city, org.summary) == ("York", "Shared Entry works on fair technology.")


def test_the_moderators_group_is_kept_in_step_idempotently(db):
    group = Group.objects.get(name=MODERATORS_GROUP)
    before = set(group.permissions.values_list("codename", flat=True))
    group.permissions.clear()
    sync_moderators_group()
    sync_moderators_group()
    assert Group.objects.filter(name=MODERATORS_GROUP).count() == 1
    assert set(group.permissions.values_list("codename", flat=True)) == before
    assert "change_submission" in before
    assert "add_user" not in before and "delete_organisation" not in before


def add_form_post(client, **values):
    """The admin's add form for an organisation, filled in with `values`."""
    url = reverse("admin:orgs_organisation_add")
    form = client.get(url).context["adminform"].form
    data = dict.fromkeys(set(form.fields) - {"terms", "offers", "looking_for", "distinct"}, "")
    data.update({"status": "published", "country": "GB", "tags": ""})
    data.update({"outgoing-TOTAL_FORMS": "0", "outgoing-INITIAL_FORMS": "0"})
    data.update(values)
    return client.post(url, data)


def test_adding_an_organisation_already_on_the_map_is_refused_and_names_it(moderator_client):
    OrganisationFactory(name="Full Fact", website="https://fullfact.org/")
    response = add_form_post(
        moderator_client,
        name="Full Fаct",  # a Cyrillic а
        slug="full-fact-again",
        summary="Checks claims.",
        website="https://www.fullfact.org/about/",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved: Full Fаct is already on the map as “Full Fact”" in html
    assert 'value="Full Fаct"' in html  # what was typed is kept
    assert not Organisation.objects.filter(slug="full-fact-again").exists()


def test_a_moderator_can_say_it_is_a_different_organisation(moderator_client):
    OrganisationFactory(name="Open Data Cooperative", website="https://odc.example.org/")
    response = add_form_post(
        moderator_client,
        name="Open Data Cooperative",
        slug="open-data-cooperative-wales",
        summary="Another co-operative of the same name, in Wales.",
        distinct="on",
    )
    assert response.status_code == 302
    assert Organisation.objects.published().filter(name="Open Data Cooperative").count() == 2


def test_editing_a_twin_without_touching_who_it_is_is_not_refused(moderator_client):
    OrganisationFactory(name="Twin Trust", slug="twin-trust")
    twin = OrganisationFactory(name="Twin Trust", slug="twin-trust-2")
    url = reverse("admin:orgs_organisation_change", args=[twin.pk])
    response = moderator_client.post(url, change_form_post(moderator_client, url, city="York"))
    assert response.status_code == 302
