"""The network reads: every organisation drawn is named, no two labels overlap, the picture is
the same for the same data, and "With shared areas" stays readable as the map grows."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from orgs.maps import network
from orgs.maps.drawing import overlaps, text_box
from orgs.models import Organisation
from tests.factories import OrganisationFactory, RelationshipFactory, TermFactory, VocabularyFactory

pytestmark = pytest.mark.django_db

NETWORK = reverse("maps:network")


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def adjacency(html):
    section = re.search(r'<section class="adjacency".*?</section>', html, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)).strip()


def drawing(html):
    """The circles (x, y, r, name) and labels (x, y, anchor, text, number?) of the network."""
    circles = [
        (float(x), float(y), float(r), name)
        for x, y, r, name in re.findall(
            r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)" class="org"><title>([^<:]+)', html
        )
    ]
    labels = [
        (float(x), float(y), anchor, text, bool(number))
        for x, y, anchor, number, text in re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)"( class="number")?>([^<]+)</text>',
            html,
        )
    ]
    key = re.findall(r'<li value="(\d+)"><a href="[^"]+">([^<]+)</a></li>', html)
    return circles, labels, key


def label_boxes(labels):
    return [
        text_box(x, y, anchor, text, network.NUMBER_SIZE if number else network.LABEL_SIZE)
        for x, y, anchor, text, number in labels
    ]


def assert_reads(html):
    """No two labels overlap, none covers a circle, and every circle is named."""
    circles, labels, key = drawing(html)
    assert circles
    boxes = label_boxes(labels)
    clashes = [
        (labels[i][3], labels[j][3])
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if overlaps(boxes[i], boxes[j], pad=0)
    ]
    assert clashes == []
    for x, y, r, name in circles:
        covered = [text for box, (*_, text, _n) in zip(boxes, labels, strict=True)
                   if overlaps(box, (x - r, y - r, x + r, y + r), pad=-1)]  # fmt: skip
        assert covered == [], name
    assert len(labels) == len(circles)
    names = {text for *_, text, number in labels if not number}
    numbered = dict(key)
    assert {text for *_, text, number in labels if number} == set(numbered)
    for *_, name in circles:
        shown = name if len(name) <= network.LABEL_LENGTH else name[: network.LABEL_LENGTH - 1]
        assert any(label.startswith(shown.rstrip()) for label in names) or name in numbered.values()
    return circles, labels, key


@pytest.mark.parametrize("links", ["", "terms"])
def test_on_the_starter_data_every_organisation_is_named_and_no_label_overlaps(
    client, starter_data, links
):
    assert Organisation.objects.published().count() >= 100
    circles, labels, key = assert_reads(html_of(client.get(NETWORK, {"links": links})))
    # Most are named in words on the drawing; the key is for the few that do not fit.
    assert len(key) < len(circles) / 4


def test_the_shared_areas_are_readable_on_the_starter_data(client, starter_data):
    html = html_of(client.get(NETWORK, {"links": "terms"}))
    circles, *_ = drawing(html)
    lines = html.count('class="k-shared"') - 1  # the legend has one
    assert 0 < lines <= network.MAX_SHARED_PAIRS
    assert len(circles) < Organisation.objects.published().count()
    assert "share at least 2 narrower areas of concern with another" in html
    # Every area's organisations are still listed in words, drawn or not.
    assert re.search(r">Data privacy</a> \(\d\d\)", html)


@pytest.fixture
def areas():
    consequences = VocabularyFactory(slug="consequences", name="Unintended consequences")
    privacy = TermFactory(vocabulary=consequences, slug="data-privacy", name="Data privacy")
    return {
        "privacy": privacy,
        "surveillance": TermFactory(
            vocabulary=consequences, slug="surveillance", name="Surveillance", parent=privacy
        ),
        "rights": TermFactory(
            vocabulary=consequences, slug="data-rights", name="Data rights", parent=privacy
        ),
    }


def test_shared_areas_join_organisations_that_share_a_narrower_area(client, areas):
    OrganisationFactory(name="Alpha", terms=[areas["privacy"], areas["surveillance"]])
    OrganisationFactory(name="Beta", terms=[areas["surveillance"]])
    OrganisationFactory(name="Gamma", terms=[areas["privacy"]])
    assert "No organisation has a recorded link yet" in html_of(client.get(NETWORK))
    html = html_of(client.get(NETWORK, {"links": "terms"}))
    assert html.count('class="k-shared"') == 1 + 1  # one line and the legend
    text = adjacency(html)
    assert "Alpha shares surveillance with Beta" in text
    assert "Beta shares surveillance with Alpha" in text
    # Gamma shares only the broad area: not drawn, but listed under it.
    assert [c[3] for c in drawing(html)[0]] == ["Alpha", "Beta"]
    assert "Data privacy (3) Alpha , Beta , Gamma" in text
    assert "<strong>2</strong> of 3 organisations have a recorded link or share a narrower" in html
    # The filter form keeps the toggle.
    assert '<input type="hidden" name="links" value="terms">' in html


def test_the_shared_areas_needed_rise_until_few_enough_pairs_are_left(client, areas, monkeypatch):
    monkeypatch.setattr(network, "MAX_SHARED_PAIRS", 2)
    both = [areas["surveillance"], areas["rights"]]
    OrganisationFactory(name="Alpha", terms=both)
    OrganisationFactory(name="Beta", terms=both)
    for name in ["Gamma", "Delta", "Epsilon"]:
        OrganisationFactory(name=name, terms=[areas["surveillance"]])
    html = html_of(client.get(NETWORK, {"links": "terms"}))
    assert "Alpha shares data rights and surveillance with Beta" in adjacency(html)
    assert [c[3] for c in drawing(html)[0]] == ["Alpha", "Beta"]
    assert "share at least 2 narrower areas of concern with another" in html


def test_a_crowded_network_names_the_rest_by_numbers_in_a_key(client):
    # Slugs of its own: the layout is seeded from them, so the drawing does not depend on which
    # tests ran before this one.
    hub = OrganisationFactory(slug="the-hub", name="The Hub")
    for i in range(30):
        RelationshipFactory(
            source=OrganisationFactory(
                slug=f"long-name-{i:02d}", name=f"A Rather Long Organisation Name {i:02d}"
            ),
            target=hub,
        )
    circles, labels, key = assert_reads(html_of(client.get(NETWORK)))
    assert len(circles) == 31
    assert key, "some names cannot fit around one hub"
    assert [int(number) for number, _ in key] == list(range(1, len(key) + 1))


def make_chain(offset):
    """The same little network, made after `offset` other organisations came and went."""
    for i in range(offset):
        OrganisationFactory(slug=f"gone-{i}").delete()
    orgs = [OrganisationFactory(slug=f"chain-{i}", name=f"Chain {i}") for i in range(6)]
    for a, b in zip(orgs, orgs[1:], strict=False):
        RelationshipFactory(source=a, target=b)
    RelationshipFactory(source=orgs[0], target=orgs[3], kind="funds")


def test_the_same_data_draws_the_same_picture_on_any_database(client):
    make_chain(0)
    first = re.search(r"<svg .*?</svg>", html_of(client.get(NETWORK)), re.S).group(0)
    Organisation.objects.all().delete()
    cache.clear()
    make_chain(7)  # other primary keys
    again = re.search(r"<svg .*?</svg>", html_of(client.get(NETWORK)), re.S).group(0)
    assert again == first
