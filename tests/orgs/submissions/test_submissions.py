"""Each kind of submission end to end: the public form, the queue, the decision, the public map."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from orgs.models import Organisation, Relationship, Submission
from orgs.submissions import services
from taxonomy.models import Term
from tests.factories import OrganisationFactory
from tests.orgs.submissions.submission_helpers import (
    edit_post,
    in_directory,
    new_org_post,
    page,
)

pytestmark = pytest.mark.django_db


# --- Add an organisation ----------------------------------------------------------------------


def test_the_submit_form_explains_itself_with_the_shared_definitions(client, vocabularies):
    html = page(client, reverse("submit:new"))
    privacy_term = Term.objects.get(slug="data-privacy")
    assert escape(privacy_term.definition) in html
    assert 'aria-describedby="id_consequences_' in html  # each box is described by its definition
    assert 'href="/privacy/"' in html and 'href="/criteria/"' in html
    assert "Private: used only to ask you about this submission" in html


def test_a_new_organisation_waits_in_the_queue_and_is_not_public(client, vocabularies):
    organisations_before = Organisation.objects.count()

    response = client.post(reverse("submit:new"), new_org_post())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("submit:thanks"))
    submission = Submission.objects.get()
    assert submission.kind == Submission.Kind.NEW and submission.status == "pending"
    assert submission.data["name"] == "Fair Code Collective"
    assert submission.data["consequences"] == ["algorithmic-bias", "bias-discrimination"]
    assert submission.data["tags"] == ["audits", "open source"]
    assert submission.submitter_email == "sam@example.org"
    assert submission.connection == "I work for it, run it or sit on its board"
    assert Organisation.objects.count() == organisations_before
    assert not in_directory(client, "Fair Code Collective")


def test_the_thanks_page_says_what_happens_next(client, vocabularies):
    response = client.post(reverse("submit:new"), new_org_post(), follow=True)
    html = response.content.decode()
    assert "What happens next" in html
    assert "one to two weeks" in html
    assert "Fair Code Collective" in html
    assert "sam@example.org" not in html


def test_an_approved_organisation_appears_with_everything_it_was_sent_with(
    client, vocabularies, approver
):
    partner = OrganisationFactory(name="Open Data Friends")
    post = new_org_post(link_0_kind="partner", link_0_target="open data friends")
    client.post(reverse("submit:new"), post)
    submission = Submission.objects.get()

    org = services.submission_approve(submission=submission, moderator=approver)

    assert org.slug == "fair-code-collective"
    assert org.status == "published" and org.last_verified == timezone.localdate()
    assert set(org.terms.values_list("slug", flat=True)) == {
        "algorithmic-bias",
        "bias-discrimination",
        "research",
        "tools-services",
    }
    assert list(org.offers.values_list("slug", flat=True)) == ["help-expertise"]
    assert sorted(org.tags.names()) == ["audits", "open source"]
    assert Relationship.objects.filter(source=org, target=partner, kind="partner").exists()
    submission.refresh_from_db()
    assert submission.status == "approved" and submission.reviewed_by == approver
    profile = page(client, org.get_absolute_url())
    assert "Builds open tools that check public-sector algorithms for bias." in profile
    assert "<em>audit</em>" in profile  # the Markdown description, rendered
    assert in_directory(client, "Fair Code Collective")


def test_a_rejected_organisation_never_appears(client, vocabularies, approver, mailoutbox):
    client.post(reverse("submit:new"), new_org_post())
    submission = Submission.objects.get()

    services.submission_reject(submission=submission, moderator=approver, reason="Not UK-based.")

    assert not Organisation.objects.filter(name="Fair Code Collective").exists()
    assert not in_directory(client, "Fair Code Collective")
    submission.refresh_from_db()
    assert submission.status == "rejected" and submission.reason == "Not UK-based."


def test_errors_are_shown_beside_each_field_and_summarised_and_nothing_typed_is_lost(
    client, vocabularies
):
    post = new_org_post(
        summary="",
        website="javascript:alert(1)",
        charity_number="12AB",
        consequences=[],
        description="Keep *this* text",
        name="Kept Name",
    )
    response = client.post(reverse("submit:new"), post)

    assert response.status_code == 200
    assert Submission.objects.count() == 0
    html = response.content.decode()
    assert 'class="error-summary"' in html
    for anchor in ("id_summary", "id_website", "id_charity_number", "id_consequences_0"):
        assert f'href="#{anchor}"' in html
    assert 'id="id_website_error"' in html
    assert 'aria-invalid="true"' in html
    assert "starts with http:// or https://" in html
    assert "Enter a registered charity number" in html
    assert "Tick at least one consequence" in html
    assert 'value="Kept Name"' in html
    assert "Keep *this* text</textarea>" in html
    assert 'value="algorithmic-bias"' in html  # the other answers are still ticked
    assert response.context["form"]["activities"].value() == ["research", "tools-services"]
    assert "<title>Error: " in html


def test_charity_and_company_numbers_are_stored_in_their_register_form(client, vocabularies):
    client.post(
        reverse("submit:new"),
        new_org_post(charity_number=" sc 012345 ", company_number="8030289"),
    )
    data = Submission.objects.get().data
    assert data["charity_number"] == "SC012345"
    assert data["company_number"] == "08030289"


def test_a_website_without_a_scheme_is_taken_as_https(client, vocabularies):
    client.post(reverse("submit:new"), new_org_post(website="faircode.example.org"))
    assert Submission.objects.get().data["website"] == "https://faircode.example.org"


def test_a_link_to_an_organisation_not_on_the_map_is_refused_with_a_message(client, vocabularies):
    OrganisationFactory(name="Archived Friends", status="archived")
    response = client.post(
        reverse("submit:new"),
        new_org_post(link_0_kind="funds", link_0_target="Archived Friends", link_1_target="Gone"),
    )
    html = response.content.decode()
    assert "“Archived Friends” is not on the map" in html
    assert "Choose how the organisations are linked" in html
    assert Submission.objects.count() == 0


def test_the_relationship_field_suggests_the_names_on_the_map_without_javascript(
    client, vocabularies
):
    OrganisationFactory(name="Open Data Friends")
    OrganisationFactory(name="Hidden Archive", status="archived")
    html = page(client, reverse("submit:new"))
    assert 'list="org-names"' in html
    assert '<option value="Open Data Friends">' in html
    assert "Hidden Archive" not in html


def test_the_submit_form_costs_the_same_queries_however_many_organisations(
    client, vocabularies, django_assert_max_num_queries
):
    OrganisationFactory.create_batch(5)
    with django_assert_max_num_queries(3) as small:
        client.get(reverse("submit:new"))
    OrganisationFactory.create_batch(60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("submit:new"))


def test_a_duplicate_is_flagged_for_the_moderator_and_the_submitter_is_told(client, vocabularies):
    existing = OrganisationFactory(name="The Fair Code Collective Ltd", website="https://x.org/")
    response = client.post(reverse("submit:new"), new_org_post(), follow=True)
    submission = Submission.objects.get()
    assert submission.possible_duplicate_of == existing
    html = response.content.decode()
    assert "It may already be on the map" in html
    assert existing.get_absolute_url() in html


def test_a_duplicate_of_a_pending_submission_is_told_too(client, vocabularies):
    client.post(reverse("submit:new"), new_org_post())
    response = client.post(
        reverse("submit:new"),
        new_org_post(name="Another Name", website="https://www.faircode.example.org/about"),
        follow=True,
    )
    assert Submission.objects.count() == 2
    assert "Someone else suggested it too" in response.content.decode()


def test_the_thanks_page_ignores_a_forged_reference(client):
    response = client.get(reverse("submit:thanks"), {"ref": "1:forged"})
    assert response.status_code == 200
    assert "What you sent is with the moderators" in response.content.decode()


# --- Suggest an edit --------------------------------------------------------------------------


def test_the_edit_form_is_prefilled_with_the_current_entry(client, listed):
    response = client.get(reverse("orgs:suggest_edit", args=[listed.slug]))
    html = response.content.decode()
    assert 'value="Digital Fairness Trust"' in html
    assert "Campaigns for fair algorithms.</textarea>" in html
    form = response.context["form"]
    assert form["consequences"].value() == ["algorithmic-bias"]
    assert form["offers"].value() == ["help-training"]
    assert form["tags"].value() == "fairness"
    # What it showed goes back with the form, so changes are read against it.
    assert f'<input type="hidden" name="shown" value="{form["shown"].value()}"' in html


def test_an_unchanged_edit_is_refused_with_a_message(client, listed):
    url = reverse("orgs:suggest_edit", args=[listed.slug])
    post = edit_post(client.get(url).context["form"])
    response = client.post(url, post)
    assert "Nothing has changed" in response.content.decode()
    assert Submission.objects.count() == 0


def test_an_edit_is_a_proposal_until_approved_then_it_changes_the_entry(client, listed, approver):
    url = reverse("orgs:suggest_edit", args=[listed.slug])
    post = edit_post(
        client.get(url).context["form"],
        summary="Campaigns for fair and accountable algorithms.",
        consequences=["algorithmic-bias", "automated-decision-making"],
        tags="fairness, accountability",
        note="See their new website.",
    )
    response = client.post(url, post)
    assert response.status_code == 302

    submission = Submission.objects.get()
    assert submission.kind == "edit" and submission.organisation == listed
    assert set(submission.data) == {"summary", "consequences", "tags", "note", "shown"}
    assert submission.data["shown"]["summary"] == "Campaigns for fair algorithms."
    assert "Campaigns for fair algorithms." in page(client, listed.get_absolute_url())

    services.submission_approve(submission=submission, moderator=approver)

    listed.refresh_from_db()
    assert listed.summary == "Campaigns for fair and accountable algorithms."
    assert listed.last_verified == timezone.localdate()
    slugs = set(listed.terms.values_list("slug", flat=True))
    # The theme the form does not show is kept; the consequences are replaced.
    assert slugs == {"algorithmic-bias", "automated-decision-making", "tech-product-ethics"}
    assert sorted(listed.tags.names()) == ["accountability", "fairness"]
    assert "fair and accountable" in page(client, listed.get_absolute_url())
    assert listed.history.first().history_user == approver


def test_an_edit_can_add_and_remove_links(client, listed, approver):
    old = OrganisationFactory(name="Old Partner")
    new = OrganisationFactory(name="New Funder")
    Relationship.objects.create(source=listed, target=old, kind="partner")
    url = reverse("orgs:suggest_edit", args=[listed.slug])
    form = client.get(url).context["form"]
    assert form["link_0_target"].value() == "Old Partner"
    post = edit_post(form, link_0_kind="", link_0_target="", link_1_kind="funds")
    post["link_1_target"] = "New Funder"
    client.post(url, post)

    services.submission_approve(submission=Submission.objects.get(), moderator=approver)

    links = set(listed.outgoing.values_list("kind", "target__name"))
    assert links == {("funds", "New Funder")}
    assert new.incoming.count() == 1


def test_a_change_made_while_the_form_was_open_is_not_proposed_back(client, listed, approver):
    url = reverse("orgs:suggest_edit", args=[listed.slug])
    form = client.get(url).context["form"]
    # A moderator fixes the summary while the member has the form open.
    listed.summary = "Campaigns for fair and open algorithms."
    listed.save()

    response = client.post(url, edit_post(form, city="York"))

    assert response.status_code == 302
    submission = Submission.objects.get()
    assert set(submission.data) == {"city", "shown"}
    services.submission_approve(submission=submission, moderator=approver)
    listed.refresh_from_db()
    assert (listed.city, listed.summary) == ("York", "Campaigns for fair and open algorithms.")


def test_an_entry_without_a_region_can_be_edited_without_choosing_one(client, vocabularies):
    org = OrganisationFactory(name="Regionless", region="", org_type="")
    url = reverse("orgs:suggest_edit", args=[org.slug])

    response = client.post(url, edit_post(client.get(url).context["form"], city="Bangor"))

    assert response.status_code == 302
    assert set(Submission.objects.get().data) == {"city", "shown"}


def test_text_sent_back_untouched_is_not_a_change(client, vocabularies):
    org = OrganisationFactory(description="Line one.\r\nLine two.  ", summary="Two  spaces.")
    url = reverse("orgs:suggest_edit", args=[org.slug])
    client.post(url, edit_post(client.get(url).context["form"], city="Derby"))
    assert set(Submission.objects.get().data) == {"city", "shown"}


def test_tags_added_by_a_moderator_since_are_kept_beside_the_members(client, listed, approver):
    url = reverse("orgs:suggest_edit", args=[listed.slug])
    form = client.get(url).context["form"]
    listed.tags.add("audits")
    client.post(url, edit_post(form, tags="fairness, accountability"))

    services.submission_approve(submission=Submission.objects.get(), moderator=approver)

    assert sorted(listed.tags.names()) == ["accountability", "audits", "fairness"]


def test_a_forged_stamp_of_what_was_shown_is_refused_and_nothing_typed_is_lost(client, listed):
    url = reverse("orgs:suggest_edit", args=[listed.slug])
    post = edit_post(client.get(url).context["form"], city="York", shown="forged")

    response = client.post(url, post)

    assert response.status_code == 200
    assert "We could not tell which version of the entry" in response.content.decode()
    assert response.context["form"]["city"].value() == "York"
    assert not Submission.objects.exists()
    # Sent again as shown now, it is read against the entry as it is now.
    resent = edit_post(response.context["form"])
    assert client.post(url, resent).status_code == 302
    assert set(Submission.objects.get().data) == {"city", "shown"}


def test_an_archived_entry_has_no_edit_report_or_assess_form(client, vocabularies):
    org = OrganisationFactory(status="archived")
    for name in ("orgs:suggest_edit", "orgs:report", "orgs:assess"):
        assert client.get(reverse(name, args=[org.slug])).status_code == 404
