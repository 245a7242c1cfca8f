"""What the API shows of organisations and the links between them.

Every field is listed by name: a field added to a model stays private until it is added here.
`contact_email`, `source_urls` and the submissions are never among them.
"""

import functools

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ethicalmap.api.fields import APIURLField, OptionalURLField, PageURLField, page_url
from ethicalmap.markdown import render_markdown
from orgs.api.documents import organisation_documents
from orgs.export.tables import ORGANISATION_COLUMNS, RELATIONSHIP_COLUMNS, attach_slug_lists
from orgs.models import REGION_ONS_CODES, Organisation, OrgType, Region, Relationship, SizeBand
from taxonomy.models import Term


class TermRefSerializer(serializers.ModelSerializer):
    """A term, as other resources refer to it."""

    vocabulary = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Term
        fields = ["slug", "name", "vocabulary"]


class TagSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class OrganisationRefSerializer(serializers.ModelSerializer):
    """An organisation, as other resources refer to it."""

    url = PageURLField()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "url"]


class LinkSerializer(serializers.Serializer):
    """A link from the organisation's point of view."""

    kind = serializers.ChoiceField(choices=Relationship.Kind.choices)
    kind_name = serializers.CharField(help_text="The kind in words, read source to target.")
    direction = serializers.ChoiceField(
        choices=["outgoing", "incoming"],
        help_text="`outgoing`: this organisation <kind> the other; `incoming`: the other <kind> "
        "this organisation.",
    )
    organisation = OrganisationRefSerializer(help_text="The organisation at the other end.")
    note = serializers.CharField()


class PrincipleRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()


class AssessmentSerializer(serializers.Serializer):
    """An approved self-assessment against a principle."""

    principle = PrincipleRefSerializer()
    level = serializers.IntegerField(min_value=1, max_value=5, help_text="Maturity, 1 to 5.")
    evidence = serializers.CharField()
    evidence_url = OptionalURLField()
    assessed_on = serializers.DateField()


class EndorsementSerializer(serializers.Serializer):
    """A published commitment to a principle."""

    principle = PrincipleRefSerializer()
    statement = serializers.CharField()
    created = serializers.DateTimeField()


