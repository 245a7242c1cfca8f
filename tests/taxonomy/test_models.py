import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from taxonomy.models import Term
from tests.factories import TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db


def test_term_slugs_are_unique_across_vocabularies():
    TermFactory(slug="research", vocabulary=VocabularyFactory(slug="activities"))
    with pytest.raises(IntegrityError):
        TermFactory(slug="research", vocabulary=VocabularyFactory(slug="themes"))


def test_a_term_cannot_be_its_own_parent_in_the_database():
    term = TermFactory()
    with pytest.raises(IntegrityError):
        Term.objects.filter(pk=term.pk).update(parent=term)


def test_the_parent_must_be_in_the_same_vocabulary():
    parent = TermFactory(vocabulary=VocabularyFactory(slug="themes"))
    child = TermFactory.build(vocabulary=VocabularyFactory(slug="activities"), parent=parent)
    with pytest.raises(ValidationError, match="same vocabulary"):
        child.full_clean()


def test_a_cycle_of_parents_is_refused():
    grandparent = TermFactory()
    parent = TermFactory(parent=grandparent, vocabulary=grandparent.vocabulary)
    child = TermFactory(parent=parent, vocabulary=grandparent.vocabulary)
    grandparent.parent = child
    with pytest.raises(ValidationError, match="cycle"):
        grandparent.full_clean()


def test_markdown_descriptions_are_rendered_without_script():
    term = TermFactory(description="**Bold** <script>alert(1)</script> [link](javascript:alert(1))")
    html = term.description_html
    assert "<strong>Bold</strong>" in html
    assert "<script" not in html
    assert "href" not in html  # the javascript: link stays text, never a link


def test_counts_include_only_published_organisations():
    from tests.factories import OrganisationFactory

    term = TermFactory()
    OrganisationFactory(terms=[term])
    OrganisationFactory(terms=[term], status="archived")
    assert Term.objects.with_counts().get(pk=term.pk).organisation_count == 1
