"""Long lists are numbered in pages without counting every match, and nothing is lost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ethicalmap import kept, paging
from ethicalmap.paging import BoundedPaginator
from orgs import views as orgs_views
from orgs.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve():
    OrganisationFactory.create_batch(12)
    return Organisation.objects.order_by("pk")


def test_the_count_stops_at_the_bound_and_says_there_are_more(twelve):
    paginator = BoundedPaginator(twelve, 2, bound=5)
    with CaptureQueriesContext(connection) as captured:
        assert paginator.count == 5
    assert len(captured) == 1 and "LIMIT" in captured[0]["sql"].upper()
    assert paginator.count_is_exact is False
    assert paginator.page(3).has_next()  # the last counted page still leads on


def test_following_next_reaches_every_row_once_and_ends(twelve):
    paginator, seen, number = BoundedPaginator(twelve, 2, bound=5), [], 1
    while True:
        page = paginator.page(number)
        seen += [o.pk for o in page]
        if not page.has_next():
            break
        number = page.next_page_number()
    assert seen == list(twelve.values_list("pk", flat=True))
    assert paginator.count == 12 and paginator.count_is_exact  # counted to the end at last


def test_a_short_list_is_counted_exactly(twelve):
    paginator = BoundedPaginator(twelve, 5, bound=100)
    assert (paginator.count, paginator.count_is_exact, paginator.num_pages) == (12, True, 3)
    assert not paginator.page(3).has_next()


def test_a_count_known_already_costs_no_query(twelve, django_assert_num_queries):
    paginator = BoundedPaginator(twelve, 5)
    paginator.known_count(12)
    with django_assert_num_queries(1):  # the page's rows only
        assert len(paginator.page(2)) == 5
    assert paginator.count_is_exact


def test_the_directory_and_the_api_say_when_more_match(client, twelve, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_BOUND", 5)
    monkeypatch.setattr(orgs_views, "PAGE_SIZE", 4)  # counted to the bound, or the page asked
    # A short filtered list is counted from its keys, read once for its facets too: exactly.
    assert "12 organisations" in client.get("/organisations/?region=london").content.decode()
    monkeypatch.setattr(orgs_views, "FEW_KEYS", 10)
    html = client.get("/organisations/?region=london&sort=name").content.decode()
    assert "More than 5 organisations" in html
    assert "12 organisations" in client.get("/organisations/").content.decode()  # kept count
    url, names = "/api/v1/organisations/?region=london&page_size=4", []
    first = client.get(url).json()
    assert (first["count"], first["count_is_exact"]) == (5, False)
    while url:
        body = client.get(url).json()
        names += [o["name"] for o in body["results"]]
        url = body["next"]
    assert sorted(names) == sorted(twelve.values_list("name", flat=True))
    # Unfiltered, the count kept after the last write is exact, however long the list.
    kept.build_all()
    whole = client.get("/api/v1/organisations/?page_size=4").json()
    assert (whole["count"], whole["count_is_exact"]) == (12, True)


def test_an_api_search_lists_its_best_matches_and_says_more_match(client, monkeypatch):
    monkeypatch.setattr("orgs.search.BEST_MATCHES", 3)
    for n in range(4):
        OrganisationFactory(name=f"Harbour group {n}", region="wales")
    # The word in the summary only: these rank below the names.
    OrganisationFactory(name="Alpha", summary="A harbour charity.", region="london")
    OrganisationFactory(name="Beta", summary="We clean the harbour.", region="london")
    api = "/api/v1/organisations/"

    first = client.get(api, {"search": "harbour", "page_size": 2}).json()
    assert (first["count"], first["count_is_exact"]) == (3, False)
    second = client.get(first["next"]).json()
    listed = [o["name"] for o in first["results"] + second["results"]]
    assert listed == ["Harbour group 0", "Harbour group 1", "Harbour group 2"]
    assert second["next"] is None  # the best three, and no page after them
    assert client.get(api, {"search": "harbour", "page_size": 2, "page": 3}).status_code == 404

    # Another order lists the same best matches in it, and counts them alike.
    by_name = client.get(api, {"search": "harbour", "ordering": "-name"}).json()
    names = [o["name"] for o in by_name["results"]]
    assert names == ["Harbour group 2", "Harbour group 1", "Harbour group 0"]
    assert (by_name["count"], by_name["count_is_exact"]) == (3, False)

    synced, page = [], client.get(api, {"search": "harbour", "pagination": "cursor"}).json()
    synced += page["results"]
    assert page["next"] is None and len(synced) == 3  # a cursor goes through the best too

    # Within a filter, the best are the filter's best, not its share of the best overall.
    narrowed = client.get(api, {"search": "harbour", "region": "london"}).json()
    assert [o["name"] for o in narrowed["results"]] == ["Alpha", "Beta"]
    assert (narrowed["count"], narrowed["count_is_exact"]) == (2, True)

    listed = client.get(api, {"page_size": 2}).json()
    assert (listed["count"], listed["count_is_exact"]) == (6, True)  # no search: no such bound
