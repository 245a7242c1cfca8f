"""What the API shows of the product principles and the maturity model."""

from rest_framework import serializers

from ethicalmap.api.fields import APIURLField, PageURLField
from principles.models import MaturityLevel, Principle
from taxonomy.models import Term


class MitigatedTermSerializer(serializers.ModelSerializer):
    vocabulary = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Term
        fields = ["slug", "name", "vocabulary"]
        read_only_fields = fields


class LevelSerializer(serializers.Serializer):
    """What one maturity level looks like for this principle."""

    level = serializers.IntegerField(min_value=1, max_value=5)
    name = serializers.CharField(help_text="The level's name in the maturity model.")
    description = serializers.CharField()


class PrincipleSerializer(serializers.ModelSerializer):
    """A product principle. Expects `endorsement_count` annotated and the relations prefetched."""

    body_html = serializers.SerializerMethodField(help_text="The body rendered to sanitised HTML.")
    status_name = serializers.CharField(source="get_status_display")
    mitigates = MitigatedTermSerializer(
        many=True, help_text="The unintended consequences it mitigates."
    )
    practices = serializers.SlugRelatedField(
        slug_field="text", many=True, read_only=True, help_text="What a product team does."
    )
    levels = serializers.SerializerMethodField(help_text="The maturity model for the principle.")
    endorsement_count = serializers.IntegerField(
        help_text="Published organisations that endorse it."
    )
    url = PageURLField()
    api_url = APIURLField("api:principle-detail")

    class Meta:
        model = Principle
        fields = [
            "slug",
            "order",
            "title",
            "summary",
            "body",
            "body_html",
            "status",
            "status_name",
            "mitigates",
            "practices",
            "levels",
            "endorsement_count",
            "url",
            "api_url",
            "created",
            "updated",
        ]
        read_only_fields = fields

    def get_body_html(self, obj) -> str:
        return obj.body_html

    def _level_names(self):
        # Read once per response and kept in the context, which a list shares with its items.
        if "level_names" not in self.context:
            self.context["level_names"] = dict(MaturityLevel.objects.values_list("level", "name"))
        return self.context["level_names"]

    def get_levels(self, obj) -> list[dict]:
        names = self._level_names()
        return [
            {"level": d.level, "name": names.get(d.level, ""), "description": d.description}
            for d in obj.levels.all()
        ]
