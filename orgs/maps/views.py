"""The three maps: the landscape of areas, where organisations are, and how they are linked.

All three take the directory's filters (OrganisationFilter), so a filter means the same on every
view, and all three are drawn on the server: they work without JavaScript.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from ethicalmap.caching import versioned_get_or_set
from ethicalmap.dataversion import data_version
from ethicalmap.middleware import public_page
from orgs import kept
from orgs.facets import Taxonomy, active_filters, map_filter_fields, selected_values
from orgs.filters import filter_notes, filter_organisations
from orgs.maps import geo
from orgs.maps.landscape import build_landscape
from orgs.maps.network import MAX_NODES, build_graph
from orgs.maps.network import WIDTH as NETWORK_WIDTH
from orgs.models import REGION_ONS_CODES, Region

# Regions in the order of the ONS ITL1 codes, then the ones that are not places on the map.
REGION_ORDER = [value for value, _ in Region.choices]


def _clean_query(request, *drop):
    """The request's query without the named parameters and without blank values."""
    query = request.GET.copy()
    for name in list(query):
        values = [v for v in query.getlist(name) if v.strip()]
        if name in drop or not values:
            del query[name]
        else:
            query.setlist(name, values)
    return query


def _map_context(request, filterset, taxonomy, *, keep=()):
    """What the filter form, the chips and the view tabs of every map need."""
    query = _clean_query(request, "page")
    fields = map_filter_fields(taxonomy, selected_values(request.GET))
    in_form = {field["param"] for field in fields} | {"page", "sort"}
    # Filters the short form has no field for (a search, a tag...) carry on through it.
    hidden = [
        (name, value) for name in query if name not in in_form for value in query.getlist(name)
    ]
    carried = query.copy()  # the query the view tabs carry on
    for name in list(carried):
        if name not in keep:
            del carried[name]
    return {
        "filter_fields": fields,
        "hidden": hidden,
        "keep": carried.urlencode(),
        "chips": active_filters(request.GET, taxonomy),
        "notes": filter_notes(filterset),
        "query_string": query.urlencode(),
    }


def _directory_url(request, **extra):
    """The directory with the request's filters and these extra values (added, not replaced)."""
    query = _clean_query(request, "page", "sort", "links")
    for name, value in extra.items():
        if value and value not in query.getlist(name):
            query.appendlist(name, value)
    return reverse("orgs:list") + "?" + query.urlencode()


def _landscape(request, filterset, taxonomy):
    return kept.whole_or_filtered(
        request, filterset, kept.landscape, lambda found: build_landscape(found, taxonomy)
    )


@public_page
def landscape(request):
    filterset, _ = filter_organisations(request)
    taxonomy = Taxonomy()
    result = _landscape(request, filterset, taxonomy)
    for area in result.areas:
        for cell in area.cells:
            cell.more_url = _directory_url(
                request,
                term=area.term.slug,
                activity=cell.activity.slug if cell.activity else None,
            )
    return render(
        request,
        "orgs/maps/landscape.html",
        {
            **_map_context(request, filterset, taxonomy),
            "landscape": result,
        },
    )


@public_page
def geographic(request):
    filterset, _ = filter_organisations(request)
    taxonomy = Taxonomy()
    shown = kept.whole_or_filtered(request, filterset, kept.geography, geo.geography)
    circles, outside = shown["circles"], shown["outside"]
    rows = {row["region"]: row for row in shown["regions"]}
    regions = []
    for value in REGION_ORDER:
        row = rows.pop(value, None)
        # Every UK region gets a row, empty or not: an empty region is a gap worth seeing.
        if row or value in REGION_ONS_CODES:
            regions.append(
                {
                    "value": value,
                    "name": Region(value).label,
                    "total": row["total"] if row else 0,
                    "placed": row["placed"] if row else 0,
                }
            )
    unknown = rows.pop("", None)
    largest = max((r["total"] for r in regions), default=0) or 1
    for region in regions:
        region["bar"] = round(100 * region["total"] / largest)
    total = sum(r["total"] for r in regions) + (unknown["total"] if unknown else 0)
    placed = sum(r["placed"] for r in regions) + (unknown["placed"] if unknown else 0)
    return render(
        request,
        "orgs/maps/geo.html",
        {
            **_map_context(request, filterset, taxonomy),
            "circles": circles,
            "size_key": geo.size_key(circles),
            "outside": outside,
            "regions": regions,
            "region_unknown": unknown,
            "total": total,
            "placed": placed,
            "unplaced": total - placed,
            "width": geo.WIDTH,
            "height": geo.HEIGHT,
            "biggest": circles[0] if circles else None,
        },
    )


