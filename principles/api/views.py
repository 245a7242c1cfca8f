"""The public API of the principles app."""

from django.db.models import Prefetch
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)

from ethicalmap.api.base import PublicReadOnlyViewSet
from principles.api.serializers import PrincipleSerializer
from principles.models import LevelDescriptor, Practice, Principle
from taxonomy.models import Term


@extend_schema_view(
    list=extend_schema(
        summary="List principles",
        description="The community's product principles (drafts and adopted ones) with their "
        "practices, the maturity model for each, the consequences they mitigate and how many "
        "organisations endorse them.",
    ),
    retrieve=extend_schema(
        summary="One principle",
        parameters=[
            OpenApiParameter(
                "slug",
                str,
                OpenApiParameter.PATH,
                description="The principle's slug.",
                examples=[OpenApiExample("principle", value="protect-personal-data")],
            )
        ],
    ),
)
class PrincipleViewSet(PublicReadOnlyViewSet):
    """Product principles."""

    serializer_class = PrincipleSerializer
    pagination_class = None

    def get_queryset(self):
        return (
            Principle.objects.live()
            .with_counts()
            .prefetch_related(
                Prefetch("mitigates", queryset=Term.objects.ordered()),
                Prefetch("practices", queryset=Practice.objects.order_by("order", "pk")),
                Prefetch("levels", queryset=LevelDescriptor.objects.order_by("level")),
            )
            .order_by("order", "title")
        )
