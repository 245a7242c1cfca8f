"""The public API of the orgs app: organisations, relationships, statistics and the export."""

from django.conf import settings
from django.http import FileResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, renderers, viewsets
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from ethicalmap.api.base import PublicAPIMixin, PublicReadOnlyViewSet
from ethicalmap.api.throttling import ExportThrottle
from orgs import kept, records, search
from orgs.api.filters import (
    OrganisationAPIFilter,
    OrganisationStatsFilter,
    RelationshipFilter,
)
from orgs.api.pagination import PageOrCursorPagination, pagination_mode
from orgs.api.renderers import CSVFileRenderer, CSVRenderer, GeoJSONRenderer, ZipRenderer
from orgs.api.serializers import (
    OrganisationCSVSerializer,
    OrganisationSerializer,
    RelationshipCSVSerializer,
    RelationshipSerializer,
    StatsSerializer,
)
from orgs.export.files import ZIP_NAME, ExportBusy, export_filename, open_export_file
from orgs.export.tables import TABLES, table_named
from orgs.insights import stats
from orgs.models import Organisation, Relationship

JSON_RENDERERS = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer]


def _query(name, description, example=None, *, type=str, many=False):
    return OpenApiParameter(
        name,
        type=type,
        location=OpenApiParameter.QUERY,
        description=description,
        many=many,
        examples=[OpenApiExample(name, value=example)] if example is not None else [],
    )


NEAR_REGION = _query(
    "near_region",
    "Nearest this region first: those based there, then those working there (`area_served`), "
    "then those working across the UK, then the others; each group in the chosen `ordering`. "
    "Orders the list, never narrows it (use `region` to narrow).",
    "wales",
)
ORGANISATION_FILTERS = [
    _query(
        "term",
        "Slug of a term the organisation works on. Repeat it to require every one "
        "(`term=a&term=b`); a broader term includes its narrower terms.",
        "data-privacy",
        many=True,
    ),
    _query(
        "vocabulary",
        "Only organisations with at least one term of this vocabulary.",
        "activities",
    ),
    _query(
        "theme",
        "Slug of a term of the `themes` vocabulary (repeatable).",
        "sustainability",
        many=True,
    ),
    _query(
        "activity",
        "Slug of a term of the `activities` vocabulary (repeatable).",
        "research",
        many=True,
    ),
    _query(
        "sector", "Slug of a term of the `sectors` vocabulary (repeatable).", "education", many=True
    ),
    _query(
        "offers",
        "Slug of a kind of help (`help` vocabulary) the organisation offers (repeatable).",
        "help-training",
        many=True,
    ),
    _query(
        "looking_for",
        "Slug of a kind of help the organisation looks for (repeatable).",
        "help-volunteers",
        many=True,
    ),
    _query(
        "type",
        "Type of organisation; repeat for any of several.",
        "charity",
        many=True,
    ),
    _query(
        "region",
        "Region; repeat for any of several.",
        "scotland",
        many=True,
    ),
    _query("tag", "A tag's slug.", "open-source"),
    OpenApiParameter(
        "updated_since",
        {"anyOf": [{"type": "string", "format": f} for f in ("date-time", "date")]},
        OpenApiParameter.QUERY,
        description="Only organisations changed at or after this moment: an ISO 8601 timestamp "
        "(`2025-01-31T09:30:00Z`, `2025-01-31T09:30:00+01:00`; encode `+` as `%2B`) or a date "
        "(`2025-01-31`: from its first moment). A date, or a timestamp without an offset, is "
        f"read in the site's time zone, {settings.TIME_ZONE}. To sync, send the time your last "
        "sync started.",
        examples=[
            OpenApiExample("timestamp", value="2025-01-31T09:30:00Z"),
            OpenApiExample("date", value="2025-01-31"),
        ],
    ),
    _query(
        "verified_since",
        "Only organisations a moderator verified on or after this date (YYYY-MM-DD).",
        "2025-01-31",
        type=OpenApiTypes.DATE,
    ),
    _query(
        "has_location",
        "`true` for organisations with coordinates, `false` for those without.",
        "true",
    ),
    _query(
        "bbox",
        "Only organisations inside this box: `minlon,minlat,maxlon,maxlat` (WGS 84).",
        "-3.5,55.8,-3.0,56.0",
    ),
    _query(
        "search",
        "Words to search for in names, summaries, descriptions and tags, as on the "
        "directory's search; results come best match first unless `ordering` says otherwise.",
        "privacy",
    ),
]
ORDERING = _query(
    "ordering",
    "Sort order: `relevance` (best match first when searching, else by name), or a field "
    "(`-` first for descending).",
    "-updated",
)


