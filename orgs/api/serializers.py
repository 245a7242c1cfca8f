"""What the API shows of organisations and the links between them.

Every field is listed by name: a field added to a model stays private until it is added here.
`contact_email`, `source_urls` and the submissions are never among them.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ethicalmap.api.fields import APIURLField, OptionalURLField, PageURLField
from orgs import records
from orgs.export.tables import RELATIONSHIP_COLUMNS
from orgs.models import Organisation, OrgType, Region, Relationship, SizeBand
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


@extend_schema_field({"type": "string", "nullable": True})
class DerivedField(serializers.CharField):
    """Text derived from a code (its name, a region's ONS code), or null when there is none."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, read_only=True, **kwargs)


class OrganisationListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        return records.documents(records.fetch(data), self.context.get("request"))


# The fields declare the representation and are the schema; orgs/records.py builds it, from rows
# and in bulk (tests/api/test_records.py holds the payload to the schema's fields).
class OrganisationSerializer(serializers.ModelSerializer):
    """An organisation on the map, as the API shows it."""

    url = PageURLField()
    api_url = APIURLField("api:organisation-detail")
    description_html = serializers.CharField(
        read_only=True, help_text="The description rendered to sanitised HTML."
    )
    org_type = CodeField(OrgType.choices, help_text="Type of organisation.")
    org_type_name = DerivedField()
    size = CodeField(SizeBand.choices, help_text="Size band.")
    size_name = DerivedField()
    region = CodeField(Region.choices, help_text="UK ITL1 region, UK-wide or international.")
    website = OptionalURLField()
    contact_url = OptionalURLField(help_text="A public page to get in touch.")
    region_name = DerivedField()
    region_ons_code = DerivedField(help_text="ONS (GSS) code of the region.")
    org_id = serializers.CharField(help_text="The primary org-id (org-id.guide), or empty.")
    identifiers = serializers.ListField(child=serializers.CharField(), help_text="Every org-id.")
    terms = TermRefSerializer(many=True, help_text="What it works on.")
    offers = TermRefSerializer(many=True, help_text="Help it offers others.")
    looking_for = TermRefSerializer(many=True, help_text="Help it is looking for.")
    tags = TagSerializer(many=True, read_only=True)
    relationships = LinkSerializer(
        many=True, read_only=True, help_text="Links to and from other published organisations."
    )
    assessments = AssessmentSerializer(many=True, help_text="Approved self-assessments.")
    endorsements = EndorsementSerializer(many=True, help_text="Principles it has committed to.")

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
        [record] = records.fetch([instance])
        return records.documents([record], self.context.get("request"))[0]


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
        return [
            records.export_row(record) for record in records.fetch(data, parts=records.ROW_PARTS)
        ]


class OrganisationCSVSerializer(ColumnsSerializer):
    """The columns of organisations.csv in the export."""

    columns = records.ORGANISATION_COLUMNS

    class Meta:
        list_serializer_class = OrganisationCSVListSerializer

    def to_representation(self, instance):
        [record] = records.fetch([instance], parts=records.ROW_PARTS)
        return records.export_row(record)


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
