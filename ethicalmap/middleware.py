import logging

from django.db import InterfaceError, OperationalError, connection
from django.template.response import TemplateResponse

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