def _feature_collection_schema(auto_schema, direction):
    organisation = auto_schema.resolve_serializer(OrganisationSerializer, direction).ref
    point = {
        "type": "object",
        "nullable": True,
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"type": "string", "enum": ["Point"]},
            "coordinates": {
                "type": "array",
                "items": {"type": "number"},
                "minItems": 2,
                "maxItems": 2,
                "description": "[longitude, latitude]",
            },
        },
    }
    feature = {
        "type": "object",
        "required": ["type", "id", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "string", "description": "The organisation's slug."},
            "geometry": point,
            "properties": organisation,
        },
    }
    if auto_schema._is_list_view():
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["type", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "count": {"type": "integer"},
                "next": link,
                "previous": link,
                "features": {"type": "array", "items": feature},
            },
        }
    return feature


def _csv_schema(auto_schema, direction):
    return {"type": "string", "description": "UTF-8 CSV with a header row."}


class KeepingFilterBackend(DjangoFilterBackend):
    """django-filter's backend, which leaves the filter set it used on the view."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


class CSVMixin:
    """Answer CSV with the columns of `csv_serializer_class` (the export's)."""

    csv_serializer_class = None

    def wants_csv(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == "csv"

    def get_serializer_class(self):
        if self.wants_csv():
            return self.csv_serializer_class
        return super().get_serializer_class()

    def csv_header(self):
        return self.csv_serializer_class.header()


@extend_schema_view(
    list=extend_schema(
        summary="List organisations",
        description="Published organisations, filtered, searched and sorted; paginated by page "
        "number or by cursor. As JSON, GeoJSON (a FeatureCollection; organisations without "
        "coordinates have a null geometry) or CSV (one row per organisation, multi-valued cells "
        "joined with `;`).",
        parameters=[
            *ORGANISATION_FILTERS,
            NEAR_REGION,
            ORDERING,
        ],
    ),
    retrieve=extend_schema(
        summary="One organisation",
        description="A published organisation, by its slug.",
        parameters=[
            OpenApiParameter(
                "slug",
                str,
                OpenApiParameter.PATH,
                description="The organisation's slug, as in its page address.",
                examples=[OpenApiExample("slug", value="open-rights-group")],
            ),
        ],
    ),
)
class OrganisationViewSet(CSVMixin, PublicReadOnlyViewSet):
    """Organisations on the map."""

    serializer_class = OrganisationSerializer
    csv_serializer_class = OrganisationCSVSerializer
    filterset_class = OrganisationAPIFilter
    filter_backends = [KeepingFilterBackend]
    filterset = None
    pagination_class = PageOrCursorPagination
    renderer_classes = [*JSON_RENDERERS, GeoJSONRenderer, CSVRenderer]
    alternate_response_schemas = {
        "application/geo+json": _feature_collection_schema,
        "text/csv": _csv_schema,
    }

    def get_queryset(self):
        # Rows, not instances: orgs.records builds the documents and the CSV rows from them.
        return Organisation.objects.published().order_by("name", "pk").values(*records.COLUMNS)

    def retrieve(self, request, *args, **kwargs):
        # One query on PostgreSQL for the row and every related part (orgs/records.py), where
        # finding the row and then its parts took two and the ORM's compiling of the first.
        if self.wants_csv():
            return super().retrieve(request, *args, **kwargs)
        slug = kwargs[self.lookup_field]
        record = records.fetch_published(slug)
        if record is None:
            raise self.not_found(slug)
        return Response(records.documents([record], request)[0])

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        keys = self._ranked_keys(queryset)
        if keys is None:
            page = self.paginate_queryset(queryset)
        else:  # numbered pages of a search by relevance: the page's keys, then their rows
            page = self._rows(self.paginate_queryset(keys))
        if page is None:  # no pagination: DRF's own path
            return Response(self.get_serializer(queryset, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _ranked_keys(self, queryset):
        """A search's ranked keys, when the page shows them in that order: the count and the
        page are then read from them, and only the page's rows from the database (at 100,000,
        the count and the page of "community" each read 1,001 rows by key before)."""
        keys = getattr(self.filterset, "ranked_keys", None)
        paged = pagination_mode(self.request.query_params) == "page"
        return keys if paged and search.ordered_by_rank(queryset) else None

    def _rows(self, keys):
        found = {row["pk"]: row for row in self.get_queryset().filter(pk__in=keys)}
        return [found[key] for key in keys if key in found]

    def known_count(self):
        """(how many, whether more match) when known without counting: a search's best matches,
        ranked once; or how many are published, counted after the last write, when no filter
        narrows the list. The paginator then counts nothing (orgs/api/pagination.py)."""
        keys = getattr(self.filterset, "ranked_keys", None)
        if keys is not None:
            return len(keys), self.filterset.more_matches
        if _filtered(self):
            return None
        count = kept.organisation_count.peek(self.data_version)
        return None if count is None else (count, False)


def _filtered(view):
    """Whether the request gives any of the view's filters."""
    params = view.request.query_params
    return any(params.getlist(name) for name in view.filterset_class.base_filters)


@extend_schema_view(
    list=extend_schema(
        summary="List links between organisations",
        description="Directed links between published organisations: `source` <kind> "
        "`target`. As JSON or CSV.",
        parameters=[
            _query(
                "organisation", "An organisation's slug: links to or from it.", "open-rights-group"
            ),
            _query("source", "Slug of the organisation the link starts from.", "techuk"),
            _query(
                "target", "Slug of the organisation the link points to.", "ada-lovelace-institute"
            ),
            _query(
                "kind",
                "Kind of link; repeat for any of several.",
                "partner",
                many=True,
            ),
        ],
    ),
)
class RelationshipViewSet(CSVMixin, PublicAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Links between organisations."""

    serializer_class = RelationshipSerializer
    csv_serializer_class = RelationshipCSVSerializer
    filterset_class = RelationshipFilter
    pagination_class = PageOrCursorPagination
    renderer_classes = [*JSON_RENDERERS, CSVRenderer]
    alternate_response_schemas = {"text/csv": _csv_schema}

    def get_queryset(self):
        return Relationship.objects.public().order_by("source__name", "kind", "target__name", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="Statistics",
        description="How many organisations there are by term, theme, type, region, size and "
        "year founded; the coverage of areas of concern by activity and by type; how many were "
        "added and verified each quarter; approved self-assessments by principle and level; "
        "how many were verified in the last 12 months; and the gaps: terms few organisations "
        "work on. The charts of /insights/ draw these numbers. Takes the same filters as the "
        "organisations, to see the field in one region or of one type.",
        parameters=ORGANISATION_FILTERS,
        responses=StatsSerializer,
    )
)
class StatsViewSet(PublicAPIMixin, viewsets.GenericViewSet):
    """Counts that show the shape of the field, and its gaps."""

    filterset_class = OrganisationStatsFilter
    renderer_classes = JSON_RENDERERS
    serializer_class = StatsSerializer
    pagination_class = None

    def get_queryset(self):
        return Organisation.objects.published()

    def list(self, request, *args, **kwargs):
        if not _filtered(self):  # the whole field: built after the last write
            return Response(kept.insights.get(self.data_version))
        return Response(stats.summary(self.filter_queryset(self.get_queryset())))


class ExportBeingPrepared(APIException):
    status_code = 503
    default_detail = "The export is being prepared for the latest data: try again in a moment."
    default_code = "export_being_prepared"
    wait = 30  # becomes Retry-After


class _ExportMixin(PublicAPIMixin):
    """The export's files: kept an hour by clients, under a tighter limit per client."""

    cache_max_age = 60 * 60

    def get_throttles(self):
        return [*super().get_throttles(), ExportThrottle()]


def _download(view, name, filename, content_type):
    """One file of the export, streamed from disk in blocks (sendfile where the server has it)."""
    try:
        version, file = open_export_file(name, view.data_version)
    except ExportBusy:
        raise ExportBeingPrepared() from None
    if version.token != view.data_version.token:
        # The export of the newest data is being built: this one is older, and says so in its
        # ETag and name, and is not to be kept, so the next request gets the newer one.
        view.data_version, view.cache_max_age = version, 0
    return FileResponse(
        file, as_attachment=True, filename=filename(version), content_type=content_type
    )


@extend_schema_view(
    list=extend_schema(
        summary="Full export",
        description="The whole published dataset as a Frictionless data package: one zip with "
        "`datapackage.json` (a table schema for every file, the licence, CC BY 4.0, and the "
        "date) and CSV files for organisations, terms, relationships, principles, practices, "
        "endorsements and assessments. Rebuilt when the data change.",
        responses={(200, "application/zip"): OpenApiTypes.BINARY},
    )
)
class ExportViewSet(_ExportMixin, viewsets.ViewSet):
    """Everything published, in one open-data package."""

    renderer_classes = [ZipRenderer]

    def list(self, request, *args, **kwargs):
        return _download(self, ZIP_NAME, export_filename, "application/zip")


@extend_schema(
    summary="One table of the export",
    description="One CSV file of the full export, alone: every row of the table, with the "
    "columns `datapackage.json` describes. The same file as in the zip.",
    parameters=[
        OpenApiParameter(
            "table",
            str,
            OpenApiParameter.PATH,
            enum=[table.name for table in TABLES],
            description="Which table.",
            examples=[OpenApiExample("table", value="organisations")],
        )
    ],
    responses={(200, "text/csv"): OpenApiTypes.BINARY},
    tags=["export"],
)
class ExportTableView(_ExportMixin, APIView):
    """One table of the open-data package, as CSV."""

    renderer_classes = [CSVFileRenderer]

    def get(self, request, table):
        chosen = table_named(table)
        if chosen is None:
            names = ", ".join(t.name for t in TABLES)
            raise NotFound(f"There is no table {table!r}: choose one of {names}.")

        def filename(version):
            return export_filename(version, chosen)

        return _download(self, chosen.path, filename, "text/csv; charset=utf-8")
