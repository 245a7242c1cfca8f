"""What the API shows of a resource."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ethicalmap.api.fields import APIURLField, PageURLField, page_url
from resources.models import Resource
from taxonomy.models import Term


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["slug", "name"]
        read_only_fields = fields


class PublisherSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Who publishes it, as they say.")
    organisation = serializers.CharField(
        allow_null=True, help_text="The slug of the publisher's entry on the map, if it has one."
    )
    organisation_url = serializers.URLField(allow_null=True, help_text="That entry's page.")


class CaseStudySerializer(serializers.Serializer):
    organisation = serializers.CharField(
        allow_null=True, help_text="The slug of the organisation on the map it is about."
    )
    maturity_level = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=5, help_text="The maturity level it evidences."
    )
    what_changed = serializers.CharField(help_text="What changed, in plain words.")


def _entry(organisation):
    return (organisation.slug, page_url(organisation)) if organisation else (None, None)


class ResourceSerializer(serializers.ModelSerializer):
    """A resource. Expects the publisher and case organisation joined, areas and principles
    prefetched (`Resource.objects.for_listing()`)."""

    link = serializers.URLField(source="url", help_text="The resource itself, on its own site.")
    kind_name = serializers.CharField(source="get_kind_display")
    publisher = serializers.SerializerMethodField()
    areas = AreaSerializer(many=True, help_text="The areas of concern it helps with.")
    principles = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="The principles it helps with."
    )
    licence = serializers.CharField(help_text="As the publisher states it; empty if not stated.")
    case_study = serializers.SerializerMethodField()
    url = PageURLField()
    api_url = APIURLField("api:resource-detail")

    class Meta:
        model = Resource
        fields = [
            "slug",
            "title",
            "link",
            "kind",
            "kind_name",
            "summary",
            "publisher",
            "areas",
            "principles",
            "licence",
            "free",
            "year",
            "language",
            "case_study",
            "url",
            "api_url",
            "created",
            "updated",
        ]
        read_only_fields = fields

    @extend_schema_field(PublisherSerializer)
    def get_publisher(self, resource):
        slug, url = _entry(resource.publisher_on_map)
        return {"name": resource.publisher_name, "organisation": slug, "organisation_url": url}

    @extend_schema_field(CaseStudySerializer(allow_null=True))
    def get_case_study(self, resource):
        if not resource.is_case_study:
            return None
        slug, _ = _entry(resource.case_organisation_on_map)
        return {
            "organisation": slug,
            "maturity_level": resource.maturity_level,
            "what_changed": resource.what_changed,
        }
