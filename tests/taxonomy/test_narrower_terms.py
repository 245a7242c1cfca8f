"""Terms nest to any depth: a broader term stands for everything below it, grandchildren included,
wherever terms filter, count or are listed."""

import re

import pytest
from django.urls import reverse

from taxonomy.models import Term
from taxonomy.querysets import TermTree
from tests.factories import OrganisationFactory, TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db

LIST = reverse("orgs:list")


@pytest.fixture
def tree():
    """Data privacy > Surveillance > Facial recognition, and a separate area."""
    consequences = VocabularyFactory(slug="consequences", name="Unintended consequences")
    privacy = TermFactory(vocabulary=consequences, slug="data-privacy", name="Data privacy")
    surveillance = TermFactory(
        vocabulary=consequences, slug="surveillance", name="Surveillance", parent=privacy
    )
    faces = TermFactory(
        vocabulary=consequences,
        slug="facial-recognition",
        name="Facial recognition",
        parent=surveillance,
    )
    other = TermFactory(vocabulary=consequences, slug="misinformation", name="Misinformation")
    return {"privacy": privacy, "surveillance": surveillance, "faces": faces, "other": other}


@pytest.fixture
def organisations(tree):
    """One organisation on the grandchild only, one on both lower levels, one elsewhere."""
    return {
        "faces": OrganisationFactory(name="Face Watch", terms=[tree["faces"]]),
        "both": OrganisationFactory(
            name="Both Levels", terms=[tree["faces"], tree["surveillance"]]
        ),
        "other": OrganisationFactory(name="Fact Checkers", terms=[tree["other"]]),
    }


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def card_names(html):
    return re.findall(r'<article class="card">\s*<h3><a href="[^"]+">([^<]+)</a>', html)


def facet_count(html, value):
    match = re.search(
        rf'name="term" value="{value}"[^>]*> [^<]+ <span class="n">(\d+)</span>', html
    )
    return int(match.group(1)) if match else None


def test_filtering_by_a_broad_term_finds_organisations_two_levels_below(client, organisations):
    assert card_names(html_of(client.get(LIST, {"term": "data-privacy"}))) == [
        "Both Levels",
        "Face Watch",
    ]
    api = client.get("/api/v1/organisations/", {"term": "data-privacy"}).json()
    assert [org["name"] for org in api["results"]] == ["Both Levels", "Face Watch"]


def test_facets_count_grandchildren_and_drill_down_to_them(client, organisations):
    everything = html_of(client.get(LIST))
    assert facet_count(everything, "data-privacy") == 2  # each organisation once
    privacy = html_of(client.get(LIST, {"term": "data-privacy"}))
    assert facet_count(privacy, "surveillance") == 2
    assert facet_count(privacy, "facial-recognition") is None  # one level at a time
    surveillance = html_of(client.get(LIST, {"term": "surveillance"}))
    assert facet_count(surveillance, "surveillance") == 2
    assert facet_count(surveillance, "facial-recognition") == 2
    assert re.search(r'<span class="pill">1 chosen</span>', surveillance)


def test_the_maps_filter_offers_grandchildren(client, organisations):
    html = html_of(client.get(reverse("maps:landscape"), {"term": "facial-recognition"}))
    assert re.search(r'<option value="facial-recognition" selected>– – Facial recognition<', html)


def test_the_glossary_counts_and_lists_grandchildren(client, organisations):
    html = html_of(client.get(reverse("taxonomy:glossary")))
    assert re.search(r'>Data privacy</a> <span class="n">2<', html)
    assert 'href="/taxonomy/consequences/facial-recognition/"' in html
    narrower = re.search(r'aria-label="Narrower terms of Surveillance">(.*?)</ul>', html)
    assert narrower and "Facial recognition" in narrower.group(1)


def test_a_term_page_lists_and_counts_what_is_two_levels_below(client, tree, organisations):
    html = html_of(client.get(tree["privacy"].get_absolute_url()))
    assert card_names(html) == ["Both Levels", "Face Watch"]
    assert re.search(r'>Surveillance</a> <span class="n">2<', html)
    leaf = html_of(client.get(tree["faces"].get_absolute_url()))
    breadcrumbs = re.search(r'aria-label="Breadcrumb">(.*?)</nav>', leaf, re.S).group(1)
    assert re.findall(r"<a [^>]*>([^<]+)</a>", breadcrumbs)[-2:] == [
        "Data privacy",
        "Surveillance",
    ]
    assert 'part of <a href="/taxonomy/consequences/surveillance/">Surveillance</a>' in leaf


def test_the_tree_counts_in_one_query_per_depth(tree, organisations, django_assert_num_queries):
    links = tree["privacy"].organisations.through.objects.all()
    terms = TermTree.from_terms(Term.objects.all())
    pks = [tree[name].pk for name in ("privacy", "surveillance", "faces", "other")]
    with django_assert_num_queries(3):
        counts = terms.counts(links, pks)
    assert counts == {
        tree["privacy"].pk: 2,
        tree["surveillance"].pk: 2,
        tree["faces"].pk: 2,
        tree["other"].pk: 1,
    }


def test_the_glossary_costs_the_same_queries_for_10_and_200_organisations(
    client, tree, django_assert_max_num_queries
):
    def count():
        # The counts built in the request and kept, as after a write by raw SQL: 3 queries more
        # than counting alone (ethicalmap/kept.py); read back afterwards, fewer.
        with django_assert_max_num_queries(11) as context:
            html_of(client.get(reverse("taxonomy:glossary")))
        return len(context.captured_queries)

    OrganisationFactory.create_batch(10, terms=[tree["faces"]])
    with_10 = count()
    OrganisationFactory.create_batch(190, terms=[tree["surveillance"], tree["other"]])
    assert count() == with_10
