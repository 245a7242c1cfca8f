"""What the API shows of organisations and the links between them.

Every field is listed by name: a field added to a model stays private until it is added here.
`contact_email`, `source_urls` and the submissions are never among them.
"""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from ethicalmap.api.fields import APIURLField, OptionalURLField, PageURLField
from orgs import records
from orgs.export import rows
from orgs.export.tables import RELATIONSHIP_COLUMNS
from orgs.models import Organisation, OrgType, Region, Relationship, SizeBand, VerifiedBy
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
    area_served = serializers.ListField(
        child=serializers.ChoiceField(Region.choices),
        help_text="Where it works, beside where it is based: `uk-wide`, or the regions and "
        "nations it serves; empty when not known.",
    )
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
    verified_by = CodeField(
        VerifiedBy.choices, help_text="Who last confirmed the entry: organisation or moderator."
    )
    maintained = serializers.BooleanField(
        read_only=True, help_text="Whether someone at the organisation looks after the entry."
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
            "area_served",
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
            "verified_by",
            "maintained",
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
        return [rows.export_row(record) for record in records.fetch(data, parts=records.ROW_PARTS)]


class OrganisationCSVSerializer(ColumnsSerializer):
    """The columns of organisations.csv in the export."""

    columns = rows.ORGANISATION_COLUMNS

    class Meta:
        list_serializer_class = OrganisationCSVListSerializer

    def to_representation(self, instance):
        [record] = records.fetch([instance], parts=records.ROW_PARTS)
        return rows.export_row(record)


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


# --- /api/v1/stats/ ------------------------------------------------------------------------------


class _Count(serializers.Serializer):
    count = serializers.IntegerField()


class TermCountSerializer(_Count):
    slug = serializers.SlugField()
    name = serializers.CharField()
    vocabulary = serializers.SlugField()
    parent = serializers.SlugField(allow_null=True)


class ChoiceCountSerializer(_Count):
    code = serializers.CharField()
    name = serializers.CharField()


class RegionCountSerializer(ChoiceCountSerializer):
    ons_code = serializers.CharField(allow_null=True)


class YearCountSerializer(_Count):
    year = serializers.IntegerField()


class CoverageCountSerializer(_Count):
    area = serializers.SlugField(help_text="A broadest area of concern (narrower terms included).")
    area_name = serializers.CharField()
    activity = serializers.SlugField(
        allow_null=True, help_text="A broadest activity; null: organisations with none recorded."
    )
    activity_name = serializers.CharField()


class AreaRecordedSerializer(serializers.Serializer):
    area = serializers.SlugField()
    area_name = serializers.CharField()
    organisations = serializers.IntegerField(help_text="Organisations working on the area.")
    with_activity = serializers.IntegerField(help_text="Those of them with an activity recorded.")


class ActivitiesRecordedSerializer(serializers.Serializer):
    without_activity = serializers.IntegerField(
        help_text="Organisations with no activity recorded: the coverage cannot place them."
    )
    by_area = AreaRecordedSerializer(many=True)


class CoverageByTypeSerializer(_Count):
    area = serializers.SlugField()
    area_name = serializers.CharField()
    org_type = serializers.CharField()
    org_type_name = serializers.CharField()


class QuarterSerializer(serializers.Serializer):
    quarter = serializers.CharField(help_text="Such as 2024-Q1.")
    added = serializers.IntegerField(help_text="Organisations added to the map that quarter.")
    verified = serializers.IntegerField(
        help_text="Organisations a moderator last verified that quarter."
    )


class MaturityCountSerializer(_Count):
    principle = serializers.SlugField()
    title = serializers.CharField()
    level = serializers.IntegerField(min_value=1, max_value=5)


class FreshnessSerializer(serializers.Serializer):
    organisations = serializers.IntegerField()
    verified_recently = serializers.IntegerField(help_text="Verified in the last 12 months.")
    verified_recently_by_organisation = serializers.IntegerField(
        help_text="Of those, confirmed by the organisation itself."
    )
    verified_recently_by_moderator = serializers.IntegerField(
        help_text="Of those, checked by a moderator."
    )
    verified_earlier = serializers.IntegerField()
    never_verified = serializers.IntegerField()
    share_verified_recently = serializers.FloatField(help_text="0 to 1, to three decimals.")


@extend_schema_serializer(many=False)  # one summary, though served by a list action
class StatsSerializer(serializers.Serializer):
    organisations = serializers.IntegerField(help_text="How many organisations match.")
    by_term = TermCountSerializer(many=True, help_text="Organisations per term (directly).")
    by_theme = TermCountSerializer(many=True, help_text="Organisations per theme.")
    by_type = ChoiceCountSerializer(many=True)
    by_region = RegionCountSerializer(many=True)
    by_founded_year = YearCountSerializer(many=True)
    gap_threshold = serializers.IntegerField(
        help_text="Terms with fewer organisations than this are gaps."
    )
    gaps = TermCountSerializer(
        many=True,
        help_text="The gaps: terms without narrower terms that have fewer organisations than "
        "`gap_threshold`, fewest first.",
    )
    by_size = ChoiceCountSerializer(many=True)
    coverage = CoverageCountSerializer(
        many=True,
        help_text="Organisations per area of concern and activity: every pair, zeros included.",
    )
    activities_recorded = ActivitiesRecordedSerializer(
        help_text="How many organisations have their activities recorded, of all and per area: "
        "the insights state a gap by activity only where at least half of an area's "
        "organisations do."
    )
    coverage_by_type = CoverageByTypeSerializer(
        many=True, help_text="Organisations per area of concern and type: every pair."
    )
    growth = QuarterSerializer(
        many=True, help_text="Every quarter from the first to the last with any organisation."
    )
    maturity = MaturityCountSerializer(
        many=True,
        help_text="Approved self-assessments per principle and level: every pair, zeros included.",
    )
    freshness = FreshnessSerializer()
