"""The shared library: the list with facets and search, a resource's page, other maps."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from ethicalmap.jsonld import jsonld_script
from ethicalmap.middleware import public_page
from principles.models import Principle
from resources.facets import resource_facets
from resources.filters import filter_resources
from resources.jsonld import resource_data
from resources.models import Resource

PAGE_SIZE = 24


@public_page
def resource_list(request):
    filterset, resources = filter_resources(request.GET, Resource.objects.published())
    principles = list(Principle.objects.live().order_by("order", "title").only("slug", "title"))
    paginator = Paginator(resources.for_listing().order_by("title", "pk"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.get("q", "")[:200]
    facets = resource_facets(resources, principles, request.GET)
    return render(
        request,
        "resources/list.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "facets": facets,
            "filtered": any(facet["selected"] for facet in facets) or bool(query.strip()),
            "query": query,
        },
    )


@public_page
def resource_detail(request, slug):
    resource = get_object_or_404(
        Resource.objects.published().for_listing().select_related("case_organisation"), slug=slug
    )
    return render(
        request,
        "resources/detail.html",
        {"resource": resource, "jsonld": jsonld_script(resource_data(resource))},
    )


@public_page
def other_maps(request):
    maps = Resource.objects.published().filter(kind=Resource.Kind.MAP).for_listing()
    return render(request, "resources/maps.html", {"maps": maps})
