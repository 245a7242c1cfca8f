import logging

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponseBadRequest, JsonResponse
from django.template.response import TemplateResponse

from ethicalmap.api.errors import error_body

logger = logging.getLogger("ethicalmap")


class DatabaseUnavailableMiddleware:
    """Answer 503 with a plain apology, not 500, while the database cannot be reached.

    The request's transaction (if any) was rolled back, so nothing was half-saved; the broken
    connection is dropped so the next request opens a fresh one once the database is back.
    """

    RETRY_AFTER_SECONDS = 10

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable: %s", type(exception).__name__)
        connection.close_if_unusable_or_obsolete()
        # The page needs no database: it does not extend the site layout.
        response = TemplateResponse(request, "503.html", status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


class RejectNullCharactersMiddleware:
    """A 400 for a NUL character in the address: no page needs one, and PostgreSQL refuses them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            message = "Null characters are not allowed in addresses."
            if request.path.startswith("/api/"):
                # The API's one error shape (ethicalmap/api/errors.py).
                return JsonResponse(error_body(400, "invalid", message), status=400)
            return HttpResponseBadRequest(message, content_type="text/plain")
        return self.get_response(request)
