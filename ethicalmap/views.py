from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import never_cache

from ethicalmap.api.errors import error_body
from ethicalmap.caching import cache_health
from ethicalmap.context_processors import SITE_NAME
from ethicalmap.dataversion import data_version
from ethicalmap.jsonld import jsonld_script
from ethicalmap.middleware import public_page
from orgs import kept
from orgs.facets import Taxonomy
from orgs.models import Organisation
from taxonomy.models import Term


def website_data():
    """The schema.org `WebSite`, with the directory's search as its `SearchAction`, so a search
    engine can offer to search the map from its results."""
    home = settings.SITE_URL + reverse("home")
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "@id": home,
        "name": SITE_NAME,
        "url": home,
        "inLanguage": "en-GB",
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": settings.SITE_URL + reverse("orgs:list") + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


@public_page
def home(request):
    published = Organisation.objects.published()
    whole = kept.home.get(data_version(request))  # the counts: made after the last write
    areas = Taxonomy().roots("consequences")
    for position, area in enumerate(areas, start=1):
        area.position = position
        area.organisation_count = whole["areas"].get(area.pk, 0)
    return render(
        request,
        "home.html",
        {
            "counts": whole["counts"],
            "areas": areas,
            "recent": published.newest()[:5],
            "verified": published.recently_verified()[:5],
            "principle_count": whole["principles"],
            "relationship_count": whole["relationships"],
            "jsonld": jsonld_script(website_data()),
        },
    )


@public_page
def criteria(request):
    areas = Term.objects.in_vocabulary("consequences").roots().select_related("vocabulary")
    return render(request, "pages/criteria.html", {"areas": areas.order_by("order", "name")})


@public_page
def about(request):
    return render(request, "pages/about.html")


@public_page
def privacy(request):
    return render(
        request,
        "pages/privacy.html",
        {"retention_days": settings.PERSONAL_DATA_RETENTION_DAYS},
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
    checks["cache"] = cache_health()
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


def page_not_found(request, exception):
    """Django's 404 page, but in the API's one error shape for any address under /api/: a client
    of the API reads JSON, whatever the address it got wrong."""
    if not request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    detail = "There is nothing at this address: the API is at /api/v1/, its guide at /api/."
    response = JsonResponse(error_body(404, "not_found", detail), status=404)
    response["Cache-Control"] = "no-store"
    return response
