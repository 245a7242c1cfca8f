"""The OpenAPI schema: drf-spectacular's, plus what every public endpoint has in common.

Every operation documents the errors it can answer with (in the one error shape), the caching
headers of a success, and, where a view offers other formats than JSON (GeoJSON, CSV, a zip), the
schema of each. A view describes its other formats with `alternate_response_schemas`: a dict of
media type to a function `(auto_schema, direction) -> schema`.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from ethicalmap.api.errors import ErrorSerializer

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


class AutoSchema(SpectacularAutoSchema):
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
