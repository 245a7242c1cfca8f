"""The product principles, one principle's page, and the maturity model."""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from ethicalmap.middleware import public_page
from principles.models import Assessment, Endorsement, LevelDescriptor, MaturityLevel, Principle


@public_page
def principle_list(request):
    principles = (
        Principle.objects.public()
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
        Principle.objects.public().prefetch_related("practices", "mitigates__vocabulary"),
        slug=slug,
    )
    names = {level.level: level for level in MaturityLevel.objects.all()}
    descriptors = {d.level: d.description for d in principle.levels.all()}
    levels = [
        {"level": n, "name": names[n].name if n in names else "", "text": descriptors.get(n, "")}
        for n in range(1, 6)
    ]
    assessed = dict(
        Assessment.objects.public()
        .filter(principle=principle)
        .values_list("level")
        .annotate(n=Count("pk"))
    )
    assessed_total = sum(assessed.values())
    for level in levels:
        level["assessed"] = assessed.get(level["level"], 0)
    endorsements = (
        Endorsement.objects.public()
        .filter(principle=principle)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    siblings = list(Principle.objects.public().order_by("order", "title").only("slug", "title"))
    index = next(i for i, p in enumerate(siblings) if p.pk == principle.pk)
    return render(
        request,
        "principles/detail.html",
        {
            "principle": principle,
            "levels": levels,
            "assessed_total": assessed_total,
            "endorsements": endorsements,
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        },
    )


@public_page
def maturity(request):
    principles = Principle.objects.public().prefetch_related(
        Prefetch("levels", queryset=LevelDescriptor.objects.order_by("level"))
    )
    return render(
        request,
        "principles/maturity.html",
        {"levels": MaturityLevel.objects.all(), "principles": principles.order_by("order")},
    )
