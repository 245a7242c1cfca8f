"""The public directory: the list with facets and search, and each organisation's profile."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ethicalmap.dataversion import data_version
from ethicalmap.middleware import public_page
from ethicalmap.paging import BoundedPaginator
from orgs import kept, search
from orgs.facets import (
    Taxonomy,
    active_filters,
    directory_facets,
    selected_values,
)
from orgs.filters import (
    SORT_CHOICES,
    filter_notes,
    filter_organisations,
    has_active_filters,
)
from orgs.help.places import works_in
from orgs.jsonld import organisation_jsonld
from orgs.models import VERIFICATION_LIFETIME, Organisation, Relationship, VerifiedBy
from orgs.records import Record
from resources.models import Resource

PAGE_SIZE = 24
# A filtered list this long or shorter is counted, and its facets counted, from its keys.
FEW_KEYS = 2_000
# How many organisations working on the same areas a profile names.
NEIGHBOURS = 5


@public_page
def organisation_list(request):
    filterset, organisations = filter_organisations(request, best_matches=search.BEST_MATCHES)
    taxonomy = Taxonomy()
    cleaned = getattr(filterset.form, "cleaned_data", {})
    sort = cleaned.get("sort") or "relevance"
    searching = filterset.ranked_keys is not None
    paginator, facets, more_matches = _listing(request, filterset, organisations, taxonomy)
    page = paginator.get_page(request.GET.get("page"))
    if searching:
        page.object_list = _cards(page.object_list)
    return render(
        request,
        "orgs/list.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "facets": facets,
            "chips": active_filters(request.GET, taxonomy),
            "notes": filter_notes(filterset),
            "query": request.GET.get("q", "")[:200],
            "sort": sort,
            "sort_choices": [
                (value, label)
                for value, label in SORT_CHOICES
                if value != "relevance" or searching or sort == "relevance"
            ],
            "searching": searching,
            "more_matches": more_matches,
            "best_matches": paginator.count,
        },
    )


def _listing(request, filterset, organisations, taxonomy):
    """(the paginator, the facets, whether more match than are listed) of the directory."""
    selected = selected_values(request.GET)
    if filterset.ranked_keys is not None:  # a search, ranked once: the list, its count, facets
        best = _in_list_order(filterset.ranked_keys, organisations)
        facets = directory_facets(best, taxonomy, selected)
        return BoundedPaginator(best, PAGE_SIZE), facets, filterset.more_matches
    paginator = BoundedPaginator(organisations.with_card_terms(), PAGE_SIZE)
    if not has_active_filters(filterset):  # the whole directory: counted after the last write
        whole = kept.directory.get(data_version(request))
        paginator.known_count(whole["count"])
        return paginator, whole["facets"], False
    pks = _keys_if_few(organisations)
    if pks is None:
        return paginator, directory_facets(organisations, taxonomy, selected), False
    paginator.known_count(len(pks))
    return paginator, directory_facets(pks, taxonomy, selected), False


def _in_list_order(ranked, organisations):
    """The keys of a search's best matches in the list's order. A visitor sorting by name or
    date sees the same best matches in that order, not the first names among every match."""
    if ranked and not search.ordered_by_rank(organisations):
        return list(organisations.values_list("pk", flat=True))
    return ranked


def _keys_if_few(organisations):
    """The primary keys of the filtered `organisations` when there are at most FEW_KEYS, else
    None: read once, they give the count and the facets without finding the organisations
    again for each (at 100,000, a term in a region: eight passes over the filter, 76 ms, become
    one and seven reads by key)."""
    pks = list(organisations.order_by().values_list("pk", flat=True)[: FEW_KEYS + 1])
    return pks if len(pks) <= FEW_KEYS else None


def _cards(pks):
    """The published organisations of `pks`, in that order, with what their cards show."""
    found = Organisation.objects.published().with_card_terms().in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


def _address_label(url, length=60):
    """A web address as it reads in a list: the host without www., then the path."""
    parts = urlsplit(url)
    label = parts.netloc.removeprefix("www.") + parts.path.rstrip("/")
    return label if len(label) <= length else label[: length - 1] + "…"


def source_links(organisation):
    """The web addresses the entry's facts come from, each with a short label to show."""
    links = []
    for url in dict.fromkeys(organisation.source_url_list):
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        if parts.scheme in {"http", "https"} and parts.netloc:
            links.append({"url": url, "label": _address_label(url)})
    return links


def verification(organisation):
    """Who confirmed the entry and when, in plain words."""
    day = organisation.last_verified
    if day is None:
        return "Not yet verified"
    when = f"{day.day} {day:%B %Y}"
    if organisation.verified_by == VerifiedBy.ORGANISATION:
        return f"Confirmed by the organisation on {when}"
    return f"Checked by a moderator on {when}"


@public_page
def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.published().with_terms(), slug=slug)
    relationships = list(Relationship.objects.public().involving(organisation))
    outgoing = [r for r in relationships if r.source_id == organisation.pk]
    incoming = [r for r in relationships if r.target_id == organisation.pk]
    cited = Prefetch("case_studies", queryset=Resource.objects.published().order_by("title"))
    assessments = list(
        organisation.assessments.public()
        .in_principle_order()
        .with_level_name()
        .prefetch_related(cited)
    )
    endorsements = list(organisation.endorsements.public().in_principle_order())
    terms = organisation.terms.all()
    groups = {}
    for term in terms:
        groups.setdefault(term.vocabulary, []).append(term)
    today = timezone.localdate()
    verified = organisation.last_verified
    canonical = settings.SITE_URL + organisation.get_absolute_url()
    region = organisation.get_region_display() if organisation.region else ""
    place = ", ".join(p for p in dict.fromkeys([organisation.city, region]) if p)
    website = urlsplit(organisation.website)
    website_label = (website.netloc.removeprefix("www.") + website.path.rstrip("/"))[:60]
    neighbours = Organisation.objects.sharing_areas_with(organisation, limit=NEIGHBOURS)
    # What it publishes and the case studies about it, in one query.
    resources = Resource.objects.published().filter(
        Q(publisher=organisation) | Q(case_organisation=organisation)
    )
    return render(
        request,
        "orgs/detail.html",
        {
            "organisation": organisation,
            "term_groups": list(groups.items()),
            "outgoing": outgoing,
            "incoming": incoming,
            "assessments": assessments,
            "endorsements": endorsements,
            "stale": verified is not None and today - verified > VERIFICATION_LIFETIME,
            "canonical": canonical,
            "jsonld": organisation_jsonld(Record.from_prefetched(organisation)),
            "level_range": range(1, 6),
            "place": place,
            "website_label": website_label,
            "sources": source_links(organisation),
            "verification": verification(organisation),
            "neighbours": neighbours,
            "resources": resources.order_by("kind", "title"),
            "works_in": works_in(organisation.area_served),
        },
    )
