import logging

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponseNotFound, JsonResponse, QueryDict
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
    """Keep NUL characters away from the views: no address needs one, and PostgreSQL refuses them.

    The API answers 400 in its error shape; a page drops them from the query string and shows as
    usual (a path with one is simply not found).
    """

    MESSAGE = "Null characters are not allowed in addresses."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" not in request.path and "%00" not in query:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            # The API's one error shape (ethicalmap/api/errors.py).
            return JsonResponse(error_body(400, "invalid", self.MESSAGE), status=400)
        if "\x00" in request.path:
            return HttpResponseNotFound(self.MESSAGE, content_type="text/plain")
        request.META["QUERY_STRING"] = query.replace("%00", "")
        request.GET = QueryDict(request.META["QUERY_STRING"])
        return self.get_response(request)
