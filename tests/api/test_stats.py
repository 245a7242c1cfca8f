import pytest

from orgs import stats
from orgs.models import Organisation, OrgType, Region
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def by_choice(choices, counts, ons=False):
    rows = [
        {"code": code, "name": name, "count": counts.get(code, 0)} for code, name in choices.choices
    ]
    if ons:
        from orgs.models import REGION_ONS_CODES

        rows = [{**row, "ons_code": REGION_ONS_CODES.get(row["code"])} for row in rows]
    return rows


def term(slug, name, vocabulary, parent, count):
    return {"slug": slug, "name": name, "vocabulary": vocabulary, "parent": parent, "count": count}


def test_stats_count_by_term_theme_type_region_and_year_and_name_the_gaps(client, world):
    privacy = term("data-privacy", "Data privacy", "consequences", None, 1)
    surveillance = term("surveillance", "Surveillance", "consequences", "data-privacy", 1)
    sustainability = term("sustainability", "Sustainability", "themes", None, 1)
    assert client.get("/api/v1/stats/").json() == {
        "organisations": 2,
        "by_term": [privacy, surveillance, sustainability],
        "by_theme": [sustainability],
        "by_type": by_choice(OrgType, {"network": 1, "cooperative": 1}),
        "by_region": by_choice(Region, {"london": 1}, ons=True),
        "by_founded_year": [{"year": 2005, "count": 1}],
        "gap_threshold": 3,
        # A broader term is not a gap while its narrower terms are counted on their own.
        "gaps": [surveillance, sustainability],
    }


def test_stats_take_the_organisation_filters(client, world):
    body = client.get("/api/v1/stats/?region=london").json()
    assert body["organisations"] == 1
    assert [(t["slug"], t["count"]) for t in body["by_term"]] == [
        ("data-privacy", 1),
        ("surveillance", 0),
        ("sustainability", 0),
    ]
    assert client.get("/api/v1/stats/?region=atlantis").status_code == 400


def test_gaps_are_leaf_terms_with_fewer_organisations_than_the_threshold(world):
    privacy = world["rights"].terms.get()
    for n in range(3):
        OrganisationFactory(slug=f"more-{n}", terms=[privacy.children.get()])
    found = stats.gaps(stats.counts_by_term())
    assert [t["slug"] for t in found] == ["sustainability"]


@pytest.mark.parametrize("size", [10, 200])
def test_stats_cost_a_fixed_number_of_queries(client, world, size, django_assert_num_queries):
    for n in range(size):
        OrganisationFactory(slug=f"org-{n}", founded=1990 + n % 30, region=Region.values[n % 12])
    assert Organisation.objects.published().count() == size + 2
    # data version, count, terms, types, regions, years
    with django_assert_num_queries(6):
        assert client.get("/api/v1/stats/?type=charity").status_code == 200
