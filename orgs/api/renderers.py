"""GeoJSON and CSV, the two formats besides JSON that other sites and analysts ask for.

Errors never reach these renderers: the API answers errors in JSON whatever was asked for.
"""

import io

from rest_framework import renderers
from rest_framework.renderers import BaseRenderer, JSONRenderer

from ethicalmap import spreadsheets


def _items(data):
    """(items, pagination members) of a list or paginated answer; ([data], {}) of a single one."""
    if isinstance(data, dict) and "results" in data:
        return data["results"], {k: v for k, v in data.items() if k != "results"}
    if isinstance(data, list):
        return data, {}
    return [data], {}


def feature(item):
    """An organisation's JSON as a GeoJSON Feature: the same properties, a Point in [lon, lat]."""
    has_point = item.get("longitude") is not None and item.get("latitude") is not None
    return {
        "type": "Feature",
        "id": item["slug"],
        "geometry": (
            {"type": "Point", "coordinates": [item["longitude"], item["latitude"]]}
            if has_point
            else None
        ),
        "properties": item,
    }


class GeoJSONRenderer(JSONRenderer):
    """RFC 7946 GeoJSON: a FeatureCollection for a list (with the pagination as foreign members),
    a Feature for one organisation. Organisations without coordinates have a null geometry."""

    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and "slug" in data:
            document = feature(data)
        else:
            items, members = _items(data)
            document = {
                "type": "FeatureCollection",
                **members,
                "features": [feature(item) for item in items],
            }
        return super().render(document, accepted_media_type, renderer_context)


class CSVRenderer(BaseRenderer):
    """UTF-8 CSV with a header row: one row per item, the columns of the view's CSV serializer.

    The view names its columns with `csv_header()`, so an empty list still has its header.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        view = (renderer_context or {}).get("view")
        items, _ = _items(data)
        header = view.csv_header() if view is not None else list(items[0] if items else [])
        out = io.StringIO()
        writer = spreadsheets.DictWriter(out, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(items)
        return out.getvalue().encode(self.charset)


class _FileRenderer(renderers.BaseRenderer):
    """For negotiation only: the answer is a file, streamed as it is."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class ZipRenderer(_FileRenderer):
    media_type = "application/zip"
    format = "zip"


class CSVFileRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"
