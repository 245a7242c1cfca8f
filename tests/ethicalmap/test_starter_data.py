import pytest
from django.core.management import call_command

from orgs.models import Organisation, Relationship
from principles.models import LevelDescriptor, MaturityLevel, Principle
from taxonomy.models import Term, Vocabulary

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "vocabularies": Vocabulary.objects.count(),
        "terms": Term.objects.count(),
        "principles": Principle.objects.count(),
        "levels": LevelDescriptor.objects.count(),
        "organisations": Organisation.objects.count(),
        "published": Organisation.objects.published().count(),
        "relationships": Relationship.objects.count(),
        "org_terms": Organisation.terms.through.objects.count(),
        "history": Organisation.history.count() + Term.history.count(),
    }


def test_loading_twice_changes_nothing(capsys):
    call_command("load_starter_data")
    first = snapshot()
    call_command("load_starter_data")
    assert snapshot() == first
    assert "up to date" in capsys.readouterr().out


def test_starter_content_is_a_usable_map(starter_data):
    assert Organisation.objects.count() >= 40
    assert Term.objects.count() >= 20
    assert Principle.objects.count() >= 7
    assert set(Vocabulary.objects.values_list("slug", flat=True)) >= {
        "consequences",
        "themes",
        "activities",
        "sectors",
        "help",
    }
    assert MaturityLevel.objects.count() == 5


def test_every_term_has_a_one_sentence_definition(starter_data):
    for term in Term.objects.all():
        assert term.definition.strip().endswith("."), term.slug


def test_every_consequence_is_mitigated_by_a_principle(starter_data):
    top_level = Term.objects.in_vocabulary("consequences").filter(parent__isnull=True)
    for consequence in top_level:
        assert consequence.principles.exists(), consequence.slug


def test_principles_are_drafts_with_practices_and_five_levels(starter_data):
    for principle in Principle.objects.all():
        assert principle.status == Principle.Status.DRAFT
        assert principle.practices.count() >= 3, principle.slug
        assert sorted(principle.levels.values_list("level", flat=True)) == [1, 2, 3, 4, 5]


def test_starter_organisations_keep_their_facts_and_sources(starter_data):
    privacy = Organisation.objects.get(slug="privacy-international")
    assert privacy.identifiers == ["GB-CHC-1147471", "GB-COH-04354366"]
    assert privacy.source_url_list
    assert privacy.last_verified is None
    assert set(privacy.terms.values_list("slug", flat=True)) == {"data-privacy"}
    assert Organisation.objects.get(slug="scvo").org_id == "GB-SC-SC003558"


def test_closed_organisations_are_archived_and_uncertain_ones_flagged(starter_data):
    assert Organisation.objects.get(slug="doteveryone").status == Organisation.Status.ARCHIVED
    assert Organisation.objects.get(slug="full-fact").needs_verification
    assert not Organisation.objects.get(slug="open-rights-group").needs_verification


def test_organisations_without_a_known_base_have_no_invented_location(starter_data):
    org = Organisation.objects.get(slug="good-things-foundation")
    assert (org.city, org.region, org.latitude) == ("", "", None)


def test_a_moderators_edit_survives_reloading(starter_data):
    Organisation.objects.filter(slug="full-fact").update(summary="Edited by a moderator.")
    call_command("load_starter_data", verbosity=0)
    assert Organisation.objects.get(slug="full-fact").summary == "Edited by a moderator."


def test_starter_relationships_link_published_organisations(starter_data):
    assert (
        Relationship.objects.public()
        .filter(source__slug="paul-hamlyn-foundation", target__slug="catalyst", kind="funds")
        .exists()
    )
