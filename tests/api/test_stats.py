import pytest

from orgs.insights import stats
from orgs.models import Organisation, OrgType, Region, SizeBand
from tests.factories import OrganisationFactory
from tests.queries import LIMIT_QUERIES

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
        "by_size": by_choice(SizeBand, {"small": 1}),
        # Surveillance counts towards its area; neither organisation records an activity.
        "coverage": [
            {
                "area": "data-privacy",
                "area_name": "Data privacy",
                "activity": None,
                "activity_name": "Activity not recorded",
                "count": 2,
            }
        ],
        "activities_recorded": {
            "without_activity": 2,
            "by_area": [
                {
                    "area": "data-privacy",
                    "area_name": "Data privacy",
                    "organisations": 2,
                    "with_activity": 0,
                }
            ],
        },
        "coverage_by_type": [
            {
                "area": "data-privacy",
                "area_name": "Data privacy",
                "org_type": code,
                "org_type_name": name,
                "count": 1 if code in {"network", "cooperative"} else 0,
            }
            for code, name in OrgType.choices
        ],
        "growth": [
            {"quarter": "2024-Q1", "added": 2, "verified": 0},
            {"quarter": "2024-Q2", "added": 0, "verified": 0},
            {"quarter": "2024-Q3", "added": 0, "verified": 0},
            {"quarter": "2024-Q4", "added": 0, "verified": 0},
            {"quarter": "2025-Q1", "added": 0, "verified": 1},
        ],
        # Only approved assessments of public principles: the withdrawn one is not counted.
        "maturity": [
            {
                "principle": "protect-data",
                "title": "Protect personal data",
                "level": level,
                "count": 1 if level == 3 else 0,
            }
            for level in range(1, 6)
        ],
        "freshness": {
            "organisations": 2,
            "verified_recently": 0,
            "verified_recently_by_organisation": 0,
            "verified_recently_by_moderator": 0,
            "verified_earlier": 1,
            "never_verified": 1,
            "share_verified_recently": 0,
        },
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
    # the client's count in the shared limits store, data version, count, terms, types, regions,
    # years, taxonomy, sizes, coverage (2; the cells by activity cost nothing here: there is no
    # activity vocabulary), coverage by type, growth (2), maturity (2), freshness, activities
    # recorded (2)
    with django_assert_num_queries(18 + LIMIT_QUERIES):
        assert client.get("/api/v1/stats/?type=charity").status_code == 200
