"""The public API of the shared library."""

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)

from ethicalmap.api.base import PublicReadOnlyViewSet
from resources.api.serializers import ResourceSerializer
from resources.filters import COST_CHOICES, NOT_STATED, ResourceFilter
from resources.models import Resource


def _query(name, description, example, enum=None):
    return OpenApiParameter(
        name,
        str,
        OpenApiParameter.QUERY,
        description=description,
        enum=enum,
        examples=[OpenApiExample(name, value=example)],
    )


RESOURCE_FILTERS = [
    _query("q", "Words the title, summary or publisher must all contain.", "consequence"),
    _query("kind", "Kind of resource.", "toolkit", enum=Resource.Kind.values),
    _query(
        "area",
        "Slug of an area of concern (a consequences term); narrower areas are included.",
        "data-privacy",
    ),
    _query("principle", "Slug of a principle it helps put into practice.", "find-and-fix-bias"),
    _query("cost", "Free or paid.", "free", enum=[value for value, _ in COST_CHOICES]),
    _query(
        "licence",
        f"The licence as stated, such as `CC BY 4.0`, or `{NOT_STATED}` when none is stated.",
        "OGL v3.0",
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="List resources",
        description="The shared library, in title order: guides, toolkits, case studies, "
        "research, courses, standards and other maps and networks, each with the areas of "
        "concern and principles it helps with. The same filters as /resources/; the whole "
        "library in one answer (it is curated by moderators, so it stays small).",
        parameters=RESOURCE_FILTERS,
    ),
    retrieve=extend_schema(
        summary="One resource",
        parameters=[
            OpenApiParameter(
                "slug",
                str,
                OpenApiParameter.PATH,
                description="The resource's slug.",
                examples=[OpenApiExample("resource", value="wcag-2-2")],
            )
        ],
    ),
)
class ResourceViewSet(PublicReadOnlyViewSet):
    """Shared resources, case studies and other maps."""

    serializer_class = ResourceSerializer
    filterset_class = ResourceFilter
    pagination_class = None

    def get_queryset(self):
        return (
            Resource.objects.published()
            .for_listing()
            .select_related("case_organisation")
            .order_by("title", "pk")
        )
