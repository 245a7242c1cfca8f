"""The project's middleware (their order is in settings.MIDDLEWARE): anonymous answers from the
cache, NUL characters kept away from the views, and a 503 while the database is away.

Anonymous answers come from the cache before the rest of the stack runs. Most requests are
anonymous reads of the same few pages and API answers, and those change only when the data do.
`AnonymousCacheMiddleware` keeps each public answer under the data version, the address and the
headers it varies on (a key from `ethicalmap.caching`); a repeat request costs one primary-key
lookup and one cache read, with no session, authentication, throttling, view or template work. A
write bumps the version, so an answer is never served after the data it shows changed; entries
also expire after `FAST_CACHE_SECONDS`, which bounds how long time-dependent text (such as a
profile's "not verified for a year" note) can lag.

Why not Django's cache middleware: its key cannot name the data version, it keeps answers for
whatever `Cookie` a request sends, and it answers from the end of the stack, after all the work
this avoids. This one reuses Django's conditional-GET helper for ETags and 304s.

What is kept, and for whom, errs on the side of not keeping:
- only GET and HEAD with no `Authorization` and no cookie but `csrftoken` (no session: nobody
  signed in, no pending messages);
- only answers the view marked `Cache-Control: public` (the API for anonymous clients, and pages
  wrapped in `public_page`), with status 200, not streamed, setting no cookie, and not carrying a
  CSRF token (a page that used one is never kept: its token belongs to one visitor);
- only answers that vary on nothing but Accept, Accept-Encoding, Cookie (which the conditions
  above make uniform) and Origin (CORS is added outside this middleware, per request).

Rate limits count the requests that do work; a cached answer does none.
"""

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseNotFound, JsonResponse, QueryDict
from django.template.response import TemplateResponse
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import parse_http_date_safe

from ethicalmap import kept as kept_values
from ethicalmap.api.errors import error_body
from ethicalmap.caching import cache_get, cache_set, versioned_key
from ethicalmap.dataversion import data_version

logger = logging.getLogger("ethicalmap")
ALLOWED_COOKIES = {settings.CSRF_COOKIE_NAME}
ALLOWED_VARY = {"accept", "accept-encoding", "cookie", "origin"}
# Per request or added outside this middleware, so never kept.
UNKEPT_HEADERS = {"date", "set-cookie", "x-request-id"}
PAGE_CACHE_CONTROL = "public, no-cache"


def public_page(view):
    """Mark a page as the same for every anonymous visitor: it may be kept and shared.

    Browsers and proxies may store it but must revalidate (a cheap 304 with its ETag).
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if kept_values.served_older():  # counts older than the data, while they are built
            response["Cache-Control"] = "no-store"
        elif response.status_code == 200 and not response.has_header("Cache-Control"):
            response["Cache-Control"] = PAGE_CACHE_CONTROL
        return response

    return wrapped


def _eligible(request):
    return (
        request.method in ("GET", "HEAD")
        and "HTTP_AUTHORIZATION" not in request.META
        and set(request.COOKIES) <= ALLOWED_COOKIES
    )


def _key(version, request):
    # The query string exactly as sent: the same answer under two spellings is kept twice, which
    # costs memory, never correctness.
    gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    parts = (
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        request.META.get("HTTP_ACCEPT", ""),
        "gzip" if gzip else "",
    )
    return versioned_key("anonymous", parts, version=version)


def _keepable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {d.strip().lower() for d in response.get("Cache-Control", "").split(",")}
    if "public" not in directives or directives & {"private", "no-store"}:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a visitor's CSRF token
        return False
    vary = {v.lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
    return vary <= ALLOWED_VARY


class AnonymousCacheMiddleware:
    """Serve and keep anonymous public answers by data version (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = getattr(settings, "FAST_CACHE_SECONDS", 600)
        self._memo = None  # (version, when it was read): one tuple, replaced whole

    def __call__(self, request):
        with kept_values.request_scope():
            return self._serve(request)

    def _serve(self, request):
        if not self.seconds or not _eligible(request):
            return self.get_response(request)
        try:
            version = self._version()
        except (OperationalError, InterfaceError):
            return self.get_response(request)  # the views answer 503 in the usual way
        request.data_version = version  # one read per request, shared with the API's ETags
        key = _key(version, request)
        kept = cache_get(key)  # None too when the cache is down: the answer is built as usual
        if kept is not None:
            return self._answer(request, *kept)
        request.in_anonymous_cache = True  # the API keeps no second copy (ethicalmap/api/base.py)
        response = self.get_response(request)
        if _keepable(request, response):
            self._keep(key, response)
        return response

    def _version(self):
        """The data version, read at most once per `DATA_VERSION_MAX_AGE_MS` per process.

        Reading it is a database round trip (two, with the connection's health check): most of
        what a kept answer costs. So each process reuses what it read for a moment; a write is
        seen by anonymous visitors that much later at most, where a CDN obeying the API's
        `max-age` may wait minutes. Signed-in people, and every write, always read it afresh.
        """
        max_age = settings.DATA_VERSION_MAX_AGE_MS / 1000
        now = time.monotonic()
        memo = self._memo
        if memo is not None and now - memo[1] < max_age:
            return memo[0]
        version = data_version()
        self._memo = (version, now)
        return version

    def _keep(self, key, response):
        def keep(rendered):
            if not rendered.has_header("ETag"):
                digest = hashlib.sha256(rendered.content).hexdigest()[:32]
                rendered["ETag"] = f'"{digest}"'
            headers = [
                (name, value)
                for name, value in rendered.items()
                if name.lower() not in UNKEPT_HEADERS
            ]
            cache_set(key, (rendered.content, headers), self.seconds)

        if hasattr(response, "render") and not response.is_rendered:
            response.add_post_render_callback(keep)
        else:
            keep(response)

    def _answer(self, request, content, headers):
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        conditional = get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified")),
        )
        if conditional is not None:  # 304, with the validators and caching headers
            for name in ("ETag", "Last-Modified", "Cache-Control", "Vary"):
                if response.has_header(name):
                    conditional[name] = response[name]
            return conditional
        if request.method == "HEAD":
            response.content = b""
            response["Content-Length"] = str(len(content))
        return response


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