class CodeField(serializers.ChoiceField):
    """A choice shown as its code, or null when not given."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


@functools.lru_cache(maxsize=4096)
def _description_html(text):
    """Rendering Markdown is most of the cost of serialising an organisation (about 1 ms each,
    50 to a page): the HTML depends only on the text, so each process remembers the last few
    thousand. A few MB at most; an edited description is a new text, so never a stale copy."""
    return render_markdown(text)


def _label(choices, value):
    return dict(choices.choices).get(value) if value else None


class OrganisationListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        request = self.context.get("request")
        return organisation_documents(data, request, describe=_description_html)


class OrganisationSerializer(serializers.ModelSerializer):
    """An organisation on the map: the fields declare the representation (and the schema);
    `orgs.api.documents` builds it from rows (`values(*COLUMNS)`) or instances, in bulk."""

    url = PageURLField()
    api_url = APIURLField("api:organisation-detail")
    description_html = serializers.SerializerMethodField(
        help_text="The description rendered to sanitised HTML."
    )
    org_type = CodeField(OrgType.choices, help_text="Type of organisation.")
    org_type_name = serializers.SerializerMethodField()
    size = CodeField(SizeBand.choices, help_text="Size band.")
    size_name = serializers.SerializerMethodField()
    region = CodeField(Region.choices, help_text="UK ITL1 region, UK-wide or international.")
    website = OptionalURLField()
    contact_url = OptionalURLField(help_text="A public page to get in touch.")
    region_name = serializers.SerializerMethodField()
    region_ons_code = serializers.SerializerMethodField(help_text="ONS (GSS) code of the region.")
    org_id = serializers.CharField(help_text="The primary org-id (org-id.guide), or empty.")
    identifiers = serializers.ListField(child=serializers.CharField(), help_text="Every org-id.")
    terms = TermRefSerializer(many=True, help_text="What it works on.")
    offers = TermRefSerializer(many=True, help_text="Help it offers others.")
    looking_for = TermRefSerializer(many=True, help_text="Help it is looking for.")
    tags = serializers.SerializerMethodField()
    relationships = serializers.SerializerMethodField(
        help_text="Links to and from other published organisations."
    )
    assessments = AssessmentSerializer(
        many=True, source="public_assessments", help_text="Approved self-assessments."
    )
    endorsements = EndorsementSerializer(
        many=True, source="public_endorsements", help_text="Principles it has committed to."
    )

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "url",
            "api_url",
            "summary",
            "description",
            "description_html",
            "website",
            "contact_url",
            "org_type",
            "org_type_name",
            "size",
            "size_name",
            "founded",
            "city",
            "region",
            "region_name",
            "region_ons_code",
            "country",
            "latitude",
            "longitude",
            "org_id",
            "identifiers",
            "charity_number",
            "company_number",
            "terms",
            "offers",
            "looking_for",
            "tags",
            "relationships",
            "assessments",
            "endorsements",
            "last_verified",
            "created",
            "updated",
        ]
        read_only_fields = fields
        list_serializer_class = OrganisationListSerializer

    def to_representation(self, instance):
        request = self.context.get("request")
        return organisation_documents([instance], request, describe=_description_html)[0]

    def get_description_html(self, obj) -> str:
        return _description_html(obj.description)

    def get_org_type_name(self, obj) -> str | None:
        return _label(OrgType, obj.org_type)

    def get_size_name(self, obj) -> str | None:
        return _label(SizeBand, obj.size)

    def get_region_name(self, obj) -> str | None:
        return _label(Region, obj.region)

    def get_region_ons_code(self, obj) -> str | None:
        return REGION_ONS_CODES.get(obj.region)

    @extend_schema_field(TagSerializer(many=True))
    def get_tags(self, obj):
        tags = sorted(obj.tags.all(), key=lambda tag: tag.name.lower())
        return [{"slug": tag.slug, "name": tag.name} for tag in tags]

    @extend_schema_field(LinkSerializer(many=True))
    def get_relationships(self, obj):
        links = [(link, "outgoing", link.target) for link in obj.public_outgoing] + [
            (link, "incoming", link.source) for link in obj.public_incoming
        ]
        return [
            {
                "kind": link.kind,
                "kind_name": link.get_kind_display(),
                "direction": direction,
                "organisation": {
                    "slug": other.slug,
                    "name": other.name,
                    "url": page_url(other),
                },
                "note": link.note,
            }
            for link, direction, other in links
        ]


class ColumnsSerializer(serializers.BaseSerializer):
    """An object as one CSV row: a dict of the `columns` (see orgs/export/)."""

    columns = []

    @classmethod
    def header(cls):
        return [column.name for column in cls.columns]

    def to_representation(self, instance):
        return {column.name: column.value(instance) for column in self.columns}


class OrganisationCSVListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        return super().to_representation(attach_slug_lists(list(data)))


class OrganisationCSVSerializer(ColumnsSerializer):
    """The columns of organisations.csv in the export."""

    columns = ORGANISATION_COLUMNS

    class Meta:
        list_serializer_class = OrganisationCSVListSerializer

    def to_representation(self, instance):
        if not hasattr(instance, "slug_lists"):
            attach_slug_lists([instance])
        return super().to_representation(instance)


class RelationshipCSVSerializer(ColumnsSerializer):
    """The columns of relationships.csv in the export."""

    columns = RELATIONSHIP_COLUMNS


class RelationshipSerializer(serializers.ModelSerializer):
    """A directed link: `source` <kind> `target`."""

    source = OrganisationRefSerializer()
    target = OrganisationRefSerializer()
    kind_name = serializers.CharField(source="get_kind_display", help_text="The kind in words.")

    class Meta:
        model = Relationship
        fields = ["source", "kind", "kind_name", "target", "note", "created"]
        read_only_fields = fields
