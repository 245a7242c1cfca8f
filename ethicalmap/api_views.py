"""The API's pages for people: the guide at /api/ and the interactive docs at /api/docs/."""

import json

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.views import SpectacularSwaggerSplitView

from ethicalmap.middleware import public_page
from orgs.api.serializers import OrganisationSerializer
from orgs.models import Organisation


@public_page
def api_guide(request):
    """How to use the API, with a real answer and a snippet that pulls the map into a page."""
    api_base = settings.SITE_URL + reverse("api:api-root")
    sample = Organisation.objects.published().order_by("name", "pk").first()
    sample_json = None
    if sample is not None:
        data = OrganisationSerializer(sample, context={"request": request}).data
        sample_json = json.dumps(data, indent=2, ensure_ascii=False)
    region = (sample.region if sample and sample.region else "") or "london"
    return render(
        request,
        "api/guide.html",
        {
            "api_base": api_base,
            "sample": sample,
            "sample_json": sample_json,
            "example_region": region,
            "TIME_ZONE": settings.TIME_ZONE,
        },
    )


class APIDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files, its set-up script served as a file (strict CSP)."""

    template_name = "api/swagger_ui.html"
    title = "Ethical Tech Map API: interactive documentation"
