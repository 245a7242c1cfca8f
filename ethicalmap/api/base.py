"""The behaviour every public, read-only API view shares.

- Anyone may read (`AllowAny`); everything else stays denied by the project's default.
- Conditional GET: an ETag and Last-Modified derived from the data version, and a 304 before any
  work is done when the client's copy is current.
- `Cache-Control: public` on anonymous answers, so a CDN or the browser can keep them.
- Errors always in JSON (even when CSV was asked for), in the one shape of `errors.py`.
- A query parameter the endpoint does not take is a 400 (`parameters.py`), never ignored.
- gzip for every answer except HTML: the browsable API's pages carry a CSRF token, and compressing
  a secret next to reflected input is what BREACH exploits.
"""

import hashlib
import zlib

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.decorators import decorator_from_middleware, method_decorator
from django.utils.http import http_date
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ethicalmap import kept as kept_values
from ethicalmap.api.errors import NotModified, PreconditionFailed
from ethicalmap.api.parameters import refuse_unknown_parameters
from ethicalmap.caching import cache_get, cache_set, versioned_key
from ethicalmap.dataversion import data_version

# Part of every ETag: bump it when a representation changes shape, so that clients holding a copy
# of the old shape fetch the new one even though the data did not change.
REPRESENTATION_VERSION = "1"
CACHE_MAX_AGE = 300
RESPONSE_CACHE_SECONDS = 60 * 10
UNCOMPRESSED_TYPES = ("text/html", "application/zip")


def _response_key(etag):
    # The ETag names the data version and the representation already: the key needs no more.
    return versioned_key("api-response", (etag.strip('"'),), version=None)


class _APIGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith(UNCOMPRESSED_TYPES):
            return response
        return super().process_response(request, response)


gzip_except_html = decorator_from_middleware(_APIGZipMiddleware)


class _FromCache(Exception):
    """Raised to answer with a copy of the same representation kept in the cache."""

    def __init__(self, content, content_type, link):
        self.content, self.content_type, self.link = content, content_type, link


class PublicAPIMixin:
    """Public read access with HTTP caching, for any DRF view or viewset."""

    permission_classes = [AllowAny]
    cache_max_age = CACHE_MAX_AGE
    # Rendered answers for whoever the anonymous cache does not serve (signed in, sending an
    # Authorization header or cookies) are kept under their ETag, which names the data version:
    # a copy is never stale, and a second request for the same representation costs one query.
    response_cache_seconds = RESPONSE_CACHE_SECONDS
    data_version = None

    @method_decorator(gzip_except_html)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def _keeps_answers(self, request):
        # Anonymous answers are kept by the anonymous cache in front of the stack
        # (ethicalmap/middleware.py); keeping them here too would be a second copy of each.
        in_front = getattr(request._request, "in_anonymous_cache", False)
        return bool(self.response_cache_seconds) and not in_front

    def _is_html(self, request):
        renderer = getattr(request, "accepted_renderer", None)
        return renderer is not None and renderer.media_type.startswith("text/html")

    def get_etag(self, request):
        parts = (
            REPRESENTATION_VERSION,
            self.data_version.token,
            request.get_host(),
            request.get_full_path(),
            request.accepted_media_type,
        )
        return '"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles, format
        refuse_unknown_parameters(self, request)
        if request.method not in ("GET", "HEAD"):
            return
        # Read once per request: the anonymous cache's middleware may have read it already.
        self.data_version = data_version(request._request)
        if self._is_html(request):
            return  # the browsable API's pages hold a CSRF token: never reused from a cache
        etag = self.get_etag(request)
        answer = get_conditional_response(
            request._request, etag=etag, last_modified=self.data_version.timestamp
        )
        if answer is not None:
            raise NotModified() if answer.status_code == 304 else PreconditionFailed()
        if self._keeps_answers(request):
            kept = cache_get(_response_key(etag))
            if kept is not None:
                content, content_type, link = kept
                raise _FromCache(zlib.decompress(content), content_type, link)

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            return HttpResponseNotModified()
        if isinstance(exc, _FromCache):
            response = HttpResponse(exc.content, content_type=exc.content_type)
            if exc.link:
                response["Link"] = exc.link
            return response
        return super().handle_exception(exc)

    def _keep(self, response, etag):
        def keep(rendered):
            content = zlib.compress(rendered.content)  # a tenth of the memory
            kept = (content, rendered["Content-Type"], rendered.get("Link"))
            cache_set(_response_key(etag), kept, self.response_cache_seconds)

        response.add_post_render_callback(keep)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        failed = isinstance(response, Response) and response.exception
        if failed and not self._is_html(request):
            # Whatever format was asked for, an error is JSON: a CSV of an error helps no one.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        patch_vary_headers(response, ["Accept"])
        fresh = response.status_code in (200, 304) and self.data_version is not None
        if fresh and kept_values.served_older():
            # Counts of the data before, while those of this version are built: for this
            # request only, and without an ETag that would name them as this version's.
            response["Cache-Control"] = "no-store"
        elif fresh and not self._is_html(request):
            response["ETag"] = self.get_etag(request)
            renders = isinstance(response, Response) and response.status_code == 200
            if renders and request.method == "GET" and self._keeps_answers(request):
                self._keep(response, response["ETag"])
            if self.data_version.timestamp:
                response["Last-Modified"] = http_date(self.data_version.timestamp)
            if request.user.is_authenticated:
                response["Cache-Control"] = f"private, max-age={self.cache_max_age}"
            else:
                response["Cache-Control"] = f"public, max-age={self.cache_max_age}"
        elif fresh:
            response["Cache-Control"] = "private, no-cache"
        else:
            response["Cache-Control"] = "no-store"
        return response


class PublicReadOnlyViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    """A public list and detail of one kind of thing, looked up by slug."""

    lookup_field = "slug"
    # Anything up to the next slash reaches the view, so an unknown slug gets the JSON 404.
    lookup_value_regex = r"[^/]+"

    def get_object(self):
        # As DRF's, without filter_queryset: a detail takes no filters (ethicalmap/api/
        # parameters.py refuses them), and building the list's FilterSet was most of the time
        # of one organisation.
        queryset = self.get_queryset()
        slug = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        try:
            found = get_object_or_404(queryset, **{self.lookup_field: slug})
        except Http404:
            raise self.not_found(slug) from None
        self.check_object_permissions(self.request, found)
        return found

    def not_found(self, slug):
        """The 404 of a slug that names nothing published."""
        name = self.get_queryset().model._meta.verbose_name
        return NotFound(f"There is no {name} with the slug {slug!r}.")
