"""Where organisations are: the projection of the UK map and the aggregates drawn on it.

The map is an SVG drawn on the server, so it needs no tile server, no script and no third-party
request. Longitude and latitude are projected with a plain equirectangular projection whose
longitudes are shrunk by cos(54°), the latitude through the middle of the UK, which keeps Britain's
shape recognisable without a projection library. The same projection drew the coastline
(tools/build_uk_outline.py), so points and land line up.

Organisations are aggregated by place (coordinates rounded to 0.1°, about 10 km) so the map stays
light however many there are; organisations with no coordinates are counted, never placed.
"""

import math

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Round

from orgs.maps.drawing import pick_labels, text_width

# The box the map shows: all of Britain and Ireland, with Shetland at the top.
WEST, EAST, SOUTH, NORTH = -10.9, 2.1, 49.75, 61.0
SCALE = 60  # SVG units per degree of latitude
LON_FACTOR = math.cos(math.radians(54))
WIDTH = round((EAST - WEST) * LON_FACTOR * SCALE)
HEIGHT = round((NORTH - SOUTH) * SCALE)
PLACE_PRECISION = 1  # decimal places of a degree: places are ~10 km cells
MAX_RADIUS = 24
MIN_RADIUS = 3.5
LABEL_SIZE = 12.5
MAX_LABELS = 10


def project(lon, lat):
    """SVG x, y of a longitude and latitude."""
    return ((lon - WEST) * LON_FACTOR * SCALE, (NORTH - lat) * SCALE)


def in_view(lon, lat):
    return WEST <= lon <= EAST and SOUTH <= lat <= NORTH


def radius(count, biggest):
    # Area, not radius, grows with the count, so big places do not swamp the map.
    return round(max(MIN_RADIUS, MAX_RADIUS * math.sqrt(count / biggest)), 1)


def size_key(circles):
    """Two or three example circles, bottom left of the map, saying what a size means."""
    if not circles:
        return []
    biggest = max(c["count"] for c in circles)
    counts = sorted({1, max(1, round(biggest / 4)), biggest})
    key, x = [], 24.0
    for count in counts:
        r = radius(count, biggest)
        x += r
        key.append({"count": count, "r": r, "x": round(x, 1), "y": round(HEIGHT - 24 - r, 1)})
        x += r + 30
    return key


def places(organisations):
    """Circles to draw: one per ~10 km place, with its count, a name and a radius.

    `organisations` is the filtered queryset; one aggregate query, however many there are.
    """
    rows = (
        organisations.order_by()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .annotate(lat=Round("latitude", PLACE_PRECISION), lon=Round("longitude", PLACE_PRECISION))
        .values("lat", "lon")
        .annotate(count=Count("pk", distinct=True), first_city=Min("city"), last_city=Max("city"))
        .order_by("-count", "lat", "lon")
    )
    rows = list(rows)
    biggest = max((row["count"] for row in rows), default=1)
    circles, outside = [], 0
    for row in rows:
        if not in_view(row["lon"], row["lat"]):
            outside += row["count"]
            continue
        x, y = project(row["lon"], row["lat"])
        name = row["first_city"] or "Unnamed place"
        if row["last_city"] and row["last_city"] != row["first_city"]:
            name = f"{row['first_city']} and nearby"
        circles.append(
            {
                "x": round(x, 1),
                "y": round(y, 1),
                "r": radius(row["count"], biggest),
                "count": row["count"],
                "name": name,
                "lat": row["lat"],
                "lon": row["lon"],
            }
        )
    # Draw the big circles first so small ones stay visible on top of them.
    circles.sort(key=lambda c: -c["r"])
    _label(circles)
    return circles, outside


def _label(circles):
    """Name the biggest places, right of their circle or else left of it.

    A label never overlaps another label or covers another place's circle.
    """
    candidates = []
    for c in circles:
        c["label"] = None
        text = f"{c['name']} {c['count']:,}"
        w, h = text_width(text, LABEL_SIZE), LABEL_SIZE
        gap = c["r"] + 3
        right = (c["x"] + gap, c["y"] - h / 2, c["x"] + gap + w, c["y"] + h / 2)
        left = (c["x"] - gap - w, c["y"] - h / 2, c["x"] - gap, c["y"] + h / 2)
        candidates.append((c, [right, left]))
    circles_boxes = [
        (c["x"] - c["r"], c["y"] - c["r"], c["x"] + c["r"], c["y"] + c["r"]) for c in circles
    ]
    for c, side in pick_labels(candidates, limit=MAX_LABELS, width=WIDTH, obstacles=circles_boxes):
        c["label"] = f"{c['name']} {c['count']:,}"
        c["label_x"] = round(c["x"] + (c["r"] + 3) * (1 if side == 0 else -1), 1)
        c["label_anchor"] = "start" if side == 0 else "end"


def region_counts(organisations):
    """Rows of region, total and placed: how many organisations, how many with coordinates."""
    return list(
        organisations.order_by()
        .values("region")
        .annotate(
            total=Count("pk", distinct=True),
            placed=Count("pk", distinct=True, filter=Q(latitude__isnull=False)),
        )
    )


def geography(organisations):
    """What the map of the UK shows of `organisations`: {circles, outside, regions}, the circles
    and places outside the map of `places` and the rows of `region_counts`."""
    circles, outside = places(organisations)
    return {"circles": circles, "outside": outside, "regions": region_counts(organisations)}
