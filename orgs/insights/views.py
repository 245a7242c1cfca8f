"""The insights page (charts of the field, their CSVs) and the embeddable slice of the map."""

from csp.decorators import csp_replace
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt

from ethicalmap import spreadsheets
from ethicalmap.caching import versioned_get_or_set
from ethicalmap.dataversion import data_version
from ethicalmap.middleware import public_page
from orgs import kept
from orgs.facets import Taxonomy, active_filters, map_filter_fields, selected_values
from orgs.filters import OrganisationFilter, filter_notes
from orgs.insights import stats
from orgs.insights.charts import CHART_NAMES, build_charts
from orgs.models import Organisation

# The insights filter by region and type only: the gaps are about the whole field there.
INSIGHT_FILTERS = ("region", "type")
EMBED_FILTERS = ("term", "region", "type", "tag")
EMBED_SIZE = 50
# The counts are kept under the data version, so a kept copy is never stale: at 100,000
# organisations they take seconds to count and milliseconds to read back.
SUMMARY_CACHE_SECONDS = 24 * 60 * 60


def _only(querydict, names):
    query = QueryDict(mutable=True)
    for name in names:
        values = [v for v in querydict.getlist(name) if v.strip()]
        if values:
            query.setlist(name, values)
    return query


def _charts(request):
    query = _only(request.GET, INSIGHT_FILTERS)
    filterset = OrganisationFilter(query, queryset=Organisation.objects.published())
    organisations = filterset.qs  # validates the form, so cleaned_data exists after it
    cleaned = getattr(filterset.form, "cleaned_data", {})
    filters = "&".join(f"{name}={value}" for name in INSIGHT_FILTERS
                       for value in sorted(cleaned.get(name) or ()))  # fmt: skip
    if filters:
        # Freshness counts back from today: the counts are kept for the day they were made.
        summary = versioned_get_or_set(
            "insights",
            (timezone.localdate(), filters),
            lambda: stats.summary(organisations),
            SUMMARY_CACHE_SECONDS,
            version=data_version(request),
        )
    else:  # the whole field: built after the last write
        summary = kept.insights.get(data_version(request))
    charts = build_charts(
        summary, regions=cleaned.get("region") or (), types=cleaned.get("type") or ()
    )
    return query, filterset, summary, charts


def _csv_response(chart):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chart.csv_name}"'
    writer = spreadsheets.writer(response)
    writer.writerow(chart.headers)
    writer.writerows(chart.rows)
    return response


@public_page
def insights(request):
    if request.GET.get("format") == "csv":
        return insights_csv(request, request.GET.get("chart", ""))
    query, filterset, summary, charts = _charts(request)
    taxonomy = Taxonomy()
    fields = map_filter_fields(taxonomy, selected_values(query))
    return render(
        request,
        "orgs/insights/insights.html",
        {
            "charts": charts,
            "summary": summary,
            "filter_fields": [f for f in fields if f["param"] in INSIGHT_FILTERS],
            "chips": active_filters(query, taxonomy),
            "notes": filter_notes(filterset),
            "query_string": query.urlencode(),
            "gap_threshold": stats.GAP_THRESHOLD,
        },
    )


@public_page
def insights_csv(request, chart):
    if chart not in CHART_NAMES:
        raise Http404("No such chart.")
    *_, charts = _charts(request)
    return _csv_response(next(c for c in charts if c.name == chart))


@public_page
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request):
    """A compact list of the filtered organisations that other sites may frame."""
    query = _only(request.GET, EMBED_FILTERS)
    filterset = OrganisationFilter(query, queryset=Organisation.objects.published())
    organisations = filterset.qs
    total = organisations.count()
    shown = list(
        organisations.only("slug", "name", "summary", "city", "region", "org_type")[:EMBED_SIZE]
    )
    chips = active_filters(query, Taxonomy(), known_only=True)
    known = QueryDict(mutable=True)
    for chip in chips:
        known.appendlist(chip["param"], chip["code"])
    directory = reverse("orgs:list") + (f"?{known.urlencode()}" if known else "")
    return render(
        request,
        "orgs/insights/embed.html",
        {
            "organisations": shown,
            "total": total,
            "more": total - len(shown),
            "directory_url": directory,
            # Only the project's words: a framed page never repeats what a link put in it.
            "notes": ["Some filters were not recognised and were left out."]
            if filterset.invalid_fields
            else [],
            "chips": chips,
            "today": timezone.localdate(),
        },
    )
