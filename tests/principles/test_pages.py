import pytest
from django.urls import reverse

from tests.factories import (
    AssessmentFactory,
    EndorsementFactory,
    LevelDescriptorFactory,
    MaturityLevelFactory,
    OrganisationFactory,
    PracticeFactory,
    PrincipleFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def principle():
    for level, name in enumerate(["Aware", "Exploring", "Practising", "Embedded", "Leading"], 1):
        MaturityLevelFactory(level=level, name=name, description=f"The {name.lower()} level.")
    principle = PrincipleFactory(
        slug="collect-less", title="Collect less data", summary="Only what you need.", order=1
    )
    principle.mitigates.add(TermFactory(slug="data-privacy", name="Data privacy"))
    PracticeFactory(principle=principle, text="Map every field you collect.")
    for level in range(1, 6):
        LevelDescriptorFactory(principle=principle, level=level, description=f"Descriptor {level}.")
    return principle


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_public_principles_with_their_endorsements(client, principle):
    EndorsementFactory(principle=principle)
    EndorsementFactory(principle=principle, organisation__status="archived")
    PrincipleFactory(title="Retired idea", status="retired")
    html = html_of(client.get(reverse("principles:list")))
    assert "Collect less data" in html
    assert "Endorsed by 1 organisation" in html
    assert "Retired idea" not in html
    assert "Draft" in html


def test_a_principle_shows_practices_consequences_levels_and_endorsers(client, principle):
    EndorsementFactory(principle=principle, organisation=OrganisationFactory(name="Pledger"))
    EndorsementFactory(
        principle=principle, organisation=OrganisationFactory(name="Quitter"), status="withdrawn"
    )
    AssessmentFactory(principle=principle, level=3)
    html = html_of(client.get(principle.get_absolute_url()))
    assert "<h1>Collect less data</h1>" in html
    assert "Map every field you collect." in html
    assert 'href="/taxonomy/consequences/data-privacy/"' in html
    for level, name in enumerate(["Aware", "Exploring", "Practising", "Embedded", "Leading"], 1):
        assert f'<span class="level-number">{level}</span> {name}' in html
        assert f"Descriptor {level}." in html
    assert "Pledger" in html and "Quitter" not in html
    assert "1 organisation at this level" in html


def test_a_retired_or_unknown_principle_is_not_found(client):
    retired = PrincipleFactory(status="retired")
    assert client.get(retired.get_absolute_url()).status_code == 404
    assert client.get("/principles/no-such-thing/").status_code == 404


def test_the_maturity_model_explains_the_five_levels(client, principle):
    html = html_of(client.get(reverse("principles:maturity")))
    assert "<h1>The maturity model</h1>" in html
    for name in ["Aware", "Exploring", "Practising", "Embedded", "Leading"]:
        assert f"</span> {name}</h2>" in html
    assert "Descriptor 5." in html
