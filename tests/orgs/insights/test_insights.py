"""The insights page: the numbers each chart shows on known data, the gaps in words, the CSVs,
and a fixed number of queries however many organisations there are."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone

from orgs.models import Region
from tests.factories import (
    AssessmentFactory,
    OrganisationFactory,
    PrincipleFactory,
    TermFactory,
    VocabularyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def field():
    """Two areas, two activities, a few organisations in London and Wales, two assessments."""
    areas = VocabularyFactory(slug="consequences", name="Consequences", order=1)
    activities = VocabularyFactory(slug="activities", name="Activities", order=3)
    privacy = TermFactory(vocabulary=areas, slug="data-privacy", name="Data privacy", order=1)
    surveillance = TermFactory(vocabulary=areas, slug="surveillance", name="Surveillance",
                               parent=privacy)  # fmt: skip
    misinformation = TermFactory(
        vocabulary=areas, slug="misinformation", name="Misinformation", order=2
    )
    research = TermFactory(vocabulary=activities, slug="research", name="Research", order=1)
    tools = TermFactory(
        vocabulary=activities, slug="tools-services", name="Tools and services", order=2
    )
    today = timezone.localdate()
    old = timezone.make_aware(datetime.datetime(2024, 2, 10, 12))
    orgs = {
        # Two terms of one area and both activities: counts once in each cell.
        "a": OrganisationFactory(
            terms=[privacy, surveillance, research, tools],
            size="small",
            created=old,
            last_verified=today,
        ),  # fmt: skip
        "b": OrganisationFactory(
            terms=[privacy, research],
            org_type="company",
            size="small",
            created=old,
            last_verified=datetime.date(2020, 5, 1),
        ),  # fmt: skip
        "c": OrganisationFactory(
            terms=[misinformation],
            region=Region.WALES,
            city="Cardiff",
            created=old.replace(month=5),
        ),  # fmt: skip
        "d": OrganisationFactory(
            terms=[surveillance, tools],
            region=Region.WALES,
            size="micro",
            created=old.replace(month=5),
        ),  # fmt: skip
        "gone": OrganisationFactory(terms=[misinformation, research], status="archived"),
    }
    principle = PrincipleFactory(slug="protect-data", title="Protect personal data", order=1)
    AssessmentFactory(organisation=orgs["a"], principle=principle, level=2)
    AssessmentFactory(organisation=orgs["b"], principle=principle, level=4)
    AssessmentFactory(organisation=orgs["c"], principle=principle, level=4, status="withdrawn")
    return orgs


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_coverage_counts_each_organisation_once_per_area_and_activity(client, field):
    assert csv_rows(client.get("/insights/coverage.csv")) == [
        ["Area of concern", "Research", "Tools and services", "Activity not recorded"],
        ["Data privacy", "2", "2", "0"],
        ["Misinformation", "0", "0", "1"],
    ]


def test_coverage_by_type_region_type_and_size_charts_show_their_counts(client, field):
    by_type = csv_rows(client.get("/insights/coverage-by-type.csv"))
    assert by_type[0][:3] == ["Area of concern", "Charity", "Social enterprise"]
    assert dict(zip(by_type[0], by_type[1], strict=True))["Company"] == "1"
    assert dict(zip(by_type[0], by_type[1], strict=True))["Charity"] == "2"
    regions = csv_rows(client.get("/insights/regions.csv"))
    # Ranked, largest first.
    assert regions[:3] == [["Region", "Organisations"], ["London", "2"], ["Wales", "2"]]
    assert ["Scotland", "0"] in regions
    sizes = csv_rows(client.get("/insights/sizes.csv"))
    assert sizes == [
        ["Size", "Organisations"],
        ["1 to 9 people", "1"],
        ["10 to 49 people", "2"],
        ["50 to 249 people", "0"],
        ["250 people or more", "0"],
    ]
    assert csv_rows(client.get("/insights/types.csv"))[1] == ["Charity", "3"]


def test_growth_maturity_and_freshness_charts_show_their_counts(client, field):
    today = timezone.localdate()
    growth = csv_rows(client.get("/insights/growth.csv"))
    assert growth[:4] == [
        ["Quarter", "Added", "Verified"],
        ["2020-Q2", "0", "1"],
        ["2020-Q3", "0", "0"],
        ["2020-Q4", "0", "0"],
    ]
    assert ["2024-Q1", "2", "0"] in growth and ["2024-Q2", "2", "0"] in growth
    assert growth[-1] == [f"{today.year}-Q{(today.month - 1) // 3 + 1}", "0", "1"]
    # Approved assessments only: the withdrawn one is not counted.
    assert csv_rows(client.get("/insights/maturity.csv")) == [
        ["Principle", "Level 1", "Level 2", "Level 3", "Level 4", "Level 5"],
        ["Protect personal data", "0", "1", "0", "1", "0"],
    ]
    assert csv_rows(client.get("/insights/?format=csv&chart=freshness")) == [
        ["Entries", "Organisations", "Share (%)"],
        ["Verified in the last 12 months", "1", "25"],
        ["Verified more than 12 months ago", "1", "25"],
        ["Never verified", "2", "50"],
    ]


def test_page_draws_each_chart_as_an_image_with_a_title_and_the_same_numbers_in_a_table(
    client, field
):
    response = client.get("/insights/")
    page = response.content.decode()
    assert response.status_code == 200
    for name in ["coverage", "coverage-by-type", "regions", "types", "sizes", "growth",
                 "maturity", "freshness"]:  # fmt: skip
        assert f'aria-labelledby="{name}-title {name}-svgdesc"' in page
        assert f'<caption id="{name}-caption">' in page
        assert f'href="/insights/{name}.csv"' in page
    assert 'role="img"' in page
    assert "<script" not in page and 'style="' not in page
    assert (
        "25% of 4 organisations were verified in the last 12 months (0 confirmed by the "
        "organisation itself, 1 checked by a moderator)"
    ) in page


def gap_notes(client, url):
    page = client.get(url).content.decode()
    return re.findall(r"<li>([^<]+)</li>", page.split('<div class="gaps">')[1].split("</div>")[0])


def test_gaps_are_named_in_words_for_the_chosen_region_and_type(client, field):
    assert gap_notes(client, "/insights/") == [
        "1 organisation has no activity recorded: the gaps by activity leave it out.",
        "Fewer than 3 organisations work on data privacy through research (2) and tools and "
        "services (2).",
        # Its only organisation has no activity recorded: nothing can be said of its activities.
        "The gaps by activity in misinformation cannot be told yet: fewer than half of the "
        "organisations working on it have their activities recorded.",
    ]
    assert gap_notes(client, "/insights/?region=wales") == [
        "1 organisation in Wales has no activity recorded: the gaps by activity leave it out.",
        "No organisation in Wales works on data privacy through research.",
        "Fewer than 3 organisations in Wales work on data privacy through tools and services (1).",
        "The gaps by activity in misinformation cannot be told yet: fewer than half of the "
        "organisations in Wales working on it have their activities recorded.",
    ]
    assert gap_notes(client, "/insights/?region=wales&type=company") == [
        "No company in Wales works on data privacy.",
        "No company in Wales works on misinformation.",
    ]


def test_a_gap_by_activity_is_stated_only_where_most_entries_record_their_activities(client, field):
    misinformation = field["c"].terms.get()
    research = field["a"].terms.get(slug="research")
    # One of two organisations on misinformation records an activity: half is enough.
    OrganisationFactory(terms=[misinformation, research])
    notes = gap_notes(client, "/insights/")
    assert "No organisation works on misinformation through tools and services." in notes
    assert not any("cannot be told" in note for note in notes)
    # One of three is not: its empty cells would say more about the entries than the field.
    OrganisationFactory(terms=[misinformation])
    notes = gap_notes(client, "/insights/")
    assert not any("misinformation through" in note for note in notes)
    assert "2 organisations have no activity recorded: the gaps by activity leave them out." \
        in notes  # fmt: skip
    assert any(note.startswith("The gaps by activity in misinformation cannot") for note in notes)


def test_no_entry_recording_an_activity_gives_two_lines_not_one_per_area(client, field):
    for org in field.values():
        org.terms.remove(*org.terms.filter(vocabulary__slug="activities"))
    assert gap_notes(client, "/insights/") == [
        "4 organisations have no activity recorded: the gaps by activity leave them out.",
        "The gaps by activity in data privacy and misinformation cannot be told yet: fewer than "
        "half of the organisations working on each have their activities recorded.",
    ]


def test_filters_narrow_every_chart_and_csv(client, field):
    assert csv_rows(client.get("/insights/coverage.csv?region=wales")) == [
        ["Area of concern", "Research", "Tools and services", "Activity not recorded"],
        ["Data privacy", "0", "1", "0"],
        ["Misinformation", "0", "0", "1"],
    ]
    page = client.get("/insights/?region=wales").content.decode()
    assert 'href="/insights/coverage.csv?region=wales"' in page


def test_an_unknown_filter_value_is_named_and_left_out(client, field):
    response = client.get("/insights/?region=atlantis")
    assert response.status_code == 200
    assert "we do not know “atlantis”" in response.content.decode()


def test_an_unknown_chart_is_not_found(client, field):
    assert client.get("/insights/nothing.csv").status_code == 404
    assert client.get("/insights/?format=csv&chart=nothing").status_code == 404


def test_stats_api_carries_the_numbers_of_the_charts(client, field):
    body = client.get("/api/v1/stats/?region=wales").json()
    assert {"area": "data-privacy", "area_name": "Data privacy", "activity": "tools-services",
            "activity_name": "Tools and services", "count": 1} in body["coverage"]  # fmt: skip
    assert body["freshness"]["organisations"] == 2
    assert body["freshness"]["never_verified"] == 2


@pytest.mark.parametrize("size", [5, 60])
def test_insights_cost_a_fixed_number_of_queries(client, field, size, django_assert_num_queries):
    principle = PrincipleFactory()
    terms = list(field["a"].terms.all())
    for n in range(size):
        org = OrganisationFactory(terms=terms, region=Region.values[n % 12], size="medium",
                                  last_verified=datetime.date(2023, 1 + n % 12, 1))  # fmt: skip
        AssessmentFactory(organisation=org, principle=principle, level=1 + n % 5)
    # the data version, the seventeen of stats.summary, then the terms of the filter form
    with django_assert_num_queries(19):
        assert client.get("/insights/?type=charity").status_code == 200
    with django_assert_num_queries(18):
        assert client.get("/insights/coverage.csv?region=london").status_code == 200
    # Counted once per version of the data: the same page again only checks the version.
    with django_assert_num_queries(1):
        assert client.get("/insights/?type=charity").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/insights/coverage.csv?region=london").status_code == 200


def test_a_change_to_the_data_is_counted_at_once(client, field):
    assert csv_rows(client.get("/insights/sizes.csv"))[3] == ["50 to 249 people", "0"]
    OrganisationFactory(size="medium")
    assert csv_rows(client.get("/insights/sizes.csv"))[3] == ["50 to 249 people", "1"]


def test_an_empty_map_still_has_its_insights_page(client):
    response = client.get("/insights/")
    assert response.status_code == 200
    assert "No organisation has been added yet." in response.content.decode()


def test_freshness_says_who_verified_the_entries_of_the_last_12_months(client, db):
    today = timezone.localdate()
    OrganisationFactory(last_verified=today, verified_by="organisation")
    OrganisationFactory(last_verified=today, verified_by="moderator")
    OrganisationFactory(last_verified=today)  # from before anyone recorded who
    page = client.get("/insights/").content.decode()
    assert "1 confirmed by the organisation itself, 2 checked by a moderator" in page
    stats = client.get("/api/v1/stats/").json()["freshness"]
    assert stats["verified_recently_by_organisation"] == 1
    assert stats["verified_recently_by_moderator"] == 2
