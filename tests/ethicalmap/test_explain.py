"""The filters and sorts of the directory and the API use indexes (PostgreSQL only).

On a few thousand synthetic organisations with fresh statistics, the plan of each query must
name its index: if it does not, a change removed the index or made the query unable to use it,
and at 100,000 organisations every request would read the whole table.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from orgs.filters import OrganisationFilter
from orgs.models import Organisation
from orgs.search import search_organisations

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's"
)


@pytest.fixture
def many_organisations(db):
    call_command("seed_demo", orgs=3000, seed=42, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE orgs_organisation, orgs_organisation_terms, taxonomy_term")


def test_the_first_page_in_name_order_reads_the_status_and_name_index(many_organisations):
    first_page = Organisation.objects.published().order_by("name", "pk")[:50]
    text = first_page.explain()
    assert "org_status_name_idx" in text
    assert "Seq Scan on orgs_organisation" not in text


def test_search_uses_the_stored_vector_and_the_name_trigrams(many_organisations):
    # A few thousand rows are cheap to scan; price the scan out, as 100,000 rows would.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    # A typo: the words find few, so similar names are looked up too, before the search.
    with CaptureQueriesContext(connection) as first:
        searched = search_organisations(Organisation.objects.all(), "privasy")
    few, names = (query["sql"] for query in first.captured_queries)
    plans = {}
    with connection.cursor() as cursor:
        for name, sql in (("few", few), ("names", names)):
            cursor.execute("EXPLAIN " + sql)
            plans[name] = "\n".join(row[0] for row in cursor.fetchall())
    assert "orgs_organisation_search_vector_gin" in plans["few"]
    assert "orgs_organisation_name_trgm" in plans["names"]
    text = searched.explain()
    assert "orgs_organisation_search_vector_gin" in text


def test_a_term_filter_reads_the_link_table_through_an_index(many_organisations):
    filtered = OrganisationFilter(
        QueryDict("term=surveillance&sort=name"), queryset=Organisation.objects.published()
    )
    under_term = filtered.qs[:50]
    text = under_term.explain()
    assert "Seq Scan on orgs_organisation_terms" not in text
    assert "Seq Scan on orgs_organisation " not in text
