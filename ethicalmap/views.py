from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from orgs.models import Organisation
from principles.models import Principle
from taxonomy.models import Term


def home(request):
    counts = Organisation.objects.aggregate(
        organisations=Count("pk", filter=Q(status="published")),
        regions=Count("region", filter=Q(status="published") & ~Q(region=""), distinct=True),
    )
    areas = (
        Term.objects.in_vocabulary("consequences")
        .filter(parent__isnull=True)
        .with_counts()
        .order_by("order", "name")
    )
    recent = Organisation.objects.published().order_by("-created", "name")[:6]
    return render(
        request,
        "home.html",
        {
            "counts": counts,
            "areas": areas,
            "recent": recent,
            "principle_count": Principle.objects.public().count(),
        },
    )


@never_cache
def healthz(request):
    """200 when the database and the cache answer, 503 (with what failed) otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {type(error).__name__}"
    try:
        cache.set("healthz", "ok", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: no round trip"
    except Exception as error:  # noqa: BLE001
        checks["cache"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
