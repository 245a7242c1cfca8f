from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from orgs.models import Organisation, Relationship


def organisation_list(request):
    paginator = Paginator(Organisation.objects.for_directory(), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "orgs/list.html", {"page": page})


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.published().with_terms(), slug=slug)
    relationships = Relationship.objects.public().filter(source=organisation) | (
        Relationship.objects.public().filter(target=organisation)
    )
    return render(
        request,
        "orgs/detail.html",
        {"organisation": organisation, "relationships": relationships},
    )
