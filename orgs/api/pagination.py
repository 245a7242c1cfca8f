"""Page numbers for browsing, cursors for syncing, on the same endpoints.

- `?page=2&page_size=100`: numbered pages with a `count` (page_size up to 500).
- `?pagination=cursor`: opaque cursors in creation order, stable while the data change under a
  long sync (nothing skipped, nothing repeated); follow `next` until it is null. No `count`.

Both give `next` and `previous` in the body and in an RFC 8288 `Link` header. Page numbers count
the list up to 10,000 (ethicalmap/paging.py; `count_is_exact` is False when more match), and the
count is kept in the cache under the data version, so paging through a large result counts it
once, not once per page. A search lists its best 1,000 matches, as the directory does: its count
stops there, `count_is_exact` is False when more match, and there is no page after them.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from ethicalmap.caching import cache_get, cache_set, versioned_key
from ethicalmap.paging import COUNT_BOUND, BoundedPaginator
from orgs.search import BEST_MATCHES as SEARCH_COUNT_BOUND

MODES = ("page", "cursor")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
COUNT_CACHE_SECONDS = 60 * 60


def _page_size(request):
    raw = request.query_params.get("page_size")
    if raw is None or raw == "":
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [f"Give a whole number from 1 to {MAX_PAGE_SIZE}."]})
    return size


class CachedCountPaginator(BoundedPaginator):
    """A bounded paginator (ethicalmap/paging.py) that keeps its count in the cache, under the
    data version and the list's SQL, when it has a version."""

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version

    def count_up_to(self, limit):
        try:
            sql = str(self.object_list.query) if self.version is not None else None
        except Exception:  # noqa: BLE001 - a query that cannot be shown is simply not cached
            sql = None
        if sql is None:
            return super().count_up_to(limit)
        key = versioned_key("api-count", (sql, limit), version=self.version)
        count = cache_get(key)
        if count is None:
            count = super().count_up_to(limit)
            cache_set(key, count, COUNT_CACHE_SECONDS)
        return count


class _Pages(pagination.PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE

    def get_page_size(self, request):
        return _page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = CachedCountPaginator(
            queryset,
            self.get_page_size(request),
            version=getattr(view, "data_version", None),
        )
        known = getattr(view, "known_count", lambda: None)()  # counted elsewhere already
        if known is not None:
            count, more = known
            paginator.known_count(count, more=more)
        raw = request.query_params.get(self.page_query_param) or "1"
        try:
            self.page = paginator.page(paginator.validate_number(raw))
        except PageNotAnInteger:
            raise ValidationError(
                {"page": ["Give a page number: a whole number from 1."]}
            ) from None
        except EmptyPage:
            if raw.lstrip("-").isdigit() and int(raw) < 1:
                raise ValidationError({"page": ["Page numbers start at 1."]}) from None
            raise NotFound(
                f"There is no page {raw}: the last page is {paginator.num_pages}."
            ) from None
        self.display_page_controls = paginator.num_pages > 1
        return list(self.page)

    def links(self):
        links = {"next": self.get_next_link(), "prev": self.get_previous_link()}
        if self.page.paginator.num_pages > 1:
            url = self.request.build_absolute_uri()
            links["first"] = pagination.remove_query_param(url, self.page_query_param)
            links["last"] = pagination.replace_query_param(
                url, self.page_query_param, self.page.paginator.num_pages
            )
        return links

    def body(self, data):
        return {
            "count": self.page.paginator.count,
            "count_is_exact": self.page.paginator.count_is_exact,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        }


class _Cursors(pagination.CursorPagination):
    ordering = ("pk",)
    page_size = DEFAULT_PAGE_SIZE
    invalid_cursor_message = "The cursor is not valid: start again from the first page."

    def get_page_size(self, request):
        return _page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        self.key_field = queryset.model._meta.pk  # the field of `ordering`
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """The cursor, checked through: a cursor is only base64, so one that decodes may still
        hold a position that is no id, which the database would refuse."""
        try:
            cursor = super().decode_cursor(request)
            if cursor is not None and cursor.position is not None:
                self.key_field.to_python(cursor.position)
        except (NotFound, DjangoValidationError):
            raise ValidationError({"cursor": [self.invalid_cursor_message]}) from None
        return cursor

    def links(self):
        return {"next": self.get_next_link(), "prev": self.get_previous_link()}

    def body(self, data):
        return {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}


def pagination_mode(params):
    """ "page" or "cursor", as the query's parameters ask (anything else is refused)."""
    return params.get("pagination") or ("cursor" if "cursor" in params else "page")


class PageOrCursorPagination(pagination.BasePagination):
    """Page numbers unless `pagination=cursor` (or a `cursor`) is given."""

    # Chosen for each request in `paginate_queryset`; None where nothing was paginated (a
    # detail, an error), which the browsable API asks about too.
    style = None

    def paginate_queryset(self, queryset, request, view=None):
        mode = pagination_mode(request.query_params)
        if mode not in MODES:
            raise ValidationError({"pagination": ["Choose " + " or ".join(MODES) + "."]})
        if mode == "cursor" and request.query_params.get("ordering"):
            raise ValidationError(
                {"ordering": ["Cursor pagination is always in the order entries were added."]}
            )
        self.style = _Cursors() if mode == "cursor" else _Pages()
        return self.style.paginate_queryset(queryset, request, view)

    @property
    def display_page_controls(self):
        return self.style is not None and self.style.display_page_controls

    def to_html(self):
        return self.style.to_html() if self.style is not None else ""

    def get_results(self, data):
        return data["results"]

    def get_paginated_response(self, data):
        links = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in self.style.links().items() if url)
        headers = {"Link": links} if links else None
        return Response(self.style.body(data), headers=headers)

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "How many match, in all (page-number pagination only); "
                    f"counted up to {COUNT_BOUND:,} (or to the page asked for, when further). "
                    f"A `search` lists its best {SEARCH_COUNT_BOUND:,} matches and is counted "
                    "up to them.",
                    "example": 123,
                },
                "count_is_exact": {
                    "type": "boolean",
                    "description": "False when more match than `count` says (page-number "
                    "pagination only): follow `next`, or use `pagination=cursor` to go "
                    "through them all. Of a `search`: more match than its best, which are "
                    "all it lists.",
                    "example": True,
                },
                "next": {**link, "description": "The next page, or null on the last."},
                "previous": {**link, "description": "The previous page, or null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        def integer(name, description, example, **bounds):
            return {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": "integer", **bounds},
                "example": example,
            }

        return [
            integer("page", "A page number, from 1 (page-number pagination).", 1, minimum=1),
            integer(
                "page_size",
                f"How many results per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
                100,
                minimum=1,
                maximum=MAX_PAGE_SIZE,
            ),
            {
                "name": "pagination",
                "required": False,
                "in": "query",
                "description": "`cursor` for cursor pagination: stable for syncing a large "
                "set, in the order entries were added; follow `next` until it is null.",
                "schema": {"type": "string", "enum": list(MODES), "default": MODES[0]},
                "example": "cursor",
            },
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Where to continue, from a `next` or `previous` link "
                "(cursor pagination). Opaque: use the links as given.",
                "schema": {"type": "string"},
                "example": "cD0xMA==",
            },
        ]
