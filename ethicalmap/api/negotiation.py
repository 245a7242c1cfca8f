from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, but an unknown `?format=` is a 406 that lists the formats on offer.

    (DRF answers an unknown format with a bare 404, which reads as "no such resource".)
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        requested = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if requested:
            offered = [r.format for r in renderers if r.format != "api"]
            if requested not in {r.format for r in renderers}:
                raise NotAcceptable(
                    f"Unknown format {requested!r}: this endpoint offers "
                    + ", ".join(offered)
                    + "."
                )
        return super().select_renderer(request, renderers, format_suffix)
