"""The public API of the taxonomy app: vocabularies and terms."""

from django.db.models import Prefetch
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)

from ethicalmap.api.base import PublicReadOnlyViewSet
from taxonomy.api.filters import TermFilter
from taxonomy.api.serializers import TermSerializer, VocabularySerializer
from taxonomy.kept import direct_counts
from taxonomy.models import Term, Vocabulary


def _slug(what, example):
    return OpenApiParameter(
        "slug",
        str,
        OpenApiParameter.PATH,
        description=f"The {what}'s slug.",
        examples=[OpenApiExample(example, value=example)],
    )


@extend_schema_view(
    list=extend_schema(
        summary="List vocabularies",
        description="Every vocabulary (consequences, themes, activities, sectors, kinds of "
        "help) with its terms.",
    ),
    retrieve=extend_schema(summary="One vocabulary", parameters=[_slug("vocabulary", "themes")]),
)
class VocabularyViewSet(PublicReadOnlyViewSet):
    """The controlled lists that organisations and principles are classified by."""

    serializer_class = VocabularySerializer
    pagination_class = None

    def get_queryset(self):
        return Vocabulary.objects.with_terms().order_by("order", "name")


@extend_schema_view(
    list=extend_schema(
        summary="List terms",
        description="Every term with its definition, its broader and narrower terms and how "
        "many organisations it classifies.",
        parameters=[
            OpenApiParameter(
                "vocabulary",
                str,
                description="Only the terms of the vocabulary with this slug.",
                examples=[OpenApiExample("consequences", value="consequences")],
            ),
            OpenApiParameter(
                "parent",
                str,
                description="Only the narrower terms of the term with this slug.",
                examples=[OpenApiExample("data-privacy", value="data-privacy")],
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="One term",
        parameters=[_slug("term", "data-privacy")],
    ),
)
class TermViewSet(PublicReadOnlyViewSet):
    """The shared definitions."""

    serializer_class = TermSerializer
    filterset_class = TermFilter
    pagination_class = None

    def get_queryset(self):
        return Term.objects.ordered().prefetch_related(
            Prefetch("children", queryset=Term.objects.order_by("order", "name", "pk"))
        )

    def get_serializer_context(self):
        # Counted after the last write (ethicalmap/kept.py), not per request.
        counts = direct_counts.get(self.data_version) if self.data_version else {}
        return {**super().get_serializer_context(), "organisation_counts": counts}
