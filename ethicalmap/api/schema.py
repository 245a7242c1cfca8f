"""The OpenAPI schema: drf-spectacular's, plus what every public endpoint has in common.

Every operation documents the errors it can answer with (in the one error shape), the caching
headers of a success, and, where a view offers other formats than JSON (GeoJSON, CSV, a zip), the
schema of each. A view describes its other formats with `alternate_response_schemas`: a dict of
media type to a function `(auto_schema, direction) -> schema`.
"""

from django.db import DatabaseError
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.settings import api_settings

from ethicalmap.api.errors import ErrorSerializer
from ethicalmap.api.parameters import list_filters

ERRORS = {
    "400": "A parameter was not understood: `errors` says which, and why.",
    "404": "There is nothing at this address (an unknown slug, or a page past the last).",
    "406": "The format asked for (`format` or the Accept header) is not offered here.",
    "429": "Too many requests: wait the number of seconds in Retry-After.",
}

SUCCESS_HEADERS = {
    "ETag": "Identifies this representation; send it back in If-None-Match to get a 304.",
    "Last-Modified": "When the published data last changed; for If-Modified-Since.",
    "Cache-Control": "`public, max-age=300` for anonymous requests.",
}
LINK_HEADER = (
    "RFC 8288 links to the `next`, `prev`, `first` and `last` pages, where there are such pages."
)


def _header(description):
    return {"schema": {"type": "string"}, "description": description}


def filter_choices(filter_):
    """The values a filter takes, when they are a fixed list: its choices, or the rows of the
    small table it names (`choices_from_queryset`), read when the schema is made. A schema made
    without a database (`manage.py spectacular`, the deploy check) leaves those a plain string."""
    if getattr(filter_, "choices_from_queryset", False):
        field = filter_.extra.get("to_field_name") or "pk"
        try:
            return list(filter_.queryset.order_by(field).values_list(field, flat=True))
        except DatabaseError:
            return None
    choices = filter_.extra.get("choices")
    if choices and not callable(choices):
        return [str(value) for value, _ in choices]
    return None


class AutoSchema(SpectacularAutoSchema):
    def _get_format_parameters(self):
        # Every endpoint takes `format` (ethicalmap/api/parameters.py), even with one format.
        formats = self.map_renderers("format")
        description = "The format of the answer, instead of the Accept header: " + ", ".join(
            f"`{name}`" for name in formats
        )
        return [
            {
                "in": "query",
                "name": api_settings.URL_FORMAT_OVERRIDE,
                "required": False,
                "description": description + ".",
                "schema": {"type": "string", "enum": formats},
                "example": formats[0],
            }
        ]

    def _get_parameters(self):
        parameters = super()._get_parameters()
        # The enums of fixed choices come from the filters that check them, whoever wrote the
        # description: one source for what is accepted and what is documented.
        filters = list_filters(self.view)
        for parameter in parameters:
            filter_ = filters.get(parameter["name"]) if parameter["in"] == "query" else None
            choices = filter_choices(filter_) if filter_ is not None else None
            if choices is not None:
                schema = parameter["schema"]
                schema.get("items", schema)["enum"] = choices
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        success = responses.get("200")
        if success is not None:
            alternates = getattr(self.view, "alternate_response_schemas", {})
            for media_type, content in success.get("content", {}).items():
                if media_type in alternates:
                    content["schema"] = alternates[media_type](self, direction)
                    content.pop("examples", None)
            headers = {name: _header(text) for name, text in SUCCESS_HEADERS.items()}
            if self._is_list_view() and self._get_paginator():
                headers["Link"] = _header(LINK_HEADER)
            success.setdefault("headers", {}).update(headers)
        responses.setdefault(
            "304", {"description": "Not modified: the copy named in If-None-Match is current."}
        )
        error = self.resolve_serializer(ErrorSerializer, direction).ref
        for status, description in ERRORS.items():
            responses.setdefault(
                status,
                {"description": description, "content": {"application/json": {"schema": error}}},
            )
        responses["429"].setdefault("headers", {})["Retry-After"] = {
            "schema": {"type": "integer"},
            "description": "Seconds to wait before the next request.",
        }
        return responses
