"""The public directory: the list with facets and search, and each organisation's profile."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ethicalmap.responsecache import public_page
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
from orgs.jsonld import organisation_jsonld
from orgs.models import VERIFICATION_LIFETIME, Organisation, Relationship
from orgs.records import Record
from principles.models import Assessment, Endorsement, MaturityLevel

PAGE_SIZE = 24


@public_page
def organisation_list(request):
    filterset, organisations = filter_organisations(request)
    taxonomy = Taxonomy()
    paginator = Paginator(organisations.with_terms(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    cleaned = getattr(filterset.form, "cleaned_data", {})
    sort = cleaned.get("sort") or "relevance"
    searching = bool(cleaned.get("q"))
    return render(
        request,
        "orgs/list.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "facets": directory_facets(organisations, taxonomy, selected_values(request.GET)),
            "chips": active_filters(request.GET, taxonomy),
            "notes": filter_notes(filterset),
            "filtered": has_active_filters(filterset),
            "query": request.GET.get("q", "")[:200],
            "sort": sort,
            "sort_choices": [
                (value, label)
                for value, label in SORT_CHOICES
                if value != "relevance" or searching or sort == "relevance"
            ],
            "searching": searching,
        },
    )


@public_page
def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.published().with_terms(), slug=slug)
    relationships = (
        Relationship.objects.public()
        .filter(Q(source=organisation) | Q(target=organisation))
        .order_by("kind", "source__name", "target__name")
    )
    outgoing = [r for r in relationships if r.source_id == organisation.pk]
    incoming = [r for r in relationships if r.target_id == organisation.pk]
    levels = {level.level: level for level in MaturityLevel.objects.all()}
    assessments = list(
        Assessment.objects.public()
        .filter(organisation=organisation)
        .select_related("principle")
        .order_by("principle__order", "principle__title")
    )
    for assessment in assessments:
        assessment.level_info = levels.get(assessment.level)
    endorsements = list(
        Endorsement.objects.public()
        .filter(organisation=organisation)
        .select_related("principle")
        .order_by("principle__order", "principle__title")
    )
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
        },
    )
