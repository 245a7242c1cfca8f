"""What the API shows of vocabularies and terms: the shared definitions, for other maps to reuse."""

from rest_framework import serializers

from ethicalmap.api.fields import APIURLField, PageURLField
from taxonomy.models import Term, Vocabulary


class VocabularyTermSerializer(serializers.ModelSerializer):
    """A term within its vocabulary."""

    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Term
        fields = ["slug", "name", "parent"]
        read_only_fields = fields


class VocabularySerializer(serializers.ModelSerializer):
    """A controlled list of terms."""

    url = PageURLField()
    api_url = APIURLField("api:vocabulary-detail")
    terms = VocabularyTermSerializer(many=True, help_text="Its terms, in display order.")

    class Meta:
        model = Vocabulary
        fields = ["slug", "name", "description", "order", "url", "api_url", "terms"]
        read_only_fields = fields


class TermSerializer(serializers.ModelSerializer):
    """A shared definition. Expects `children` prefetched, and the counts of every term in the
    context (`organisation_counts`: {pk: count})."""

    vocabulary = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    parent = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The broader term, if any."
    )
    children = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="The narrower terms."
    )
    description_html = serializers.SerializerMethodField(
        help_text="The description rendered to sanitised HTML."
    )
    synonyms = serializers.ListField(
        source="synonym_list", child=serializers.CharField(), help_text="Other names people use."
    )
    organisation_count = serializers.SerializerMethodField(
        help_text="Published organisations classified under this term itself."
    )
    url = PageURLField()
    api_url = APIURLField("api:term-detail")

    class Meta:
        model = Term
        fields = [
            "slug",
            "name",
            "vocabulary",
            "definition",
            "description",
            "description_html",
            "synonyms",
            "parent",
            "children",
            "organisation_count",
            "url",
            "api_url",
        ]
        read_only_fields = fields

    def get_description_html(self, obj) -> str:
        return obj.description_html

    def get_organisation_count(self, obj) -> int:
        return self.context["organisation_counts"].get(obj.pk, 0)