@public_page
def network(request):
    filterset, _ = filter_organisations(request)
    taxonomy = Taxonomy()
    with_terms = request.GET.get("links") == "terms"
    query = _clean_query(request, "links", "page")
    graph = kept.whole_or_filtered(
        request,
        filterset,
        kept.network_with_terms if with_terms else kept.network,
        lambda found: build_graph(found, taxonomy, with_terms=with_terms),
    )
    return render(
        request,
        "orgs/maps/network.html",
        {
            **_map_context(request, filterset, taxonomy, keep=["links"]),
            "graph": graph,
            "with_terms": with_terms,
            "max_nodes": MAX_NODES,
            "width": NETWORK_WIDTH,
            "height": graph.height,
            "base_query": query.urlencode(),
        },
    )


# Colours of the areas, as in static/css/site.css; the standalone image cannot use the stylesheet.
AREA_COLOURS = [
    "#a15c07", "#15803d", "#1d4ed8", "#7c3aed", "#be123c", "#c2410c", "#0e7490", "#a21caf",
    "#4d7c0f",
]  # fmt: skip
IMAGE_CACHE_SECONDS = 24 * 60 * 60
IMAGE_COLUMNS, IMAGE_BOX_W, IMAGE_BOX_H, IMAGE_NAMES = 3, 390, 200, 6


def _short(text, length=46):
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@public_page
def landscape_image(request):
    """The landscape for the chosen filters as one standalone SVG, for slides and reports.

    Kept under the data version and the filters: drawing it at 100,000 organisations takes
    seconds, and a kept copy is never stale.
    """
    query = _clean_query(request).urlencode()
    # The date is on the image: a copy is kept for the day it was drawn.
    image = versioned_get_or_set(
        "landscape-svg",
        (timezone.localdate(), query),
        lambda: _draw_landscape_image(request).content,
        IMAGE_CACHE_SECONDS,
        version=data_version(request),
    )
    response = HttpResponse(image, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ethical-tech-map-landscape.svg"'
    return response


def _draw_landscape_image(request):
    filterset, _ = filter_organisations(request)
    taxonomy = Taxonomy()
    result = _landscape(request, filterset, taxonomy)
    boxes = []
    for index, area in enumerate(result.areas):
        names = sorted(
            {org.pk: org for cell in area.cells for org in cell.organisations}.values(),
            key=lambda org: (org.name.casefold(), org.pk),
        )[:IMAGE_NAMES]
        column, row = index % IMAGE_COLUMNS, index // IMAGE_COLUMNS
        x, y = 20 + column * (IMAGE_BOX_W + 15), 110 + row * (IMAGE_BOX_H + 15)
        boxes.append(
            {
                "x": x,
                "y": y,
                "name": _short(area.term.name, 44),
                # A long name in a smaller size, so it stays inside its box.
                "name_size": 17 if len(area.term.name) <= 32 else 15,
                "count": area.count,
                "colour": AREA_COLOURS[index % len(AREA_COLOURS)],
                "names": [
                    {"text": _short(org.name), "y": y + 68 + i * 18} for i, org in enumerate(names)
                ],
                "more": max(0, area.count - len(names)),
                "more_y": y + 68 + len(names) * 18,
            }
        )
    rows = -(-len(boxes) // IMAGE_COLUMNS) if boxes else 0
    height = 110 + rows * (IMAGE_BOX_H + 15) + 40
    chips = active_filters(request.GET, taxonomy, known_only=True)
    return render(
        request,
        "orgs/maps/landscape.svg",
        {
            "boxes": boxes,
            "landscape": result,
            "filters": "; ".join(f"{chip['label']}: {chip['value']}" for chip in chips),
            "width": 20 + IMAGE_COLUMNS * (IMAGE_BOX_W + 15) + 5,
            "height": height,
            "box_w": IMAGE_BOX_W,
            "box_h": IMAGE_BOX_H,
            "foot_y": height - 16,
            "today": timezone.localdate(),
        },
    )
