from django.shortcuts import get_object_or_404, render

from principles.models import Principle


def principle_list(request):
    principles = Principle.objects.public().prefetch_related("mitigates")
    return render(request, "principles/list.html", {"principles": principles})


def principle_detail(request, slug):
    principle = get_object_or_404(
        Principle.objects.public().prefetch_related("practices", "levels", "mitigates__vocabulary"),
        slug=slug,
    )
    return render(request, "principles/detail.html", {"principle": principle})
