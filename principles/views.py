"""The product principles, one principle's page, and the maturity model."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from ethicalmap.middleware import public_page
from principles.models import LevelDescriptor, MaturityLevel, Principle


@public_page
def principle_list(request):
    principles = (
        Principle.objects.live()
        .with_counts()
        .prefetch_related("mitigates__vocabulary")
        .order_by("order", "title")
    )
    return render(
        request,
        "principles/list.html",
        {"principles": principles, "levels": MaturityLevel.objects.all()},
    )


@public_page
def principle_detail(request, slug):
    principle = get_object_or_404(
        Principle.objects.live().prefetch_related("practices", "mitigates__vocabulary"),
        slug=slug,
    )
    names = {level.level: level for level in MaturityLevel.objects.all()}
    descriptors = {d.level: d.description for d in principle.levels.all()}
    assessed = principle.assessments.public().level_counts()
    levels = [
        {
            "level": n,
            "name": names[n].name if n in names else "",
            "text": descriptors.get(n, ""),
            "assessed": assessed.get(n, 0),
        }
        for n in range(1, 6)
    ]
    previous, following = Principle.objects.live().neighbours(principle)
    return render(
        request,
        "principles/detail.html",
        {
            "principle": principle,
            "levels": levels,
            "assessed_total": sum(assessed.values()),
            "endorsements": principle.endorsements.public().by_organisation_name(),
            # Through the reverse relation: principles import nothing of the resources app.
            "resources": principle.resources.published().order_by("kind", "title"),
            "previous": previous,
            "next": following,
        },
    )


@public_page
def maturity(request):
    principles = Principle.objects.live().prefetch_related(
        Prefetch("levels", queryset=LevelDescriptor.objects.order_by("level"))
    )
    return render(
        request,
        "principles/maturity.html",
        {"levels": MaturityLevel.objects.all(), "principles": principles.order_by("order")},
    )
