"""What the unfiltered map shows of the whole field, built after each write (ethicalmap/kept.py).

Each page or endpoint that reads every published organisation when no filter is chosen takes its
numbers and drawings from here; with a filter, it counts the filtered organisations in the
request, as before. One place for them all (the glossary's term counts are taxonomy's own, in
`taxonomy/kept.py`), so that every write builds them all, whichever process writes.
"""

from ethicalmap.dataversion import data_version
from ethicalmap.kept import Kept
from orgs.facets import Taxonomy, directory_facets, organisation_ids, rolled_up_counts
from orgs.filters import has_active_filters
from orgs.insights import stats
from orgs.maps import geo
from orgs.maps.landscape import build_landscape
from orgs.maps.network import build_graph
from orgs.models import Organisation, Relationship
from principles.models import Principle


def _published():
    return Organisation.objects.published()


def _home():
    published = _published()
    taxonomy = Taxonomy()
    return {
        # Areas count the organisations under their narrower terms too, as the landscape does.
        "areas": rolled_up_counts(organisation_ids(published), taxonomy, "consequences"),
        "counts": published.headline_counts(),
        "principles": Principle.objects.live().count(),
        "relationships": Relationship.objects.public().count(),
    }


def _directory():
    published = _published()
    return {
        "facets": directory_facets(published, Taxonomy(), {}),
        "count": published.count(),
    }


# Declared, and so built after a write, from the quickest to the slowest: the pages most visited
# are ready first.
organisation_count = Kept("organisation-count", lambda: _published().count())
home = Kept("home", _home)
directory = Kept("directory", _directory)
geography = Kept("geography", lambda: geo.geography(_published()))
landscape = Kept("landscape", lambda: build_landscape(_published(), Taxonomy()))
network = Kept("network", lambda: build_graph(_published(), Taxonomy()))
network_with_terms = Kept(
    "network-terms", lambda: build_graph(_published(), Taxonomy(), with_terms=True)
)
# The counts of /insights/ and /api/v1/stats/; freshness counts back from today.
insights = Kept("insights", stats.summary, daily=True)


def whole_or_filtered(request, filterset, whole, build):
    """`build(the filtered organisations)` when a filter is chosen; otherwise `whole`, the kept
    value of the whole field (built by the same function after the last write)."""
    found = filterset.qs  # validates the filters, so that they can be told apart from none
    if has_active_filters(filterset):
        return build(found)
    return whole.get(data_version(request))
